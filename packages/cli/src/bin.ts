#!/usr/bin/env node
import { parseCliArgs } from './args.js';
import {
  createInterruptHandler,
  downCommandFor,
  exitDeadlineFromEnvironment,
  openLedgersLeftBehind,
} from './interrupt.js';
import { processIo } from './io.js';
import { main } from './main.js';

// First SIGINT/SIGTERM cancels the run, which cleans up and exits 130/143; past the exit deadline, or on a second
// signal, it exits at once and says what is left and the `down` command that removes it.
let deadlineMs: number;
try {
  deadlineMs = exitDeadlineFromEnvironment(process.env);
} catch (error) {
  process.stderr.write(`\n${(error as Error).message}\nNothing was run.\n`);
  process.exit(2);
}
const argv = process.argv.slice(2);
const controller = new AbortController();
const onSignal = createInterruptHandler({
  deadlineMs,
  cancel: (reason) => controller.abort(reason),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
  leftBehind: openLedgersLeftBehind,
  downCommand: () => {
    try {
      return downCommandFor(parseCliArgs(argv, process.env));
    } catch {
      return undefined;
    }
  },
});
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(argv, processIo(), controller.signal);
process.exitCode = code;
// A cancelled run may leave timers of aborted steps behind; nothing else is running once main returns.
setTimeout(() => process.exit(code), 50).unref();
