/**
 * @kubernaut-e2e/cli — the `kubernaut-e2e` command (`up`, `down`, `plan`, `bench`, `status`). The binary is
 * `dist/bin.js`; `main()` runs one invocation in-process (tests, embedding).
 */
export {
  type CliArgs,
  COMMANDS,
  KEEP_POLICIES,
  PATTERNS,
  parseCliArgs,
  RUNTIMES,
  SERVICES,
  USAGE,
} from './args.js';
export { type CliIo, ExitCode, processIo } from './io.js';
export { main } from './main.js';
