import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue, formatIssuePath } from '@kubernaut-e2e/core';
import type { z } from 'zod';
import { fieldIssues } from './field-issues.js';
import { bindingsOverlap, describeBinding, type HostBinding, hostBindingOf } from './host-bindings.js';
import { parseKindConfig } from './kind-config.js';
import {
  apiServerBinding,
  DEFAULT_KIND_NODE_IMAGE,
  type KindClusterConfig,
  type KindClusterConfigInput,
  type KindMount,
  type KindPortMapping,
  type KindPortMappingInput,
  kindMountSchema,
  kindPortMappingSchema,
} from './kind-config-schema.js';

/** A port mapping a setup needs, with where it comes from for messages (e.g. `setup hostPorts.gateway`). */
export interface SourcedPortMapping extends KindPortMappingInput {
  readonly source?: string;
}

/** A mount a setup needs (e.g. the coverage directory), with where it comes from for messages. */
export interface SourcedMount extends z.input<typeof kindMountSchema> {
  readonly source?: string;
}

/** What a setup adds to a repository's kind config: all of it goes to the (first) control-plane node. */
export interface KindConfigAdditions {
  readonly portMappings?: readonly SourcedPortMapping[];
  readonly mounts?: readonly SourcedMount[];
}

export interface MergeKindConfigOptions {
  readonly sources: {
    /** Names the base config in messages, e.g. `test/infrastructure/kind-gateway-config.yaml`. */
    readonly base: string;
    /** Names an addition that has no `source` of its own (`<additions> portMappings[1]`); default `additions`. */
    readonly additions?: string;
  };
}

export interface MergedKindConfig {
  /** The merged config, validated, defaults applied: ready for `createKindCluster` / `renderKindConfig`. */
  readonly config: KindClusterConfig;
  /**
   * What the merge did, one short line each, for a `plan` to print, e.g. `kept the 6 port mappings of
   * kind-gateway-config.yaml, added 2: …`. `['used as is']` when it changed nothing.
   */
  readonly changes: readonly string[];
}

interface Claim {
  readonly binding: HostBinding;
  /** `undefined` for the API server. */
  readonly containerPort: number | undefined;
  readonly label: string;
}

/**
 * Merges the port mappings and mounts a setup needs into a repository's kind config, on its first
 * control-plane node (where kind publishes ports and where single-node E2E clusters run everything).
 *
 * A mapping the base already has — same host port, protocol and address, same container port — is kept
 * once, not duplicated. A host socket the base maps to a *different* container port (or that the API
 * server uses) is a conflict, as is a container path mounted from two host paths; conflicts are refused
 * together in one `ConfigError` naming both sides, e.g. `test/infrastructure/kind-gateway-config.yaml
 * nodes[0].extraPortMappings[2]` and `setup hostPorts.gateway`. Nothing in the base is removed or
 * rewritten; the only other change is kind's defaults (a control-plane node, the pinned node image),
 * which `changes` reports.
 */
export function mergeKindConfig(
  base: KindClusterConfigInput,
  additions: KindConfigAdditions,
  options: MergeKindConfigOptions,
): MergedKindConfig {
  const baseLabel = options.sources.base;
  const additionsLabel = options.sources.additions ?? 'additions';
  const parsed = parseKindConfig(base, `kind config ${baseLabel}`);
  const additionIssues: ConfigIssue[] = [];
  const portMappings = parseAdditions(
    additions.portMappings ?? [],
    kindPortMappingSchema,
    `${additionsLabel} portMappings`,
    additionIssues,
  );
  const mounts = parseAdditions(
    additions.mounts ?? [],
    kindMountSchema,
    `${additionsLabel} mounts`,
    additionIssues,
  );
  if (additionIssues.length > 0) {
    throw new ConfigError(additionIssues, { subject: "the setup's kind config additions" });
  }

  const merged: KindClusterConfig = structuredClone(parsed);
  const targetIndex = merged.nodes.findIndex((n) => n.role === 'control-plane'); // the schema requires one
  const issues: ConfigIssue[] = [];
  const ports = mergePortMappings(merged, targetIndex, portMappings, baseLabel, issues);
  const mountChanges = mergeMounts(merged, targetIndex, mounts, baseLabel, issues);

  if (issues.length > 0) {
    throw new ConfigError(issues, { subject: `kind config ${baseLabel} with the setup's additions` });
  }

  const changes = [
    ...defaultsApplied(base),
    ...summarize(['port mapping', 'port mappings'], countPortMappings(parsed), baseLabel, ports),
    ...summarize(
      ['mount', 'mounts'],
      parsed.nodes[targetIndex]?.extraMounts?.length ?? 0,
      baseLabel,
      mountChanges,
    ),
  ];
  return {
    config: parseKindConfig(merged, `kind config ${baseLabel} with the setup's additions`),
    changes: changes.length > 0 ? changes : ['used as is'],
  };
}

/** What one kind of addition did: each entry described as `<what> (<source>)`. */
interface Outcome {
  readonly added: string[];
  readonly present: string[];
}

// Host sockets are claimed across all nodes (every node container publishes on the same host), so an
// addition is compared with every node's mappings and the API server, and with earlier additions.
function mergePortMappings(
  config: KindClusterConfig,
  targetIndex: number,
  additions: readonly { value: KindPortMapping; label: string }[],
  baseLabel: string,
  issues: ConfigIssue[],
): Outcome {
  const target = config.nodes[targetIndex]!;
  const claims: Claim[] = [];
  config.nodes.forEach((node, i) => {
    node.extraPortMappings?.forEach((m, j) => {
      const binding = hostBindingOf(m);
      const label = `${baseLabel} ${formatIssuePath(['nodes', i, 'extraPortMappings', j])}`;
      if (binding) claims.push({ binding, containerPort: m.containerPort, label });
    });
  });
  const apiServer = apiServerBinding(config.networking);
  if (apiServer) {
    claims.push({
      binding: apiServer,
      containerPort: undefined,
      label: `${baseLabel} networking.apiServerPort`,
    });
  }

  const outcome: Outcome = { added: [], present: [] };
  for (const { value: mapping, label } of additions) {
    const binding = hostBindingOf(mapping);
    const described = `${binding ? describeBinding(binding) : 'a random host port'} → ${mapping.containerPort} (${label})`;
    const claim = binding && claims.find((c) => bindingsOverlap(c.binding, binding));
    if (claim && binding) {
      // Same socket, same container port: already published (a NodePort answers on every node).
      if (claim.containerPort === mapping.containerPort) outcome.present.push(described);
      else issues.push({ path: label, message: portConflict(binding, claim, mapping.containerPort, label) });
      continue;
    }
    if (!binding && target.extraPortMappings?.some((m) => samePortMapping(m, mapping))) {
      outcome.present.push(described);
      continue;
    }
    target.extraPortMappings = [...(target.extraPortMappings ?? []), mapping];
    if (binding) claims.push({ binding, containerPort: mapping.containerPort, label });
    outcome.added.push(described);
  }
  return outcome;
}

function portConflict(binding: HostBinding, claim: Claim, containerPort: number, label: string): string {
  const port = describeBinding(binding);
  return claim.containerPort === undefined
    ? `host port ${port} is the API server's (${claim.label}); ${label} cannot map it to container port ${containerPort} — choose another host port`
    : `host port ${port} is mapped to container port ${claim.containerPort} by ${claim.label} and to container port ${containerPort} by ${label} — change one of the two host ports`;
}

// Mounts belong to one node container: compared with the target node's own mounts and earlier additions.
function mergeMounts(
  config: KindClusterConfig,
  targetIndex: number,
  additions: readonly { value: KindMount; label: string }[],
  baseLabel: string,
  issues: ConfigIssue[],
): Outcome {
  const target = config.nodes[targetIndex]!;
  const owners = new Map<string, { mount: KindMount; label: string }>();
  target.extraMounts?.forEach((m, j) => {
    const label = `${baseLabel} ${formatIssuePath(['nodes', targetIndex, 'extraMounts', j])}`;
    owners.set(resolve(m.containerPath), { mount: m, label });
  });
  const outcome: Outcome = { added: [], present: [] };
  for (const { value: mount, label } of additions) {
    const described = `${mount.hostPath} → ${mount.containerPath} (${label})`;
    const owner = owners.get(resolve(mount.containerPath));
    if (owner) {
      if (sameMount(owner.mount, mount)) {
        outcome.present.push(described);
      } else {
        issues.push({
          path: label,
          message: `container path ${mount.containerPath} is mounted from ${owner.mount.hostPath}${mountFlags(owner.mount)} by ${owner.label} and from ${mount.hostPath}${mountFlags(mount)} by ${label}; a node can mount a path once — use the same host directory in both`,
        });
      }
      continue;
    }
    target.extraMounts = [...(target.extraMounts ?? []), mount];
    owners.set(resolve(mount.containerPath), { mount, label });
    outcome.added.push(described);
  }
  return outcome;
}

// Validates each addition (its `source` is ours, not kind's) and labels it for messages.
function parseAdditions<S extends z.ZodType>(
  items: readonly ({ readonly source?: string } & object)[],
  schema: S,
  fallbackLabel: string,
  issues: ConfigIssue[],
): { value: z.output<S>; label: string }[] {
  return items.map(({ source, ...item }, i) => {
    const label = source ?? `${fallbackLabel}[${i}]`;
    const result = schema.safeParse(item);
    if (!result.success) {
      for (const issue of fieldIssues(result.error)) {
        issues.push({ path: `${label} ${issue.path}`, message: issue.message });
      }
    }
    return { value: result.data as z.output<S>, label };
  });
}

// What kind (and this package) fill in that the base did not say; reported so "used as is" stays true.
function defaultsApplied(base: KindClusterConfigInput): string[] {
  if (base.nodes === undefined) {
    return [`declares no nodes: one control-plane node on ${DEFAULT_KIND_NODE_IMAGE}`];
  }
  return base.nodes.flatMap((node, i) =>
    node.image === undefined ? [`nodes[${i}] pins no node image: ${DEFAULT_KIND_NODE_IMAGE}`] : [],
  );
}

function summarize(
  [one, many]: readonly [string, string],
  kept: number,
  baseLabel: string,
  { added, present }: Outcome,
): string[] {
  if (added.length === 0 && present.length === 0) return [];
  const head = `kept the ${kept} ${kept === 1 ? one : many} of ${baseLabel}`;
  const parts = [
    added.length > 0 ? `added ${added.length}: ${added.join(', ')}` : undefined,
    present.length > 0 ? `${present.length} already there: ${present.join(', ')}` : undefined,
  ].filter((p) => p !== undefined);
  return [`${head}, ${parts.join('; ')}`];
}

function countPortMappings(config: KindClusterConfig): number {
  return config.nodes.reduce((n, node) => n + (node.extraPortMappings?.length ?? 0), 0);
}

function samePortMapping(a: KindPortMapping, b: KindPortMapping): boolean {
  return (
    a.containerPort === b.containerPort &&
    (a.hostPort ?? 0) === (b.hostPort ?? 0) &&
    (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP') &&
    (a.listenAddress ?? '') === (b.listenAddress ?? '')
  );
}

// kind's defaults for an unset flag: read-write, no relabel, propagation None.
function sameMount(a: KindMount, b: KindMount): boolean {
  return (
    resolve(a.hostPath) === resolve(b.hostPath) &&
    Boolean(a.readOnly) === Boolean(b.readOnly) &&
    Boolean(a.selinuxRelabel) === Boolean(b.selinuxRelabel) &&
    (a.propagation ?? 'None') === (b.propagation ?? 'None')
  );
}

function mountFlags(mount: KindMount): string {
  const flags = [
    mount.readOnly ? 'read-only' : undefined,
    mount.selinuxRelabel ? 'selinuxRelabel' : undefined,
    mount.propagation && mount.propagation !== 'None' ? `propagation ${mount.propagation}` : undefined,
  ].filter((f) => f !== undefined);
  return flags.length > 0 ? ` (${flags.join(', ')})` : '';
}
