import {
  CONTENT_HASH_LABEL,
  type ContainerEngine,
  type LedgerEntry,
  type LedgerRecord,
  RUN_LABEL,
} from '@kubernaut-e2e/core';
import { LATE_COMMIT } from './engines/build-process.js';

/**
 * Everything one build made, and nothing else: the tagged result (only while the tag points at an image
 * this run built), the images it committed on the way (read from its output), and untagged images carrying
 * this run's label AND this build's content hash (podman's intermediate images; one reused from the layer
 * cache keeps the label of the run that created it, so it never matches).
 */
export interface BuildIdentity {
  readonly ref: string;
  readonly runId: string;
  readonly contentHash: string;
  /** Image IDs the build committed, oldest first (docker's intermediate images carry no labels). */
  readonly intermediates: readonly string[];
}

/** Lines of build output that name an image the build committed, or that say the next one is reused. */
const STEP = /^(?:STEP \d+\/\d+:|Step \d+\/\d+ :)\s*(\S+)/;
const USING_CACHE = /^\s*-{2,3}>\s+Using cache\b/;
const COMMITTED = /^\s*-{2,3}>\s+([0-9a-f]{10,64})\s*$/;
/** An image docker's daemon committed after the build's client stopped (the build process reports it). */
const LATE = LATE_COMMIT;

/**
 * Reads a build's output for the images it commits: podman prints `--> 2167cdfb7ca` after each step and
 * docker ` ---> 543c973d0bbe`. An ID after `Using cache`, or the one docker prints for `FROM` (the base
 * image), was not made by this build and is skipped.
 */
export class CommittedImages {
  readonly #ids: string[] = [];
  #reused = false;
  #from = false;

  constructor(private readonly onImage: (id: string) => void = () => {}) {}

  get ids(): readonly string[] {
    return this.#ids;
  }

  observe(line: string): void {
    const late = LATE.exec(line);
    if (late) {
      if (!this.#ids.includes(late[1]!)) {
        this.#ids.push(late[1]!);
        this.onImage(late[1]!);
      }
      return;
    }
    const step = STEP.exec(line);
    if (step) {
      this.#from = step[1]?.toUpperCase() === 'FROM';
      this.#reused = false;
      return;
    }
    if (USING_CACHE.test(line)) {
      this.#reused = true;
      return;
    }
    const committed = COMMITTED.exec(line);
    if (!committed) return;
    const id = committed[1]!;
    const made = !this.#reused && !this.#from;
    this.#reused = false;
    this.#from = false;
    if (made && !this.#ids.includes(id)) {
      this.#ids.push(id);
      this.onImage(id);
    }
  }
}

/** Untagged images this build made that are still in the store (podman's intermediates). */
async function labelledDebris(engine: ContainerEngine, build: BuildIdentity) {
  const images = await engine.findByLabel(RUN_LABEL, build.runId);
  return images.filter((i) => i.refs.length === 0 && i.labels[CONTENT_HASH_LABEL] === build.contentHash);
}

async function refIsOurs(engine: ContainerEngine, build: BuildIdentity): Promise<boolean> {
  const image = await engine.inspect(build.ref);
  return image !== undefined && image.labels[RUN_LABEL] === build.runId;
}

/**
 * Whether a committed image is still this build's: present, and named by nothing but the build's own tag (a
 * later cache hit may have tagged the finished image for another consumer or run — then it is theirs too).
 */
async function stillOurs(engine: ContainerEngine, build: BuildIdentity, id: string): Promise<boolean> {
  const image = await engine.inspect(id);
  return image?.refs.every((ref) => ref === build.ref) === true;
}

async function anyExists(engine: ContainerEngine, build: BuildIdentity): Promise<boolean> {
  for (const id of build.intermediates) if (await stillOurs(engine, build, id)) return true;
  return false;
}

/** Whether anything `build` made is still in the engine. */
export async function buildResultExists(engine: ContainerEngine, build: BuildIdentity): Promise<boolean> {
  return (
    (await refIsOurs(engine, build)) ||
    (await anyExists(engine, build)) ||
    (await labelledDebris(engine, build)).length > 0
  );
}

/**
 * Removes everything `build` made — never a tag that now names another run's image, never a cached image it
 * reused. Children before parents: the result, then the committed images newest first, then the labelled
 * untagged ones, repeated while that makes progress (removing a child frees its parent). Not bound to any
 * signal: it runs after a cancellation. Throws one error naming what could not be removed.
 */
export async function removeBuildResult(engine: ContainerEngine, build: BuildIdentity): Promise<void> {
  const problems: string[] = [];
  const remove = async (what: string) => {
    try {
      await engine.removeImage(what);
      return true;
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message.split('\n')[0]}`);
      return false;
    }
  };
  if (await refIsOurs(engine, build)) await remove(build.ref);
  for (const id of [...build.intermediates].reverse()) {
    if (await stillOurs(engine, build, id)) await remove(id);
  }
  for (;;) {
    const debris = await labelledDebris(engine, build);
    if (debris.length === 0) break;
    let progress = false;
    for (const image of debris) if (await remove(image.id)) progress = true;
    if (!progress) break;
  }
  if (problems.length > 0 && (await buildResultExists(engine, build))) {
    throw new Error(`could not remove ${problems.join('; ')}`);
  }
}

/**
 * The ledger record of a build's result, recorded BEFORE the build starts: a build cancelled after it
 * committed its image still has its image removed, and removing what was never made is a no-op.
 */
export function buildResultRecord(
  engine: ContainerEngine,
  build: BuildIdentity,
  /** The identity as it is when the record is disposed (the build may have committed more since). */
  current: () => BuildIdentity = () => build,
): LedgerRecord {
  return {
    kind: 'image',
    name: build.ref,
    dispose: () => removeBuildResult(engine, current()),
    exists: () => buildResultExists(engine, current()),
    removeCommand: [engine.name, 'rmi', '-f', build.ref, ...build.intermediates],
    resource: {
      tool: engine.name,
      details: {
        runId: build.runId,
        contentHash: build.contentHash,
        ...(build.intermediates.length ? { intermediates: build.intermediates.join(',') } : {}),
      },
    },
  };
}

type BuildLedger = {
  record(record: LedgerRecord): LedgerEntry;
  release?(entry: LedgerEntry): void;
};

/**
 * Keeps a build's ledger record up to date while it runs: each image the build commits is added (a new
 * record replaces the old one, so a persisted ledger always lists them for a later `down`).
 */
export function trackBuild(
  ledger: BuildLedger | undefined,
  engine: ContainerEngine,
  build: Omit<BuildIdentity, 'intermediates'>,
) {
  const intermediates: string[] = [];
  const identity = (): BuildIdentity => ({ ...build, intermediates: [...intermediates] });
  let entry = ledger?.record(buildResultRecord(engine, identity(), identity));
  return {
    identity,
    committed(id: string): void {
      intermediates.push(id);
      if (!ledger?.release || !entry) return;
      const previous = entry;
      entry = ledger.record(buildResultRecord(engine, identity(), identity));
      ledger.release(previous);
    },
  };
}
