import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/*
 * Child processes of a test (a run to be killed with SIGKILL) must run the CURRENT code as plain JavaScript on
 * Node 20 — `dist/` may be stale when vitest runs without a build. So core and the image builder are
 * transpiled (no type check) into fresh directories inside their packages, where their dependencies resolve
 * as usual, and the image builder's `@kubernaut-e2e/core` points at the transpiled core.
 */

const packages = resolve(import.meta.dirname, '../../..');

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['__fixtures__', 'testing', 'testing-internal', 'bench'].includes(entry.name))
        files.push(...(await sourceFiles(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path);
    }
  }
  return files;
}

async function transpile(packageName: string): Promise<string> {
  const root = join(packages, packageName);
  const dir = await mkdtemp(join(root, '.transpiled-'));
  const source = join(root, 'src');
  for (const file of await sourceFiles(source)) {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
    });
    const target = join(dir, relative(source, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "main": "index.js" }\n');
  return dir;
}

/** Transpiled core and image builder; `dir` holds the image builder (import `./index.js` from a script there). */
export async function transpileImageBuilder(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const core = await transpile('core');
  const imageBuilder = await transpile('image-builder');
  await mkdir(join(imageBuilder, 'node_modules', '@kubernaut-e2e'), { recursive: true });
  await symlink(core, join(imageBuilder, 'node_modules', '@kubernaut-e2e', 'core'), 'dir');
  return {
    dir: imageBuilder,
    remove: async () => {
      await rm(imageBuilder, { recursive: true, force: true });
      await rm(core, { recursive: true, force: true });
    },
  };
}
