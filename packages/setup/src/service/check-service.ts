import type { ConfigIssue } from '@kubernaut-e2e/core';
import { type ComposedService, componentsOf } from './compose.js';
import { nodePortsOf, publishedPorts } from './spec/deployment.js';
import { flattenStacks } from './stack.js';

/** The name of the ConfigMap holding the run's CA (`ca.crt`), as kubernaut's suites name it. */
export const CA_CONFIG_MAP = 'inter-service-ca';

const names = (values: Iterable<string>) => [...values].join(', ') || 'none';

/**
 * The rules between fields that a schema cannot say, over the service and its stacks together: host ports given,
 * unique and published once; ids unique; every reference (image, dependsOn, port, probe, certificate, migration)
 * names something declared; every built image used. Found when the service is defined, before anything runs.
 */
export function checkComposedService(composed: ComposedService): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const { spec } = composed;
  const hostPortNames = Object.keys(spec.hostPorts);

  for (const stack of flattenStacks(spec.uses ?? [])) {
    for (const name of stack.hostPorts) {
      if (!(name in spec.hostPorts))
        add(
          `hostPorts.${name}`,
          `the ${stack.name} stack publishes a host port named "${name}"; give it a port number`,
        );
    }
  }
  const byPort = new Map<number, string>();
  for (const [name, port] of Object.entries(spec.hostPorts)) {
    const other = byPort.get(port);
    if (other !== undefined) add(`hostPorts.${name}`, `host port ${port} is also used by hostPorts.${other}`);
    else byPort.set(port, name);
  }
  for (const name of Object.keys(spec.nodePorts ?? {})) {
    if (!(name in spec.hostPorts))
      add(`nodePorts.${name}`, `no host port named "${name}"; allowed: ${names(hostPortNames)}`);
  }

  // Ids: images, components, Services, ConfigMaps and Secrets are each one namespace.
  const firstAt = new Map<string, string>();
  const unique = (kind: string, value: string, at: string) => {
    const key = `${kind}/${value}`;
    const earlier = firstAt.get(key);
    if (earlier !== undefined) add(at, `${kind} "${value}" is already declared at ${earlier}`);
    else firstAt.set(key, at);
  };
  const images = new Map(composed.images.map((i) => [i.value.id, i.value]));
  for (const image of composed.images) unique('image', image.value.id, image.at);
  const components = componentsOf(composed);
  for (const c of components) {
    if (c.value === 'config')
      add(
        c.at,
        '"config" is the id of the step that applies the run\'s Secrets and ConfigMaps; choose another',
      );
    unique('component', c.value, c.at);
  }
  const componentIds = new Set(components.map((c) => c.value));
  const deployments = new Map(composed.deployments.map((d) => [d.value.id, d.value]));
  for (const d of composed.deployments)
    unique('Service', d.value.serviceName ?? d.value.id, `${d.at}.serviceName`);
  for (const s of composed.secrets) unique('Secret', s.value.name, `${s.at}.name`);
  for (const c of composed.certificates) unique('Secret', c.value.secret, `${c.at}.secret`);
  for (const c of composed.configMaps) unique('ConfigMap', c.value.name, `${c.at}.name`);
  for (const d of composed.deployments) {
    for (const [i, f] of (d.value.configFiles ?? []).entries())
      unique('ConfigMap', f.name, `${d.at}.configFiles[${i}].name`);
  }
  if (firstAt.has(`ConfigMap/${CA_CONFIG_MAP}`))
    add(
      firstAt.get(`ConfigMap/${CA_CONFIG_MAP}`)!,
      `"${CA_CONFIG_MAP}" is the ConfigMap the run makes for its CA`,
    );

  const checkDependsOn = (id: string, at: string, deps: readonly string[] | undefined) =>
    (deps ?? []).forEach((dep, j) => {
      if (!componentIds.has(dep) || dep === id)
        add(
          `${at}.dependsOn[${j}]`,
          `"${dep}" names no component; known: ${names([...componentIds].filter((k) => k !== id))}`,
        );
    });

  const publishers = new Map<string, string>();
  const usedImages = new Set<string>();
  for (const { value: d, at } of composed.deployments) {
    const image = images.get(d.image);
    usedImages.add(d.image);
    if (image === undefined)
      add(`${at}.image`, `no image "${d.image}" in images; declared: ${names(images.keys())}`);
    else if ('buildOnly' in image && image.buildOnly)
      add(
        `${at}.image`,
        `image "${d.image}" is buildOnly: it is built but never loaded, so no pod can run it`,
      );
    checkDependsOn(d.id, at, d.dependsOn);

    const portNames = new Set<string>();
    const portNumbers = new Map<number, string>();
    d.ports.forEach((p, i) => {
      if (portNames.has(p.name)) add(`${at}.ports[${i}].name`, `port name "${p.name}" is used twice`);
      portNames.add(p.name);
      const other = portNumbers.get(p.port);
      if (other !== undefined) add(`${at}.ports[${i}].port`, `port ${p.port} is also port "${other}"`);
      portNumbers.set(p.port, p.name);
    });
    const declaredPorts = names(portNames);
    for (const kind of ['readiness', 'liveness'] as const) {
      const probe = d.probes?.[kind];
      if (probe && 'port' in probe && !portNames.has(probe.port))
        add(
          `${at}.probes.${kind}.port`,
          `no port named "${probe.port}" in ports; declared: ${declaredPorts}`,
        );
    }
    publishedPorts(d).forEach((p, j) => {
      const where = Array.isArray(d.publish) ? `${at}.publish[${j}]` : `${at}.publish`;
      const port = d.ports.find((x) => x.name === p.port);
      if (!port) add(`${where}.port`, `no port named "${p.port}" in ports; declared: ${declaredPorts}`);
      else if (p.nodePort === undefined && port.nodePort === undefined)
        add(`${where}.nodePort`, `port "${p.port}" has no nodePort; give one here or on the port`);
      if (p.optional && !(p.hostPort in spec.hostPorts)) return;
      if (!(p.hostPort in spec.hostPorts))
        add(`${where}.hostPort`, `no host port named "${p.hostPort}"; allowed: ${names(hostPortNames)}`);
      const publisher = publishers.get(p.hostPort);
      if (publisher !== undefined)
        add(
          `${where}.hostPort`,
          `host port "${p.hostPort}" is already published by ${publisher}; publish each host port once`,
        );
      else publishers.set(p.hostPort, where);
    });
    for (const name of Object.keys(d.secretEnv ?? {})) {
      if (typeof d.env === 'object' && name in d.env)
        add(`${at}.secretEnv.${name}`, `${name} is set in both env and secretEnv`);
    }
  }
  // Node ports: one Service port each in the cluster, the stacks' defaults and the service's moves included.
  const nodePortOwners = new Map<number, string>();
  for (const { value: d, at } of composed.deployments) {
    for (const [portName, nodePort] of Object.entries(nodePortsOf(d, spec.hostPorts, spec.nodePorts ?? {}))) {
      const owner = `${at} port "${portName}" (${d.serviceName ?? d.id})`;
      const other = nodePortOwners.get(nodePort);
      if (other !== undefined)
        add(
          `${at}.ports`,
          `node port ${nodePort} of ${owner} is also the node port of ${other}; give one of them another`,
        );
      else nodePortOwners.set(nodePort, owner);
    }
  }
  for (const { value: m, at } of composed.migrations) {
    checkDependsOn(m.id, at, m.dependsOn);
    if (!deployments.has(m.via))
      add(`${at}.via`, `"${m.via}" names no deployment; known: ${names(deployments.keys())}`);
  }
  for (const { value: m, at } of composed.manifests) {
    checkDependsOn(m.id, at, m.dependsOn);
    for (const [name, id] of Object.entries('images' in m ? (m.images ?? {}) : {})) {
      usedImages.add(id);
      if (!images.has(id))
        add(`${at}.images.${name}`, `no image "${id}" in images; declared: ${names(images.keys())}`);
    }
  }
  for (const { value: s, at } of composed.seeds) checkDependsOn(s.id, at, s.dependsOn);
  for (const { value: c, at } of composed.certificates) {
    if ('serves' in c && !deployments.has(c.serves))
      add(`${at}.serves`, `"${c.serves}" names no deployment; known: ${names(deployments.keys())}`);
  }
  for (const { value: image, at } of composed.images) {
    const buildOnly = 'buildOnly' in image && image.buildOnly;
    if (!buildOnly && !image.preload && !usedImages.has(image.id))
      add(
        at,
        `no deployment or manifest runs image "${image.id}"; deploy it, mark it buildOnly (built, not loaded) or ` +
          'preload (loaded for pods started later), or remove it',
      );
  }
  return issues;
}
