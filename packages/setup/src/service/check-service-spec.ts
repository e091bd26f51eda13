import type { ConfigIssue } from '@kubernaut-e2e/core';
import { publishedPorts, type ServiceSpec } from './service-spec.js';
import { flattenStacks } from './stack.js';

/**
 * The rules between fields of a service spec that a schema cannot say: every port a stack needs is given, no two
 * names share a host port, each host port is published once, every deployment runs a declared image and depends on
 * something that exists, and every image is used. All are found before anything is declared or run.
 */
export function checkServiceSpec(spec: ServiceSpec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stacks = flattenStacks(spec.uses ?? []);
  const hostPortNames = Object.keys(spec.hostPorts);

  for (const stack of stacks) {
    for (const name of stack.hostPorts) {
      if (!(name in spec.hostPorts)) {
        issues.push({
          path: `hostPorts.${name}`,
          message: `the ${stack.name} stack publishes a host port named "${name}"; give it a port number`,
        });
      }
    }
  }
  const byPort = new Map<number, string>();
  for (const [name, port] of Object.entries(spec.hostPorts)) {
    const other = byPort.get(port);
    if (other !== undefined) {
      issues.push({
        path: `hostPorts.${name}`,
        message: `host port ${port} is also used by hostPorts.${other}`,
      });
    }
    byPort.set(port, name);
  }
  // Who publishes each host port: a stack, or (for the service's own ports) nodePorts or a deployment's publish.
  const publishers = new Map<string, string>();
  for (const stack of stacks)
    for (const name of stack.hostPorts) publishers.set(name, `the ${stack.name} stack`);
  for (const name of Object.keys(spec.nodePorts ?? {})) {
    if (!(name in spec.hostPorts)) {
      issues.push({
        path: `nodePorts.${name}`,
        message: `no host port named "${name}"; allowed: ${hostPortNames.join(', ')}`,
      });
    } else if (!publishers.has(name)) publishers.set(name, `nodePorts.${name}`);
  }

  const imageIds = Object.keys(spec.images ?? {});
  const stackIds = stacks.flatMap((s) => s.provides);
  const deployments = spec.deployments ?? [];
  const deploymentIds = deployments.map((d) => d.id);
  const known = new Set([...stackIds, ...deploymentIds]);
  const seen = new Set<string>();
  deployments.forEach((d, i) => {
    const at = `deployments[${i}]`;
    if (seen.has(d.id) || stackIds.includes(d.id)) {
      issues.push({ path: `${at}.id`, message: `component id "${d.id}" is already used` });
    }
    seen.add(d.id);
    if (!imageIds.includes(d.image)) {
      issues.push({
        path: `${at}.image`,
        message: `no image "${d.image}" in images; declared: ${imageIds.join(', ') || 'none'}`,
      });
    }
    // With hand-written components the full set of ids is only known once declared; the planner checks it then.
    if (spec.components === undefined) {
      (d.dependsOn ?? []).forEach((dep, j) => {
        if (!known.has(dep) || dep === d.id) {
          issues.push({
            path: `${at}.dependsOn[${j}]`,
            message: `"${dep}" names no component; known: ${[...known].filter((k) => k !== d.id).join(', ') || 'none'}`,
          });
        }
      });
    }
    publishedPorts(d).forEach((publish, j) => {
      const where = Array.isArray(d.publish) ? `${at}.publish[${j}]` : `${at}.publish`;
      if (!(publish.hostPort in spec.hostPorts)) {
        issues.push({
          path: `${where}.hostPort`,
          message: `no host port named "${publish.hostPort}"; allowed: ${hostPortNames.join(', ')}`,
        });
      }
      if (!d.ports.some((p) => p.name === publish.port)) {
        issues.push({
          path: `${where}.port`,
          message: `no port named "${publish.port}" in ports; declared: ${d.ports.map((p) => p.name).join(', ')}`,
        });
      }
      const publisher = publishers.get(publish.hostPort);
      if (publisher !== undefined) {
        issues.push({
          path: `${where}.hostPort`,
          message: `host port "${publish.hostPort}" is already published by ${publisher}; publish each host port once`,
        });
      } else publishers.set(publish.hostPort, where);
    });
  });
  if (spec.components === undefined) {
    const used = new Set(deployments.map((d) => d.image));
    for (const id of imageIds) {
      if (!used.has(id)) {
        issues.push({
          path: `images.${id}`,
          message: `no component runs image "${id}"; remove it or deploy it`,
        });
      }
    }
  }
  return issues;
}
