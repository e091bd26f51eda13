import type {
  ClusterProvider,
  CommandRunner,
  ContainerEngine,
  LogSink,
  RunLedger,
} from '@kubernaut-e2e/core';

/** The container runtime kind drives (`KIND_EXPERIMENTAL_PROVIDER`). */
export type KindProvider = 'podman' | 'docker';

export interface KindLoadOptions {
  /** Exports the images (`save`); the same engine that built them. */
  readonly engine: ContainerEngine;
  /** Runs `kind` (and `<provider> exec … crictl` to list node images). */
  readonly runner: CommandRunner;
  /** Owns the private temp directory of each archive, and knows which images this run built. */
  readonly ledger: Pick<RunLedger, 'tempDir' | 'entries' | 'release' | 'dispose'>;
  /** Runtime of the kind nodes; follows the engine by default (podman → `KIND_EXPERIMENTAL_PROVIDER=podman`). */
  readonly provider?: KindProvider;
  /**
   * Remove each loaded image from the engine afterwards (the seed does, to save disk). Only images this
   * run built are ever removed; see `builtByThisRun`.
   */
  readonly removeEngineImage?: boolean;
  /** Whether this run built `ref`; by default, whether the ledger holds an `image` entry named `ref`. */
  readonly builtByThisRun?: (ref: string) => boolean;
  /**
   * Lists node images for the "already loaded" check (e.g. the cluster package's kind provider). When
   * omitted, `<provider> exec <cluster>-control-plane crictl images -o json` is run.
   */
  readonly cluster?: Pick<ClusterProvider, 'listNodeImages'>;
  /** Load into these nodes only (`kind load … --nodes a,b`); every node by default. */
  readonly nodes?: readonly string[];
  /** The kind binary; `kind` by default. */
  readonly kindBinary?: string;
  readonly log?: LogSink;
  readonly logSource?: string;
  readonly signal?: AbortSignal;
}

export function providerOf(options: Pick<KindLoadOptions, 'provider' | 'engine'>): KindProvider {
  return options.provider ?? (options.engine.name === 'docker' ? 'docker' : 'podman');
}
