export { type CommandRunnerOptions, createCommandRunner } from './create-command-runner.js';
export { installHint } from './install-hints.js';
export { runExitActions, setExitAction } from './process-tree.js';
