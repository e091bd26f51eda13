import { clusterNameSchema, hostPortSchema, kubeNameSchema } from '@kubernaut-e2e/core';
import { PATTERNS } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import type { Stack } from '../stack.js';
import { nodePortSchema, relativePath } from './common.js';
import { partsShape } from './parts.js';

const stackSchema = z.custom<Stack>(
  (v) => typeof v === 'object' && v !== null && (v as Stack).kind === 'stack',
  'a stack made with defineStack',
);

/** What `defineStack` takes: a reusable part several services build on (e.g. DataStorage's stack). */
export const stackSpecSchema = z.strictObject({
  /** Names the stack in errors and in `plan`. */
  name: z.string().min(1),
  description: z.string().optional(),
  /** Stacks this one builds on; each is composed once, before it. */
  uses: z.array(stackSchema).optional(),
  ...partsShape,
});
export type StackSpec = z.input<typeof stackSpecSchema>;

/** What `defineService` takes: one suite's setup, as data. */
export const serviceSpecSchema = z.strictObject({
  /** `gateway`, `orders`, …: a DNS label; the CLI's service name. */
  name: kubeNameSchema,
  description: z.string().optional(),
  /** The ordering this service has migrated to (`dag` when omitted). */
  pattern: z.enum(PATTERNS).optional(),
  /** Namespace everything is deployed into; `kubernaut-system` when omitted. */
  namespace: kubeNameSchema.optional(),
  /**
   * The names the suite's own test code looks for: the kind cluster (`<name>-e2e` when omitted) and the kubeconfig
   * file (`~/.kube/kubernaut-e2e/<cluster>.kubeconfig` when omitted; `~/` is the home directory).
   */
  cluster: z
    .strictObject({
      name: clusterNameSchema.optional(),
      kubeconfig: z.string().min(1, 'a file path, e.g. ~/.kube/gateway-e2e-config').optional(),
    })
    .optional(),
  /**
   * The repository's own kind config for this suite, relative to the project root, e.g.
   * `test/infrastructure/kind-gateway-config.yaml`. It is read as kind reads it and the port mappings and mounts the
   * setup needs are merged in; `plan` says what changed. Omitted: a one-node config publishing the host ports.
   */
  kindConfig: relativePath.optional(),
  /** Reusable stacks this service builds on, e.g. `[dataStorageStack]`. */
  uses: z.array(stackSchema).optional(),
  /** Every host port the setup publishes, by name, including those its stacks publish. */
  hostPorts: z.record(z.string().min(1), hostPortSchema),
  /** Host port name → the node port kind publishes it from, to move a stack's node port for this suite. */
  nodePorts: z.record(z.string().min(1), nodePortSchema).optional(),
  ...partsShape,
});
export type ServiceSpec = z.input<typeof serviceSpecSchema>;
