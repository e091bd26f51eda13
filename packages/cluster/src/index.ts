/**
 * @kubernaut-e2e/cluster — kind cluster lifecycle (typed config rendered to YAML, create with transient
 * retry, delete, logs, coverage), the kind and existing-cluster `ClusterProvider`s, CRDs and namespaces.
 */

export { resolveCrdSources } from './crd-sources.js';
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
export { type ExistingClusterRunOps, resourceOf } from './existing-cluster-run.js';
export type { KindEngine, KindToolOptions } from './kind-cli.js';
export {
  type ApiServerInflightLimits,
  COVERAGE_CONTAINER_PATH,
  coverageMount,
  kubeadmApiServerPatch,
  parseKindConfig,
  renderKindConfig,
} from './kind-config.js';
export {
  type LoadedKindConfig,
  type LoadKindConfigFileOptions,
  loadKindConfigFile,
  type ResolvedHostPath,
} from './kind-config-file.js';
export {
  DEFAULT_KIND_NODE_IMAGE,
  KIND_CONFIG_API_VERSION,
  KIND_CONFIG_KIND,
  type KindClusterConfig,
  type KindClusterConfigInput,
  type KindJson6902Patch,
  type KindMount,
  type KindNetworking,
  type KindNode,
  type KindPortMapping,
  type KindPortMappingInput,
  kindClusterConfigSchema,
} from './kind-config-schema.js';
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
export { createKindOrphanRemover } from './kind-orphan-remover.js';
export { normalizeImageRef, parseKindClusters } from './kind-output.js';
export { createKindProvider, type KindProviderOptions } from './kind-provider.js';
export { KUBECONFIG_MODE } from './kubeconfig-file.js';
export {
  connectLocalRegistry,
  ensureLocalRegistry,
  type LocalRegistryToolOptions,
  localRegistryHostingConfigMap,
  localRegistryRunArgs,
  registryContainerdConfigPatch,
  registryHostsDir,
  registryHostsToml,
} from './local-registry.js';
export {
  type KindConfigAdditions,
  type MergedKindConfig,
  type MergeKindConfigOptions,
  mergeKindConfig,
  type SourcedMount,
  type SourcedPortMapping,
} from './merge-kind-config.js';
export {
  KIND_TRANSIENT_SIGNATURES,
  matchTransientSignature,
  type TransientSignature,
} from './transient-signatures.js';
