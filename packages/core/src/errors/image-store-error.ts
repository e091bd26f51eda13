import { formatArgv } from './command-error.js';
import { ErrorCode, KubernautError } from './kubernaut-error.js';

/**
 * The container engine's image store holds a broken image — typically one whose build was killed while it
 * committed (its manifest or a layer is missing). It is not a failure of the command that met it: every
 * later listing of the store fails the same way until the image is removed, so the message names the image
 * and the exact command that removes it.
 */
export class ImageStoreError extends KubernautError {
  readonly code = ErrorCode.ImageStore;

  constructor(
    /** `podman`, `docker`, or the engine's binary. */
    readonly engine: string,
    /** The broken image's ID, when the engine named it. */
    readonly imageId: string | undefined,
    /** The command that met the broken image, and what the engine said. */
    readonly argv: readonly string[],
    readonly stderrTail: readonly string[],
    options?: { cause?: unknown },
  ) {
    const repair = imageId ? [engine, 'rmi', '-f', imageId] : undefined;
    super(
      `${engine}'s image store has a broken image${imageId ? ` ${imageId}` : ''} (its manifest or a layer is missing, ` +
        `e.g. a build was killed while it committed); every \`${engine} images\` fails until it is removed. ` +
        (repair
          ? `Remove it with \`${formatArgv(repair)}\`, then run again.`
          : `Find it with \`${engine} images -a\` and remove it with \`${engine} rmi -f <id>\`, then run again.`) +
        `\n  command: ${formatArgv(argv)}${stderrTail.length ? `\n  │ ${stderrTail.join('\n  │ ')}` : ''}`,
      options,
    );
    this.repairCommand = repair;
  }

  /** The argv that removes the broken image (`podman rmi -f <id>`), when its ID is known. */
  readonly repairCommand: readonly string[] | undefined;
}
