import { parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';

const port = z
  .number()
  .int()
  .min(1, { message: 'ports are 1–65535' })
  .max(65535, { message: 'ports are 1–65535' });

// Only the fields the simulator reads; everything else a kind config may hold is passed over.
const kindConfigSchema = z.looseObject({
  nodes: z
    .array(
      z.looseObject({
        role: z.string().optional(),
        extraPortMappings: z
          .array(z.looseObject({ containerPort: port, hostPort: port, listenAddress: z.string().optional() }))
          .optional(),
      }),
    )
    .optional(),
});

/** A host port published by a kind node (`extraPortMappings`): `localhost:hostPort` reaches `containerPort`. */
export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly node: string;
}

/**
 * Reads the port mappings of a kind cluster config (`ClusterCreateRequest.config`, typed `unknown`).
 * `undefined` means one control-plane node without mappings; a config of the wrong shape raises
 * `ConfigError` naming the field.
 */
export function readPortMappings(config: unknown): readonly PortMapping[] {
  if (config === undefined || config === null) return [];
  const parsed = parseInput(kindConfigSchema, config, 'kind cluster config (simulated cluster)');
  const mappings: PortMapping[] = [];
  for (const [i, node] of (parsed.nodes ?? []).entries()) {
    for (const m of node.extraPortMappings ?? []) {
      mappings.push({
        hostPort: m.hostPort,
        containerPort: m.containerPort,
        node: `${node.role ?? 'control-plane'}#${i}`,
      });
    }
  }
  return mappings;
}
