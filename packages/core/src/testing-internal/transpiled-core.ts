import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const packageRoot = resolve(import.meta.dirname, '../..');
const sourceRoot = join(packageRoot, 'src');

/**
 * Transpiles core's source (no type check) into a fresh directory inside the package, so child
 * processes can `import` the CURRENT code as plain JavaScript on Node 20 — `dist/` may be stale when
 * vitest runs without a build. Living inside the package lets `execa` and `zod` resolve as usual.
 */
export async function transpileCore(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(packageRoot, '.transpiled-'));
  for (const file of await sourceFiles(sourceRoot)) {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
    });
    const target = join(dir, relative(sourceRoot, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['__fixtures__', 'testing', 'testing-internal'].includes(entry.name))
        files.push(...(await sourceFiles(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path);
    }
  }
  return files;
}
