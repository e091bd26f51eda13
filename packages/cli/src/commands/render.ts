import { writeFile } from 'node:fs/promises';
import { type LoadedConfig, renderSetup, resolveSetup, type Service } from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { serviceCommand } from '../setup-options.js';

/**
 * `render <service>`: the manifests `up` would apply with the same options, in apply order, as multi-document YAML
 * (or `--json`), like `helm template`. It resolves the setup exactly as `up` does (bad input exits 2) and then runs
 * nothing: no command, no build, no cluster, no kubeconfig or CA file. Only `--output` writes, and only that file.
 */
export async function renderCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
): Promise<number> {
  const { options } = serviceCommand(args, config, definition, io);
  const resolved = await resolveSetup(definition, options);
  const rendered = await renderSetup(resolved, {
    env: io.env,
    ...(args.showSecrets ? { showSecrets: true } : {}),
  });
  const text = args.json
    ? `${JSON.stringify(
        {
          service: rendered.service,
          runtime: rendered.runtime,
          images: rendered.images,
          objects: rendered.objects,
        },
        null,
        2,
      )}\n`
    : rendered.yaml;
  if (args.outputFile === undefined) {
    io.stdout(text);
    return ExitCode.Ok;
  }
  await writeFile(args.outputFile, text, { mode: args.showSecrets ? 0o600 : 0o644 });
  io.stderr(`${rendered.objects.length} objects of ${rendered.service} written to ${args.outputFile}\n`);
  return ExitCode.Ok;
}
