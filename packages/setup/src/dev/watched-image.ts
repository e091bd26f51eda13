import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { ImageBuildConfig } from '@kubernaut-e2e/core';
import {
  ContextSelection,
  DockerIgnore,
  hashImageSources,
  type ImageSourcesHash,
} from '@kubernaut-e2e/image-builder';
import type { WatchedImageInfo } from './types.js';

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/**
 * One image the dev loop watches: which files its build reads (the Dockerfile, and the context files its COPY/ADD
 * instructions take that `.dockerignore` leaves in) and their content hash. `reads()` is a cheap, generous
 * pre-filter for watcher events; the hash decides whether the image really changed.
 */
export class WatchedImage {
  #dockerfile = '';
  #context = '';
  #ignore = new DockerIgnore('');
  #selection: ContextSelection | undefined;
  #sources: readonly string[] | undefined;

  private constructor(
    readonly id: string,
    readonly config: ImageBuildConfig,
    private readonly projectRoot: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Reads the image's Dockerfile and `.dockerignore` and hashes what it reads. */
  static async load(
    id: string,
    config: ImageBuildConfig,
    projectRoot: string,
    env: NodeJS.ProcessEnv,
  ): Promise<{ image: WatchedImage; hash: string }> {
    const image = new WatchedImage(id, config, projectRoot, env);
    return { image, hash: await image.hash() };
  }

  /**
   * Hashes what the build reads now, and re-reads the Dockerfile's sources and `.dockerignore` (an edit to either
   * changes what later events mean).
   */
  async hash(): Promise<string> {
    const hashed: ImageSourcesHash = await hashImageSources(this.config, {
      projectRoot: this.projectRoot,
      env: this.env,
    });
    this.#dockerfile = hashed.dockerfile;
    this.#context = hashed.context;
    this.#sources = hashed.sources;
    this.#selection = hashed.sources === undefined ? undefined : new ContextSelection(hashed.sources);
    this.#ignore = new DockerIgnore(await readIgnoreFile(hashed.context));
    return hashed.hash;
  }

  /** Where the watcher must look: the context, and the Dockerfile when it lies outside it. */
  get roots(): readonly string[] {
    return this.#contextPath(this.#dockerfile) === undefined
      ? [this.#context, this.#dockerfile]
      : [this.#context];
  }

  /** True when a change at `path` (absolute; file or directory) may change what the build reads. */
  reads(path: string): boolean {
    if (path === this.#dockerfile) return true;
    const rel = this.#contextPath(path);
    if (rel === undefined) return false;
    if (rel === '' || rel === '.dockerignore') return true;
    if (this.#ignore.excludes(rel)) return false;
    return this.#selection === undefined || this.#selection.mayInclude(rel);
  }

  /** False when nothing at or below the directory `path` is read, so a watcher can skip it. */
  mayReadBelow(path: string): boolean {
    if (this.#dockerfile === path || this.#dockerfile.startsWith(`${path}${sep}`)) return true;
    const rel = this.#contextPath(path);
    if (rel === undefined) return this.#context.startsWith(`${path}${sep}`);
    if (rel === '') return true;
    if (this.#ignore.canPrune(rel)) return false;
    return this.#selection === undefined || this.#selection.mayInclude(rel);
  }

  /** `path` relative to the project root, for messages. */
  display(path: string): string {
    return toPosix(relative(this.projectRoot, path)) || '.';
  }

  get info(): WatchedImageInfo {
    return {
      id: this.id,
      dockerfile: this.display(this.#dockerfile),
      context: this.display(this.#context),
      sources: this.#sources,
    };
  }

  /** The POSIX path inside the context, '' for the context itself, `undefined` outside it. */
  #contextPath(path: string): string | undefined {
    const rel = relative(this.#context, path);
    if (rel === '') return '';
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
    return toPosix(rel);
  }
}

async function readIgnoreFile(context: string): Promise<string> {
  try {
    return await readFile(`${context}${sep}.dockerignore`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
