#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './main.js';

// First SIGINT/SIGTERM cancels the run, which cleans up and exits 130; a second one exits at once.
const controller = new AbortController();
let interrupted = 0;
const onSignal = (name: NodeJS.Signals) => {
  interrupted++;
  if (interrupted > 1) process.exit(name === 'SIGTERM' ? 143 : 130);
  process.stderr.write(`\n${name}: cancelling and cleaning up… (again to exit now)\n`);
  controller.abort(new Error(`interrupted by ${name}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(process.argv.slice(2), processIo(), controller.signal);
process.exitCode = code;
// A cancelled run may leave timers of aborted steps behind; nothing else is running once main returns.
setTimeout(() => process.exit(code), 50).unref();
