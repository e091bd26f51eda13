#!/usr/bin/env bash
# The published packages work outside this workspace: pack every public package, install the tarballs with npm into
# an empty project, and run the gateway's example suite there (vitest globalSetup + inject(), on the simulated
# toolchain, with no projectRoot). The example files are the ones the README shows.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tarballs" "$work/project"

for dir in "$repo"/packages/* "$repo"/services/*; do
  [ -f "$dir/package.json" ] || continue
  if node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).private ? 0 : 1)' "$dir/package.json"; then
    continue
  fi
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
echo "packed: $(cd "$work/tarballs" && ls | tr '\n' ' ')"

cd "$work/project"
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz 'vitest@^4'
cp -r "$repo/services/gateway/example" ./example
KUBERNAUT_E2E_RUNTIME=sim npx vitest run --config example/vitest.config.ts

# The CLI from the tarballs: with no config file, the default config takes the installed service packages; a
# TypeScript config (one that imports a TypeScript module of its own) loads on this Node with no cache.
npx kubernaut-e2e plan gateway --runtime sim >/dev/null
mkdir suite
cat > suite/ports.ts <<'TS'
export const ordersPort: number = 19080;
TS
cat > suite/kubernaut-e2e.config.ts <<'TS'
import { gatewayService } from '@kubernaut-e2e/gateway';
import { defineConfig, defineService } from '@kubernaut-e2e/setup';
import { ordersPort } from './ports.ts';

const orders = defineService({ name: 'orders', description: 'declared in the config', hostPorts: { orders: ordersPort } });
export default defineConfig({ services: [gatewayService, orders] });
TS
help=$(cd suite && npx kubernaut-e2e --help)
grep -q 'orders  *declared in the config' <<<"$help"
(cd suite && npx kubernaut-e2e plan gateway --runtime sim >/dev/null)
echo "the CLI ran from the tarballs: plan with the installed packages' default config, --help and plan with a TypeScript config"
