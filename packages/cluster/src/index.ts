/**
 * @kubernaut-e2e/cluster — kind cluster lifecycle (typed config rendered to YAML, create with transient
 * retry, delete, logs, coverage), the kind and existing-cluster `ClusterProvider`s, CRDs and namespaces.
 */

export {
  type CrdSource,
  createNamespace,
  type InstallCrdsOptions,
  installCRDs,
  readCrdFiles,
} from './crds.js';
export {
  type ClusterLedger,
  type CreateKindClusterOptions,
  createKindCluster,
  type KindClusterInfo,
  type KindCreateAttempt,
  KindCreateError,
} from './create-kind-cluster.js';
export {
  createExistingClusterProvider,
  type ExistingClusterProvider,
  type ExistingClusterProviderOptions,
  parseContextNames,
} from './existing-cluster-provider.js';
export type { KindEngine, KindToolOptions } from './kind-cli.js';
export {
  type ApiServerInflightLimits,
  COVERAGE_CONTAINER_PATH,
  coverageMount,
  DEFAULT_KIND_NODE_IMAGE,
  type KindClusterConfig,
  type KindClusterConfigInput,
  type KindMount,
  type KindNode,
  type KindPortMapping,
  kindClusterConfigSchema,
  kubeadmApiServerPatch,
  renderKindConfig,
} from './kind-config.js';
export {
  type DeleteKindClusterOptions,
  deleteKindCluster,
  exportKindLogs,
  kindClusterExists,
  listKindClusters,
  listKindNodeImages,
  loadKindImageArchive,
  prepareCoverageDir,
  writeKindKubeconfig,
} from './kind-lifecycle.js';
export { normalizeImageRef, parseCrictlImages, parseKindClusters } from './kind-output.js';
export { createKindProvider, type KindProviderOptions } from './kind-provider.js';
export { KUBECONFIG_MODE } from './kubeconfig-file.js';
export {
  KIND_TRANSIENT_SIGNATURES,
  matchTransientSignature,
  type TransientSignature,
} from './transient-signatures.js';
