import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { CONFIG_FILE_NAMES, defaultOutputDir } from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { DEFAULT_SERVICE_PACKAGES } from '../default-config.js';
import { appendIgnoreLines } from '../init/ignore-lines.js';
import {
  configText,
  devDependencyNames,
  matchServices,
  packageJsonText,
  packageJsonWithDevDependencies,
} from '../init/init-files.js';
import { versionRanges } from '../init/package-versions.js';
import { scanCheckout } from '../init/scan-checkout.js';
import { type CliIo, ExitCode } from '../io.js';

/**
 * What init adds to `.dockerignore` when a Dockerfile copies the whole checkout: the installed packages, and the files
 * init and npm write, so neither installing nor editing the config changes any image's build context (and cache key).
 */
const DOCKERIGNORED = ['node_modules', 'package.json', 'package-lock.json', CONFIG_FILE_NAMES[0]];

/**
 * `init`: in a checkout laid out like kubernaut's (the working directory, or `--dir`), writes `package.json` (dev
 * dependencies on the packages the config imports, and the CLI) and a `kubernaut-e2e.config.ts` declaring the suites
 * it finds that a service package declares; adds `node_modules/` (and the run outputs, when they would be inside the
 * checkout) to `.gitignore`, and those and its own files to `.dockerignore` when a Dockerfile copies the whole
 * context; prints the next two commands. Refuses (exit 2, nothing written) when a file it would write exists (with
 * `--force`: rewrites the config, adds the dev dependencies to package.json), or when it finds nothing to declare.
 */
export async function initCommand(args: CliArgs, io: CliIo): Promise<number> {
  const dir = args.dir ?? io.cwd;
  const subject = `checkout ${dir} (init)`;
  const scan = scanCheckout(dir);
  const found = matchServices(scan);
  const names = devDependencyNames(found);
  const ranges = versionRanges(names);

  // Without --force, any file init would write (or a config under another name) is refused. With it, the config is
  // rewritten and package.json gets the dev dependencies; a config under another name is still refused, as the CLI
  // would then read the new kubernaut-e2e.config.ts and silently ignore it.
  const packageJson = join(dir, 'package.json');
  const existing = ['package.json', ...CONFIG_FILE_NAMES].filter((f) => existsSync(join(dir, f)));
  const refused = args.force
    ? existing.filter((f) => f !== 'package.json' && f !== CONFIG_FILE_NAMES[0])
    : existing;
  if (refused.length > 0) {
    const install = `npm install -D ${names.map((n) => `${n}@${ranges[n]}`).join(' ')}`;
    throw new ConfigError(
      refused.map((file) => ({
        path: file,
        message:
          file === 'package.json'
            ? `${join(dir, file)} exists, and init does not overwrite it: run init --force to add the dev dependencies to it (every other field kept), or add them yourself (${install}) and write ${CONFIG_FILE_NAMES[0]}`
            : file === CONFIG_FILE_NAMES[0]
              ? `${join(dir, file)} exists, and init does not overwrite it: edit it (\`kubernaut-e2e --help\` lists what it declares), or run init --force to write it again`
              : `${join(dir, file)} exists: move it away, or edit it instead of running init (the CLI reads ${CONFIG_FILE_NAMES[0]} before it, so init${args.force ? ' --force' : ''} does not write one beside it)`,
      })),
      { subject },
    );
  }
  let packageJsonContent = packageJsonText(ranges);
  if (existsSync(packageJson)) {
    const merged = packageJsonWithDevDependencies(readFileSync(packageJson, 'utf8'), ranges);
    if (merged === undefined)
      throw ConfigError.field(
        'package.json',
        `${packageJson} is not a JSON object, so init --force cannot add the dev dependencies to it: fix it or move it away`,
        subject,
      );
    packageJsonContent = merged;
  }
  if (found.packaged.length === 0) {
    const seen = [...scan.suites.map((s) => `test/e2e/${s}`), ...scan.dockerfiles.map((f) => `docker/${f}`)];
    throw ConfigError.field(
      'dir',
      `found ${seen.length > 0 ? seen.join(', ') : 'no test/e2e/<suite> directory and no docker/*.Dockerfile'}: none is a suite a service package declares (${DEFAULT_SERVICE_PACKAGES.map((p) => p.suite).join(', ')}). Run init at the root of a kubernaut checkout, or pass --dir <checkout>`,
      subject,
    );
  }

  const rewrote = existing.filter((f) => f === 'package.json' || f === CONFIG_FILE_NAMES[0]);
  writeFileSync(packageJson, packageJsonContent);
  writeFileSync(join(dir, CONFIG_FILE_NAMES[0]), configText(found));

  // Where run outputs go by default (under XDG state): ignored only if that is inside the checkout.
  const outputs = dirname(dirname(defaultOutputDir('service', dir, io.env)));
  const insideOutputs = relative(dir, outputs);
  const outputsInside =
    insideOutputs !== '' && !insideOutputs.startsWith('..') && !insideOutputs.startsWith(sep);
  const outputLine = outputsInside ? [`/${insideOutputs.split(sep).join('/')}/`] : [];
  const gitignored = appendIgnoreLines(join(dir, '.gitignore'), ['node_modules/', ...outputLine]);
  const dockerignored =
    scan.copyWholeContext.length > 0
      ? appendIgnoreLines(join(dir, '.dockerignore'), [...DOCKERIGNORED, ...outputLine])
      : [];

  const service = found.packaged.find((p) => p.pkg.suite === 'gateway') ?? found.packaged[0]!;
  const added = (lines: string[]) =>
    lines.length > 0 ? `added ${lines.join(', ')}` : 'already has what it needs';
  io.stdout(
    [
      `kubernaut-e2e init in ${dir}`,
      `  found ${scan.suites.length} suite(s) under test/e2e and ${scan.dockerfiles.length} Dockerfile(s) under docker/`,
      `  ${rewrote.includes('package.json') ? 'added to the existing package.json' : 'wrote package.json'}: dev dependencies ${names.map((n) => `${n} ${ranges[n]}`).join(', ')}`,
      `  ${rewrote.includes(CONFIG_FILE_NAMES[0]) ? 'rewrote' : 'wrote'} ${CONFIG_FILE_NAMES[0]}: ${found.packaged.map((p) => p.pkg.suite).join(', ')}${found.unpackaged.length > 0 ? `; TODO (no package declares them yet): ${found.unpackaged.map((u) => u.suite).join(', ')}` : ''}`,
      `  .gitignore: ${added(gitignored)}`,
      scan.copyWholeContext.length > 0
        ? `  .dockerignore: ${added(dockerignored)} (docker/${scan.copyWholeContext[0]}${scan.copyWholeContext.length > 1 ? ` and ${scan.copyWholeContext.length - 1} more` : ''} copy the whole checkout)`
        : '  .dockerignore: left alone (no Dockerfile copies the whole checkout)',
      `  run outputs: ${outputs}${outputsInside ? ' (inside the checkout: ignored)' : ' (outside the checkout)'}`,
      '',
      `Next, in ${dir}:`,
      '  npm install',
      `  npx kubernaut-e2e up ${service.pkg.suite} --runtime sim`,
      '',
    ].join('\n'),
  );
  return ExitCode.Ok;
}
