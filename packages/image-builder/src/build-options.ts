import type { ContainerEngine, LogSink, RunLedger } from '@kubernaut-e2e/core';

/** Options of `buildImageForKind` / `buildImagesForKind` / `createImageBuilder`. */
export interface BuildImageOptions {
  /** Podman (`createPodmanEngine`) or docker (`createDockerEngine`). */
  readonly engine: ContainerEngine;
  /** Every Dockerfile and build context must resolve inside this directory. */
  readonly projectRoot: string;
  readonly log?: LogSink;
  /** Prefix of log lines; `build:<serviceName>` by default. */
  readonly logSource?: string;
  /** Aborting kills the build. */
  readonly signal?: AbortSignal;
  /** Where the mode variables and `E2E_COVERAGE` are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Records every image (and every tag) this call creates, so a failed run removes exactly those and
   * never a cached or pre-existing image. With `release`, a build's record is kept current with the images
   * it commits (for a later `down` when the ledger is persisted); its `runId` labels the images.
   */
  readonly ledger?: Pick<RunLedger, 'record'> & Partial<Pick<RunLedger, 'release' | 'runId'>>;
  /**
   * Labels every image this call builds (`io.kubernaut-e2e.run=<runId>`), so exactly what a cancelled or
   * failed build left is found and removed. The ledger's `runId` by default, else a new one per call.
   */
  readonly runId?: string;
  /** `process.arch` by default; decides the `GOARCH` build argument. */
  readonly hostArch?: string;
}
