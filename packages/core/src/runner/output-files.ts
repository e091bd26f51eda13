import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** How often the files are read for new lines while the command runs. */
const POLL_MS = 50;
const CHUNK = 64 * 1024;

/** One output file: written by the command, read here from where the last read stopped. */
class FollowedFile {
  readonly writeFd: number;
  readonly #readFd: number;
  #offset = 0;
  #partial = '';
  #text = '';
  readonly #decoder = new TextDecoder();

  constructor(
    path: string,
    private readonly onLine: (line: string) => void,
  ) {
    // `wx`: a file that is already there is someone else's; the caller gives a directory of its own.
    this.writeFd = openSync(path, 'wx', 0o600);
    this.#readFd = openSync(path, 'r');
  }

  /** Reads what was written since the last call and hands on each complete line. */
  drain(): void {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(this.#readFd, buffer, 0, CHUNK, this.#offset);
      if (n <= 0) return;
      this.#offset += n;
      const chunk = this.#decoder.decode(buffer.subarray(0, n), { stream: true });
      this.#text += chunk;
      const lines = (this.#partial + chunk).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.onLine(line.replace(/\r$/, ''));
    }
  }

  /** The last read, the unfinished last line handed on, the file closed; returns all the command wrote. */
  finish(): string {
    this.drain();
    const rest = this.#decoder.decode();
    this.#text += rest;
    this.#partial += rest;
    if (this.#partial !== '') this.onLine(this.#partial.replace(/\r$/, ''));
    this.#partial = '';
    closeSync(this.#readFd);
    return this.#text.replace(/\r?\n$/, '');
  }

  closeWriteEnd(): void {
    closeSync(this.writeFd);
  }
}

/**
 * A command's stdout and stderr as files (`<dir>/stdout`, `<dir>/stderr`) instead of pipes, read back line by line
 * while it runs. Why: a command writing to a pipe dies of SIGPIPE at its next line once the reading process is
 * gone, before any cleanup of its own; a file never breaks, so the command outlives this process intact.
 */
export class OutputFiles {
  readonly stdout: FollowedFile;
  readonly stderr: FollowedFile;
  #timer: NodeJS.Timeout | undefined;

  constructor(dir: string, onLine: (stream: 'stdout' | 'stderr', text: string) => void) {
    this.stdout = new FollowedFile(join(dir, 'stdout'), (text) => onLine('stdout', text));
    try {
      this.stderr = new FollowedFile(join(dir, 'stderr'), (text) => onLine('stderr', text));
    } catch (error) {
      this.stdout.closeWriteEnd();
      this.stdout.finish();
      throw error;
    }
  }

  /** Once the command has its own copies of the write ends: ours are closed, and reading starts. */
  follow(): void {
    this.stdout.closeWriteEnd();
    this.stderr.closeWriteEnd();
    this.#timer = setInterval(() => {
      this.stdout.drain();
      this.stderr.drain();
    }, POLL_MS);
  }

  /** After the command exited: everything it wrote. */
  finish(): { stdout: string; stderr: string } {
    clearInterval(this.#timer);
    return { stdout: this.stdout.finish(), stderr: this.stderr.finish() };
  }
}
