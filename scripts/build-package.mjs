// Builds the package in the working directory: each entry point (every subpath of `exports`, every `bin`) is bundled
// by esbuild into one ES module in dist/, code shared between entries goes into chunks beside them (so a class is
// defined once however many subpaths export it), and the package's dependencies stay imports: a sibling
// @kubernaut-e2e package resolves to that package's own bundle, the one copy in the process. tsc writes the
// declarations. Why: ~270 unbundled modules made the CLI start slowly; bundled, it loads ~15 files.
//
//   node ../../scripts/build-package.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { build } from 'esbuild';

/**
 * Third-party code bundled into a package instead of imported from node_modules at run time: what the CLI loads on
 * every start, where dozens of small files (or CommonJS) cost more than the code in them. zod (95 modules) and yaml
 * (CommonJS, 60 files) go into core once, and the other packages' imports of them become imports of core's copy
 * (`SHARED`), so a process holds one zod whichever package made a schema, and each library is compiled once.
 * tinyglobby goes into cluster, sucrase (the config loader's TypeScript transform) into setup.
 */
const BUNDLED = {
  '@kubernaut-e2e/core': ['zod', 'yaml'],
  '@kubernaut-e2e/cluster': ['tinyglobby'],
  '@kubernaut-e2e/deployers': ['@peculiar/x509'],
  '@kubernaut-e2e/setup': ['sucrase'],
};
const SHARED = { zod: '@kubernaut-e2e/core/zod', yaml: '@kubernaut-e2e/core/yaml' };
/**
 * zod's `locales` namespace (its error messages in 40 languages, half of zod's bytes) holds only English in the
 * bundle: the packages never switch zod's language, and every start compiles what the bundle holds.
 */
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: ZOD_LOCALES }, () => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
    }));
  },
};

const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const bundled = new Set(BUNDLED[manifest.name] ?? []);
const ownSource = join(dir, 'src') + sep;
const packageOf = (specifier) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');

/** `./dist/errors/index.js` → `{ in: './src/errors/index.ts', out: 'errors/index' }`. */
const entry = (source, output) => ({
  in: source,
  out: output.replace(/^\.\/dist\//, '').replace(/\.js$/, ''),
});
const entryPoints = [
  ...Object.values(manifest.exports ?? {})
    .filter((conditions) => conditions['@kubernaut-e2e/source'] !== undefined)
    .map((conditions) => entry(conditions['@kubernaut-e2e/source'], conditions.import)),
  ...Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {})).map(
    (bin) => entry(bin.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'), bin),
  ),
];

rmSync(join(dir, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: dir,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Chunks sit beside the top-level entries: a module that finds a file relative to `import.meta.url` (setup's
  // dist/fixture-project) finds it from any chunk.
  chunkNames: '[name]-[hash]',
  mainFields: ['module', 'main'],
  // Bundled CommonJS (yaml's Node build, picomatch) requires Node's built-in modules: give it a `require` for that.
  ...(bundled.size > 0 ? { banner: { js: REQUIRE_SHIM } } : {}),
  // Smaller files compile faster at every start; identifiers stay, so stack traces keep their function names.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    ...(bundled.has('zod') ? [zodEnglishOnly] : []),
    {
      name: 'dependencies-stay-imports',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
          // What bundled third-party code imports is bundled with it.
          if (bundled.has(packageOf(path)) || !importer.startsWith(ownSource)) return undefined;
          const shared = SHARED[path];
          if (shared !== undefined && !shared.startsWith(`${manifest.name}/`))
            return { path: shared, external: true };
          return { path, external: true };
        });
      },
    },
  ],
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  cwd: dir,
  stdio: 'inherit',
});
