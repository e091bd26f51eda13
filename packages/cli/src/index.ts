/**
 * @kubernaut-e2e/cli — the `kubernaut-e2e` command (`up`, `down`, `plan`, `render`, `bench`, `status`, …) over the services a
 * project config declares. The binary is `dist/bin.js`; `main()` runs one invocation in-process (tests,
 * embedding).
 */
export { type CliArgs, COMMANDS, parseCliArgs, usage } from './args.js';
export { type CliIo, ExitCode, processIo } from './io.js';
export { main } from './main.js';
export { loadProjectConfig, selectServices } from './project-config.js';
