import { DEFAULT_SERVICE_PACKAGES } from '../default-config.js';
import { type CheckoutScan, suiteOfDockerfile } from './scan-checkout.js';

type ServicePackage = (typeof DEFAULT_SERVICE_PACKAGES)[number];

/** What a scan found, matched to the service packages: the suites they declare, the rest, and unused Dockerfiles. */
export interface FoundServices {
  /** Service packages whose suite (`test/e2e/<name>`) or Dockerfile is here, with what was found. */
  readonly packaged: readonly { readonly pkg: ServicePackage; readonly found: readonly string[] }[];
  /** `test/e2e/<suite>` directories no package declares, with their Dockerfiles. */
  readonly unpackaged: readonly { readonly suite: string; readonly found: readonly string[] }[];
  /** Dockerfiles of no suite found here and no package. */
  readonly otherDockerfiles: readonly string[];
}

export function matchServices(scan: CheckoutScan): FoundServices {
  const dockerfilesOf = (suite: string) =>
    scan.dockerfiles.filter((f) => suiteOfDockerfile(f) === suite).map((f) => `docker/${f}`);
  const foundFor = (suite: string) => [
    ...(scan.suites.includes(suite) ? [`test/e2e/${suite}`] : []),
    ...dockerfilesOf(suite),
  ];
  const packaged = DEFAULT_SERVICE_PACKAGES.map((pkg) => ({ pkg, found: foundFor(pkg.suite) })).filter(
    (p) => p.found.length > 0,
  );
  const known = new Set<string>(DEFAULT_SERVICE_PACKAGES.map((p) => p.suite));
  const unpackaged = scan.suites
    .filter((s) => !known.has(s))
    .map((suite) => ({ suite, found: foundFor(suite) }));
  const otherDockerfiles = scan.dockerfiles
    .filter((f) => !known.has(suiteOfDockerfile(f)) && !scan.suites.includes(suiteOfDockerfile(f)))
    .map((f) => `docker/${f}`);
  return { packaged, unpackaged, otherDockerfiles };
}

/** The package names the written config imports, and the CLI. */
export function devDependencyNames(found: FoundServices): string[] {
  return ['@kubernaut-e2e/cli', '@kubernaut-e2e/setup', ...found.packaged.map((p) => p.pkg.name)].sort();
}

export function packageJsonText(ranges: Record<string, string>): string {
  const manifest = {
    private: true,
    type: 'module',
    description: "kubernaut-e2e: the E2E suites' infrastructure (written by kubernaut-e2e init)",
    devDependencies: Object.fromEntries(Object.entries(ranges).sort(([a], [b]) => a.localeCompare(b))),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * `init --force` with a `package.json` there: the same file with the dev dependencies set to `ranges` (an entry for one
 * of those packages replaced), every other field and its order kept. `undefined` when the text is not a JSON object.
 */
export function packageJsonWithDevDependencies(
  text: string,
  ranges: Record<string, string>,
): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return undefined;
  const fields = manifest as Record<string, unknown>;
  const current = fields.devDependencies;
  const devDependencies =
    typeof current === 'object' && current !== null && !Array.isArray(current)
      ? (current as Record<string, unknown>)
      : {};
  const merged = Object.fromEntries(
    Object.entries({ ...devDependencies, ...ranges }).sort(([a], [b]) => a.localeCompare(b)),
  );
  return `${JSON.stringify({ ...fields, devDependencies: merged }, null, 2)}\n`;
}

/** `kubernaut-e2e.config.ts`: the packaged services it found, and a TODO line for each suite no package declares. */
export function configText(found: FoundServices): string {
  const imports = [...found.packaged.map((p) => p.pkg)]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => `import { ${p.service} } from '${p.name}';`);
  const services = found.packaged.map((p) => `    ${p.pkg.service}, // ${p.found.join(', ')}`);
  const todos =
    found.unpackaged.length === 0
      ? []
      : [
          '    // Suites here that no @kubernaut-e2e package declares yet: declare each with defineService (see the',
          "    // declarations reference, docs/reference/declarations.md in kubernaut-e2e's repository), then list it here.",
          ...found.unpackaged.map(
            (u) =>
              `    // TODO ${u.suite}: ${u.found.join(', ')}${u.found.length === 1 ? ' (no Dockerfile matched)' : ''}`,
          ),
        ];
  const others =
    found.otherDockerfiles.length === 0
      ? []
      : [`// Dockerfiles of no suite found here: ${found.otherDockerfiles.join(', ')}.`];
  return `// The services kubernaut-e2e sets up for this repository's E2E suites, written by \`kubernaut-e2e init\` from
// what it found here (test/e2e/<suite>, docker/*.Dockerfile). \`npx kubernaut-e2e --help\` lists them.
${others.join('\n')}${others.length > 0 ? '\n' : ''}${imports.join('\n')}
import { defineConfig } from '@kubernaut-e2e/setup';

export default defineConfig({
  // Build from this checkout: the Dockerfiles, migrations, CRDs and kind configs the suites use.
  projectRoot: '.',
  services: [
${[...services, ...todos].join('\n')}
  ],
});
`;
}
