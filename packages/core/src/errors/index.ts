export { CommandError, type CommandFailure, formatArgv } from './command-error.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export { ImageStoreError } from './image-store-error.js';
export { ErrorCode, isKubernautError, KubernautError } from './kubernaut-error.js';
export {
  CancelledError,
  NotReadyError,
  OutputFormatError,
  PlanError,
  PodFailedError,
  StepError,
  TimeoutError,
  ToolNotFoundError,
} from './simple-errors.js';
