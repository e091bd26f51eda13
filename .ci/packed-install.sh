#!/usr/bin/env bash
# The published packages work outside this workspace: pack every public package, install the tarballs with npm into
# an empty project, and run the gateway's example suite there (vitest globalSetup + inject(), on the simulated
# toolchain, with no projectRoot). The example files are the ones the README shows.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tarballs" "$work/project" "$work/home"
# The runs' kubeconfigs, CA files and outputs go to a private HOME, removed with the rest.
private_home=(env HOME="$work/home" XDG_STATE_HOME="$work/home/state")

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
"${private_home[@]}" KUBERNAUT_E2E_RUNTIME=sim npx vitest run --config example/vitest.config.ts

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

# `kubernaut-e2e init` in a fresh copy of a checkout, then the two commands it prints: a copy of kubernaut itself when
# KUBERNAUT_CHECKOUT names one (its files are copied to the temporary folder, never into this repository), else the
# fixture project, laid out like kubernaut. The first command, `npm install`, would fetch the @kubernaut-e2e packages
# from the registry, where these builds are not: it runs as `npm install --no-save <the tarballs>` (package.json keeps
# the ranges init wrote, and `npm ls` checks the installed versions satisfy them). The second runs exactly as printed,
# and `down` of the same service after it. Then the Go example, copied in as a suite of the checkout, finds the CLI in
# node_modules/.bin and the config at the root, as a kubernaut suite would.
checkout="$work/checkout"
if [ -n "${KUBERNAUT_CHECKOUT:-}" ]; then
  [ -f "$KUBERNAUT_CHECKOUT/go.mod" ] || { echo "KUBERNAUT_CHECKOUT=$KUBERNAUT_CHECKOUT is not a Go checkout" >&2; exit 1; }
  mkdir "$checkout"
  (cd "$KUBERNAUT_CHECKOUT" && tar --exclude=./.git -cf - .) | tar -C "$checkout" -xf -
  source_name="kubernaut ($KUBERNAUT_CHECKOUT)"
else
  cp -r "$repo/services/fixture-project" "$checkout"
  source_name="the fixture checkout"
fi
[ ! -e "$checkout/package.json" ] || { echo "$checkout already has a package.json" >&2; exit 1; }
init_out=$(cd "$checkout" && "${private_home[@]}" "$work/project/node_modules/.bin/kubernaut-e2e" init)
printf '%s\n' "$init_out"
mapfile -t next < <(sed -n '/^Next, in /,$p' <<<"$init_out" | sed -n 's/^  //p')
[ "${#next[@]}" -eq 2 ] && [ "${next[0]}" = "npm install" ] || { echo "init printed: ${next[*]}" >&2; exit 1; }
(cd "$checkout" && npm install --no-save --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz)
(cd "$checkout" && npm ls $(node -e 'console.log(Object.keys(require("./package.json").devDependencies).join(" "))') >/dev/null)
read -ra second <<<"${next[1]}"
[ "${second[*]:0:2}" = "npx kubernaut-e2e" ] && [ "${second[2]}" = up ] || { echo "init printed: ${next[1]}" >&2; exit 1; }
(cd "$checkout" && "${private_home[@]}" "${second[@]}" >/dev/null 2>"$work/up.log") || { cat "$work/up.log"; exit 1; }
down=("${second[@]}")
down[2]=down
(cd "$checkout" && "${private_home[@]}" "${down[@]}" >/dev/null)
echo "init, then its two commands, in a copy of $source_name: ${next[*]}; then ${down[*]}"
if command -v go >/dev/null; then
  cp -r "$repo/examples/go-suite" "$checkout/test/e2e/handoff"
  (cd "$checkout/test/e2e/handoff" && env -u KUBERNAUT_E2E_BIN GOPROXY=off GOFLAGS= go test -count=1 ./...)
  echo "the Go example, as a suite of that checkout, ran up/down with node_modules/.bin/kubernaut-e2e"
fi
