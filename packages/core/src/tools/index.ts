export { DEFAULT_TOOLS, detectTools, requireTools, type ToolStatus } from './detect-tools.js';
export { findExecutable } from './find-executable.js';
export {
  parseDockerVersion,
  parseKindVersion,
  parseKubectlClientVersion,
  parsePodmanVersion,
} from './parsers.js';
export { compareVersions, MINIMUM_VERSIONS, parseVersion, type ToolVersion } from './versions.js';
