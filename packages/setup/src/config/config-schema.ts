import { type ConfigIssue, clusterNameSchema, hostPortSchema } from '@kubernaut-e2e/core';
import { PATTERNS } from '@kubernaut-e2e/orchestrator';
import { z } from 'zod';
import { buildSettingsSchema } from '../build-settings.js';
import { KEEP_POLICIES, RUNTIMES, setupOptionsSchema } from '../options.js';
import type { Service } from '../service/definition.js';
import type { ProjectConfig } from './define-config.js';

const serviceDefinition = z.custom<Service>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Service).name === 'string' &&
    typeof (v as Service).declare === 'function' &&
    typeof (v as Service).hostPorts === 'object',
  'a service made with defineService',
);

const overrideSchema = z.strictObject({
  pattern: z.enum(PATTERNS).optional(),
  clusterName: clusterNameSchema.optional(),
  hostPorts: z.record(z.string(), hostPortSchema).optional(),
  keep: z.enum(KEEP_POLICIES).optional(),
  kindConfig: setupOptionsSchema.shape.kindConfig,
  registry: setupOptionsSchema.shape.registry,
  cluster: setupOptionsSchema.shape.cluster,
});

/** The shape of a project config; `checkProjectConfig` adds the rules between services. */
export const projectConfigSchema = z.strictObject({
  projectRoot: z.string().min(1).optional(),
  services: z.array(serviceDefinition).min(1, 'declare at least one service'),
  defaults: z
    .strictObject({
      pattern: z.enum(PATTERNS).optional(),
      runtime: z.enum(RUNTIMES).optional(),
      keep: z.enum(KEEP_POLICIES).optional(),
      coverage: z.boolean().optional(),
      reuseCluster: z.boolean().optional(),
      build: buildSettingsSchema.optional(),
      registry: setupOptionsSchema.shape.registry,
      cluster: setupOptionsSchema.shape.cluster,
      failAfterRestarts: setupOptionsSchema.shape.failAfterRestarts,
    })
    .optional(),
  overrides: z.record(z.string(), overrideSchema).optional(),
});

/**
 * Rules across services: names are unique, overrides name declared services and their ports. Host ports may repeat
 * across services (kubernaut's suites reuse theirs: they never run together); two services a command runs at once are
 * checked when they are claimed.
 */
export function checkProjectConfig(config: ProjectConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const index = new Map<string, number>();
  config.services.forEach((s, i) => {
    const first = index.get(s.name);
    if (first !== undefined) {
      issues.push({
        path: `services[${i}]`,
        message: `service name "${s.name}" is already declared by services[${first}]; names must be unique`,
      });
    } else index.set(s.name, i);
  });
  for (const [name, override] of Object.entries(config.overrides ?? {})) {
    const i = index.get(name);
    if (i === undefined) {
      issues.push({
        path: `overrides.${name}`,
        message: `no service named "${name}"; declared: ${[...index.keys()].join(', ')}`,
      });
      continue;
    }
    const ports = config.services[i]!.hostPorts;
    for (const port of Object.keys(override.hostPorts ?? {})) {
      if (!(port in ports)) {
        issues.push({
          path: `overrides.${name}.hostPorts.${port}`,
          message: `${name} publishes no port named "${port}"; allowed: ${Object.keys(ports).join(', ')}`,
        });
      }
    }
  }
  return issues;
}
