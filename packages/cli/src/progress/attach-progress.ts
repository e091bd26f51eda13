import type { EventStream } from '@kubernaut-e2e/core';
import type { CliIo } from '../io.js';
import { attachPlainProgress } from './plain-progress.js';
import { attachTtyProgress } from './tty-progress.js';

/** Live task list on a terminal, plain timestamped lines in CI and pipes, nothing with `--json`. */
export function attachProgress(events: EventStream, io: CliIo, json: boolean): () => void {
  if (json) return () => {};
  if (io.interactive && io.ttyStream) return attachTtyProgress(events, io.ttyStream);
  return attachPlainProgress(events, (line) => io.stderr(`${line}\n`));
}
