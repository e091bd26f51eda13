import type { Service, ServiceSpec, Stack, StackSpec } from '@kubernaut-e2e/setup';
import { analyzeDockerfile } from '../docker/dockerfile-build.js';
import type { GoPackageGraph } from '../go/go-packages.js';
import { dirOf, isAtOrBelow, joinPath, type SourceTree } from '../tree/source-tree.js';
import { kustomizationInputs } from './kustomization.js';

/** A repository path (or docker glob) a suite reads; a change at or below it can break the suite. */
export interface PathInput {
  readonly pattern: string;
  /** Why it is an input, for the reason `affected` prints: `Dockerfile of image gateway`. */
  readonly why: string;
  /**
   * True for a whole build context taken because the Dockerfile could not be followed: every file counts for this
   * suite, but that does not place the file for the other suites (a file only a catch-all reaches is unplaced).
   */
  readonly catchAll?: boolean;
}

/** A Go package the suite compiles (with everything it imports); `dir/...` for every package below `dir`. */
export interface GoRoot {
  readonly dir: string;
  /** What compiles it: `image gateway's binary (docker/gateway.Dockerfile:43)`, `the suite's own tests (…)`. */
  readonly why: string;
  /** A package of the suite's own test code: its `_test.go` files are compiled too. */
  readonly withTests: boolean;
}

/** Everything one suite reads from the repository, as far as its declaration and its Dockerfiles tell. */
export interface SuiteInputs {
  readonly name: string;
  readonly paths: readonly PathInput[];
  readonly goRoots: readonly GoRoot[];
  /** What could not be read or placed: with any change at all, the suite counts as affected, for this reason. */
  readonly uncertain: readonly string[];
  /** What the analysis assumed, e.g. which binary an image holds when its Dockerfile does not say. */
  readonly notes: readonly string[];
}

/** Where kubernaut keeps E2E suites: each suite's own directory, and the infrastructure every suite shares. */
export interface TestLayout {
  /** The suite's own test directory; default `test/e2e/<suite>`. */
  readonly suiteDir: (suite: string) => string;
  /** Directories every suite's tests compile or read; default `test/infrastructure`. */
  readonly sharedDirs: readonly string[];
}

export const KUBERNAUT_TEST_LAYOUT: TestLayout = {
  suiteDir: (suite) => `test/e2e/${suite}`,
  sharedDirs: ['test/infrastructure'],
};

type Parts = Omit<StackSpec, 'name'>;

/**
 * The inputs of one suite: its declaration's files (Dockerfiles and what they copy or compile, CRDs, migrations,
 * manifests with what their kustomizations reference, config files, the kind config), its own test directory and
 * the shared test infrastructure (and the Go packages they compile), and go.mod/go.sum.
 */
export async function suiteInputs(
  service: Pick<Service, 'name' | 'spec'>,
  tree: SourceTree,
  graph: GoPackageGraph,
  options: { readonly layout?: TestLayout; readonly kindConfig?: string | false } = {},
): Promise<SuiteInputs> {
  const layout = options.layout ?? KUBERNAUT_TEST_LAYOUT;
  const paths: PathInput[] = [];
  const goRoots: GoRoot[] = [];
  const uncertain: string[] = [];
  const notes: string[] = [];
  const { spec } = service;
  const parts = allParts(spec);

  for (const part of parts) {
    for (const [id, image] of Object.entries(part.images ?? {})) {
      if (!('dockerfile' in image)) continue;
      await imageInputs(id, image, tree, graph, { paths, goRoots, uncertain, notes });
    }
    for (const source of part.crds ?? [])
      paths.push({ pattern: source, why: `CRDs it installs (${source})` });
    for (const migration of part.migrations ?? [])
      paths.push({ pattern: migration.directory, why: `migrations it applies (${migration.id})` });
    for (const manifest of part.manifests ?? []) {
      if (!('from' in manifest)) continue;
      for (const from of typeof manifest.from === 'string' ? [manifest.from] : manifest.from) {
        paths.push({ pattern: from, why: `manifests it applies (${manifest.id})` });
        const kustomized = await kustomizationInputs(tree, from);
        for (const path of kustomized.paths)
          paths.push({ pattern: path, why: `referenced by the kustomization in ${from} (${manifest.id})` });
        uncertain.push(...kustomized.problems);
      }
    }
    for (const { where, files } of contentFiles(part))
      for (const file of files) paths.push({ pattern: file, why: `a file of ${where}` });
  }
  const kindConfig = options.kindConfig === undefined ? spec.kindConfig : options.kindConfig;
  if (typeof kindConfig === 'string') paths.push({ pattern: kindConfig, why: 'its kind config' });

  const own = layout.suiteDir(service.name);
  paths.push({ pattern: own, why: `the suite's own tests (${own}/)` });
  const ownPackages = [...graph.packages.keys()].filter((dir) => isAtOrBelow(dir, own));
  if (!tree.files.some((f) => isAtOrBelow(f, own))) notes.push(`no ${own}/ in the repository`);
  for (const dir of ownPackages)
    goRoots.push({ dir, why: `the suite's own tests (${own}/)`, withTests: true });
  for (const shared of layout.sharedDirs) {
    paths.push({
      pattern: shared,
      why: `the shared test infrastructure (${shared}/), which every suite uses`,
    });
    for (const dir of graph.packages.keys())
      if (isAtOrBelow(dir, shared))
        goRoots.push({ dir, why: `the shared test infrastructure (${shared}/)`, withTests: false });
  }
  return { name: service.name, paths, goRoots, uncertain, notes };
}

/** The service's parts and those of every stack it uses (each stack once). */
function allParts(spec: ServiceSpec): Parts[] {
  const parts: Parts[] = [spec];
  const seen = new Set<string>();
  const visit = (stacks: readonly Stack[] | undefined) => {
    for (const stack of stacks ?? []) {
      if (seen.has(stack.name)) continue;
      seen.add(stack.name);
      visit(stack.uses);
      parts.push(stack.spec);
    }
  };
  visit(spec.uses as readonly Stack[] | undefined);
  return parts;
}

/** Repository files that ConfigMaps, Secrets and config files take (`{ file }` content). */
function contentFiles(part: Parts): { where: string; files: string[] }[] {
  const filesOf = (files: Record<string, unknown>) =>
    Object.values(files).flatMap((content) =>
      typeof content === 'object' && content !== null && 'file' in content
        ? [(content as { file: string }).file]
        : [],
    );
  return [
    ...(part.configMaps ?? []).map((c) => ({ where: `ConfigMap ${c.name}`, files: filesOf(c.files) })),
    ...(part.secrets ?? []).map((s) => ({ where: `Secret ${s.name}`, files: filesOf(s.files) })),
    ...(part.deployments ?? []).flatMap((d) =>
      (d.configFiles ?? []).map((c) => ({ where: `${d.id}'s config ${c.name}`, files: filesOf(c.files) })),
    ),
  ];
}

interface Collected {
  paths: PathInput[];
  goRoots: GoRoot[];
  uncertain: string[];
  notes: string[];
}

/**
 * A built image's inputs. The Dockerfile says which Go packages it compiles (their import closure is the input, not
 * the whole context a `COPY . .` brings into the builder) and which context files reach the image otherwise. When it
 * runs no `go build`, the binary is taken to be `cmd/<image id>` if there is one (a runtime Dockerfile that copies a
 * binary built beforehand); otherwise the note says so.
 */
async function imageInputs(
  id: string,
  image: { dockerfile: string; context?: string | undefined; buildArgs?: Record<string, string> | undefined },
  tree: SourceTree,
  graph: GoPackageGraph,
  into: Collected,
): Promise<void> {
  const context = joinPath('', image.context ?? '.') ?? '';
  const inContext = (path: string) => (context === '' ? path : path === '' ? context : `${context}/${path}`);
  into.paths.push({ pattern: image.dockerfile, why: `the Dockerfile of image ${id}` });
  into.paths.push({
    pattern: inContext('.dockerignore'),
    why: `the .dockerignore of image ${id}'s build context`,
  });
  into.paths.push({
    pattern: `${image.dockerfile}.dockerignore`,
    why: `the .dockerignore of image ${id}'s Dockerfile`,
  });
  const text = (await tree.readFiles([image.dockerfile])).get(image.dockerfile);
  if (text === undefined) {
    into.uncertain.push(`image ${id}: its Dockerfile ${image.dockerfile} is not in ${tree.description}`);
    return;
  }
  const directories = directorySet(tree);
  const build = analyzeDockerfile(text, {
    buildArgs: image.buildArgs ?? {},
    ...(graph.goMod?.module !== undefined ? { goModule: graph.goMod.module } : {}),
    isDirectory: (path) => directories.has(inContext(path)),
  });
  if ('whole' in build.contextInputs) {
    into.paths.push({
      pattern: context,
      why: `image ${id}: ${build.contextInputs.whole} (${image.dockerfile}), so every file of its build context ${context === '' ? '(the repository)' : `${context}/`} is an input`,
      catchAll: true,
    });
  } else {
    for (const input of build.contextInputs)
      into.paths.push({
        pattern: inContext(input.pattern),
        why: `copied into image ${id} (${image.dockerfile}:${input.line}, ${input.why})`,
      });
  }
  for (const { target, line } of build.goBuilds) {
    const dir = inContext(target);
    into.goRoots.push({ dir, why: `image ${id}'s binary (${image.dockerfile}:${line})`, withTests: false });
  }
  if (build.goBuilds.length === 0 && !('whole' in build.contextInputs)) {
    const guess = `cmd/${id}`;
    if (graph.packages.has(guess)) {
      into.goRoots.push({
        dir: guess,
        why: `image ${id}'s binary (assumed: the image id names ${guess})`,
        withTests: false,
      });
      into.notes.push(
        `image ${id}: ${image.dockerfile} runs no go build; assumed it holds the binary of ${guess} (the image id)`,
      );
    } else if (build.contextInputs.length > 0) {
      into.notes.push(
        `image ${id}: could not tell which Go binary it holds (no go build in ${image.dockerfile}, no package ${guess}); its inputs are the files its COPY lines take`,
      );
    }
  }
}

/** Every directory that holds a file of the tree. */
function directorySet(tree: SourceTree): Set<string> {
  const dirs = new Set<string>();
  for (const file of tree.files) {
    for (let dir = dirOf(file); dir !== '' && !dirs.has(dir); dir = dirOf(dir)) dirs.add(dir);
  }
  return dirs;
}
