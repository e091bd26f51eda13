import { dirname, join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { CA_CONFIG_MAP } from './check-service.js';
import type { ComposedService } from './compose.js';
import type { DeclareContext } from './definition.js';
import { publishedIn } from './spec/deployment.js';
import type { RunContext } from './spec/run-context.js';

/** The file kubernaut's suites read the run's CA from: `inter-service-ca.pem` beside the kubeconfig. */
export function caFileBeside(kubeconfigPath: string): string {
  return join(dirname(kubeconfigPath), 'inter-service-ca.pem');
}

/**
 * The `RunContext` a declaration's functions receive. `url()`, `host()` and `port()` name components; a name that
 * is not a deployment (or a port it does not have) is a `ConfigError` listing what is, raised while the service is
 * declared, before anything runs.
 */
export function createRunContext(
  composed: ComposedService,
  context: DeclareContext,
  caPem: string | undefined,
): RunContext {
  const deployments = new Map(composed.deployments.map((d) => [d.value.id, d.value]));
  const { namespace } = context;
  const deployment = (component: string) => {
    const found = deployments.get(component);
    if (!found) {
      throw ConfigError.field(
        'component',
        `"${component}" is not a deployment of this service; known: ${[...deployments.keys()].join(', ') || 'none'}`,
        'RunContext',
      );
    }
    return found;
  };
  const portOf = (component: string, name?: string) => {
    const d = deployment(component);
    const port = name === undefined ? d.ports[0]! : d.ports.find((p) => p.name === name);
    if (!port) {
      throw ConfigError.field(
        'port',
        `${component} has no port named "${name}"; its ports: ${d.ports.map((p) => p.name).join(', ')}`,
        'RunContext',
      );
    }
    return port;
  };
  const host = (component: string) =>
    `${deployment(component).serviceName ?? component}.${namespace}.svc.cluster.local`;
  // What is published on each host port, to give its URL the right scheme.
  const tlsHostPorts = new Set(
    composed.deployments.flatMap(({ value: d }) =>
      publishedIn(d, context.hostPorts)
        .filter((p) => d.ports.find((port) => port.name === p.port)?.tls)
        .map((p) => p.hostPort),
    ),
  );
  return {
    namespace,
    projectRoot: context.projectRoot,
    clusterName: context.clusterName,
    kubeconfigPath: context.kubeconfigPath,
    hostPorts: context.hostPorts,
    nodePorts: context.nodePorts ?? {},
    coverage: context.coverage,
    consumer: context.consumer,
    host,
    url: (component, name) => {
      const port = portOf(component, name);
      return `${port.tls ? 'https' : 'http'}://${host(component)}:${port.port}`;
    },
    port: (component, name) => portOf(component, name).port,
    hostUrl: (name) => {
      const port = context.hostPorts[name];
      if (port === undefined) {
        throw ConfigError.field(
          'hostPort',
          `no host port named "${name}"; allowed: ${Object.keys(context.hostPorts).join(', ')}`,
          'RunContext',
        );
      }
      return `${tlsHostPorts.has(name) ? 'https' : 'http'}://localhost:${port}`;
    },
    ca: {
      configMap: CA_CONFIG_MAP,
      key: 'ca.crt',
      file: caFileBeside(context.kubeconfigPath),
      bundle: () => {
        if (caPem === undefined)
          throw ConfigError.field(
            'certificates',
            "no certificate is signed by the run's CA: add one with `serves`",
            'RunContext',
          );
        return Buffer.from(caPem, 'utf8').toString('base64');
      },
    },
  };
}
