import { CommandError, type KubeObject } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ApiObjects } from './api-server-objects.js';
import { stepOfCommand } from './stand-in-bin.js';

const argv = ['kubectl', '--kubeconfig', '/k', 'apply'];
const stream = (...objects: readonly unknown[]) => objects.map((o) => `---\n${stringify(o)}`).join('');
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const crd = (status: boolean) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'actiontypes.kubernaut.ai' },
  spec: {
    group: 'kubernaut.ai',
    scope: 'Namespaced',
    names: { kind: 'ActionType', plural: 'actiontypes', singular: 'actiontype', shortNames: ['at'] },
    versions: [
      { name: 'v1alpha1', served: true, storage: true, ...(status ? { subresources: { status: {} } } : {}) },
    ],
  },
});
const actionType = (status?: unknown) => ({
  apiVersion: 'kubernaut.ai/v1alpha1',
  kind: 'ActionType',
  metadata: { name: 'delete-pod', namespace: 'e2e' },
  spec: { name: 'DeletePod' },
  ...(status === undefined ? {} : { status }),
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return (error as CommandError).stderrTail.join('\n');
  }
  throw new Error('expected the API server to refuse');
}

describe('ApiObjects: what the stand-ins’ API server accepts and refuses', () => {
  it('refuses a custom kind before its CRD, as kubectl does, and serves it once the CRD is there', () => {
    const api = new ApiObjects(new Map());
    api.apply(argv, stream(ns('e2e')));
    expect(refusal(() => api.apply(argv, stream(actionType())))).toBe(
      'error: resource mapping not found for name: "delete-pod" namespace: "e2e" from "STDIN": no matches for kind "ActionType" in version "kubernaut.ai/v1alpha1"\nensure CRDs are installed first',
    );
    // In the same stream is not enough either: kubectl maps every kind before it sends anything.
    expect(refusal(() => api.apply(argv, stream(crd(true), actionType())))).toContain('no matches for kind');
    expect(api.objects.has('CustomResourceDefinition//actiontypes.kubernaut.ai')).toBe(true);
    expect(api.apply(argv, stream(actionType())).stdout).toBe(
      'actiontype.kubernaut.ai/delete-pod serverside-applied\n',
    );
  });

  it('refuses a namespaced object before its namespace; the cluster’s own namespaces exist', () => {
    const api = new ApiObjects(new Map());
    const configMap = (namespace?: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', ...(namespace ? { namespace } : {}) },
      data: { a: '1' },
    });
    expect(refusal(() => api.apply(argv, stream(configMap('e2e'))))).toContain('namespaces "e2e" not found');
    api.apply(argv, stream(configMap()));
    expect(api.objects.get('ConfigMap/default/c')?.metadata.namespace).toBe('default');
    // A Namespace earlier in the stream is there for what follows it.
    api.apply(argv, stream(ns('e2e'), configMap('e2e')));
    expect(api.objects.has('ConfigMap/e2e/c')).toBe(true);
  });

  it('validates Secrets, ConfigMaps, names, node ports, selectors and bindings as the API server does', () => {
    const api = new ApiObjects(new Map());
    api.apply(argv, stream(ns('e2e')));
    const secret = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'x-tls', namespace: 'e2e' },
      data,
    });
    expect(refusal(() => api.apply(argv, stream(secret({ 'tls.crt': 'Q0VSVA==' }))))).toBe(
      'The Secret "x-tls" is invalid: data[tls.key]: Required value',
    );
    expect(
      refusal(() => api.apply(argv, stream(secret({ 'tls.crt': 'not base64!', 'tls.key': 'S0VZ' })))),
    ).toContain('illegal base64 data in data[tls.crt]');
    api.apply(argv, stream(secret({ 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZ' })));
    expect(
      refusal(() =>
        api.apply(
          argv,
          stream({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'c', namespace: 'e2e' },
            data: { n: 1 },
          }),
        ),
      ),
    ).toContain('cannot unmarshal number into Go struct field ConfigMap.data of type string');
    expect(
      refusal(() =>
        api.apply(argv, stream({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } })),
      ),
    ).toContain('metadata.name: Invalid value: "Bad_Name"');
    const service = (name: string, nodePort: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'e2e' },
      spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80, nodePort }] },
    });
    api.apply(argv, stream(service('a', 30080)));
    expect(refusal(() => api.apply(argv, stream(service('b', 30080))))).toContain(
      'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(refusal(() => api.apply(argv, stream(service('b', 8080))))).toContain('not in the valid range');
    // Re-applying the owner keeps its port.
    api.apply(argv, stream(service('a', 30080)));
    expect(
      refusal(() =>
        api.apply(
          argv,
          stream({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'd', namespace: 'e2e' },
            spec: {
              selector: { matchLabels: { app: 'd' } },
              template: { metadata: { labels: { app: 'x' } } },
            },
          }),
        ),
      ),
    ).toContain('`selector` does not match template `labels`');
    expect(
      refusal(() =>
        api.apply(
          argv,
          stream({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'b' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
            subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
          }),
        ),
      ),
    ).toBe('The ClusterRoleBinding "b" is invalid: subjects[0].namespace: Required value');
  });

  it('keeps the objects before a refused one, and reports every refusal', () => {
    const api = new ApiObjects(new Map());
    const tail = refusal(() =>
      api.apply(
        argv,
        stream(
          ns('a'),
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'b' } },
          ns('c'),
        ),
      ),
    );
    expect(tail).toContain('namespaces "b" not found');
    expect([...api.objects.keys()]).toEqual(['Namespace//a', 'Namespace//c']);
  });

  it('writes the status of a kind with a status subresource only through that subresource', () => {
    const api = new ApiObjects(new Map());
    api.apply(argv, stream(ns('e2e'), crd(true)));
    api.apply(argv, stream(actionType({ registered: true })));
    expect(api.objects.get('ActionType/e2e/delete-pod')?.status).toBeUndefined();

    const patch = (type: string, subresource: boolean, ops: unknown) =>
      api.patch(
        ['kubectl', 'patch'],
        [
          `${type}/delete-pod`,
          '-n',
          'e2e',
          ...(subresource ? ['--subresource=status'] : []),
          '--type=json',
          '-p',
          JSON.stringify(ops),
        ],
      );
    const status = { registered: true, catalogStatus: 'Active' };
    expect(patch('actiontype', true, [{ op: 'add', path: '/status', value: status }])?.stdout).toBe(
      'actiontype.kubernaut.ai/delete-pod patched\n',
    );
    expect(api.objects.get('ActionType/e2e/delete-pod')?.status).toEqual(status);
    // The main endpoint ignores status; an apply keeps the stored one.
    expect(patch('at', false, [{ op: 'replace', path: '/status', value: {} }])?.stdout).toBe(
      'actiontype.kubernaut.ai/delete-pod patched (no change)\n',
    );
    api.apply(argv, stream(actionType({ registered: false })));
    expect(api.objects.get('ActionType/e2e/delete-pod')?.status).toEqual(status);
    // The status endpoint writes nothing else.
    patch('actiontypes.kubernaut.ai', true, [{ op: 'replace', path: '/spec/name', value: 'Other' }]);
    expect(api.objects.get('ActionType/e2e/delete-pod')?.spec).toEqual({ name: 'DeletePod' });

    expect(
      refusal(() => patch('actiontype', true, [{ op: 'replace', path: '/status/missing/x', value: 1 }])),
    ).toContain('The request is invalid');
    expect(refusal(() => patch('nosuchtype', true, []))).toBe(
      'error: the server doesn\'t have a resource type "nosuchtype"',
    );
    expect(
      refusal(() => api.patch(['kubectl'], ['actiontype/other', '-n', 'e2e', '--type=json', '-p', '[]'])),
    ).toBe('Error from server (NotFound): actiontypes.kubernaut.ai "other" not found');
    expect(api.patch(['kubectl'], ['actiontype/delete-pod', '--type=merge', '-p', '{}'])).toBeUndefined();
  });

  it('has no status subresource for a CRD without one, and an apply then keeps what it is given', () => {
    const api = new ApiObjects(new Map());
    api.apply(argv, stream(ns('e2e'), crd(false)));
    api.apply(argv, stream(actionType({ registered: true })));
    expect(api.objects.get('ActionType/e2e/delete-pod')?.status).toEqual({ registered: true });
    expect(
      refusal(() =>
        api.patch(
          ['kubectl'],
          ['actiontype/delete-pod', '-n', 'e2e', '--subresource=status', '--type=json', '-p', '[]'],
        ),
      ),
    ).toBe('Error from server (NotFound): the server could not find the requested resource');
  });

  it('says what keeps a pod from starting: its ServiceAccount, mounted ConfigMaps and Secrets and their keys, env references', () => {
    const objects = new Map<string, KubeObject>();
    const api = new ApiObjects(objects);
    api.apply(argv, stream(ns('e2e')));
    const pod = {
      serviceAccountName: 'sa',
      containers: [
        {
          image: 'x',
          volumeMounts: [
            { name: 'config', mountPath: '/etc/x' },
            { name: 'secrets', mountPath: '/etc/s' },
          ],
          env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'x-config' } },
        {
          name: 'secrets',
          projected: {
            sources: [
              { secret: { name: 'db', items: [{ key: 'db.yaml', path: 'db.yaml' }] } },
              { secret: { name: 'tls', optional: true } },
            ],
          },
        },
        { name: 'unmounted', secret: { secretName: 'nowhere' } },
      ],
    };
    expect(api.podProblem('e2e', pod)).toBe(
      'FailedCreate: error looking up service account e2e/sa: serviceaccount "sa" not found',
    );
    api.apply(
      argv,
      stream({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'e2e' } }),
    );
    expect(api.podProblem('e2e', pod)).toBe(
      'FailedMount: MountVolume.SetUp failed for volume "config" : configmap "x-config" not found',
    );
    api.apply(
      argv,
      stream({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x-config', namespace: 'e2e' } }),
    );
    api.apply(
      argv,
      stream({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'e2e' },
        data: { other: 'eA==' },
      }),
    );
    expect(api.podProblem('e2e', pod)).toBe(
      'FailedMount: MountVolume.SetUp failed for volume "secrets" : references non-existent secret key: db.yaml',
    );
    api.apply(
      argv,
      stream({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'e2e' },
        stringData: { 'db.yaml': 'user: x' },
      }),
    );
    expect(api.podProblem('e2e', pod)).toBe('CreateContainerConfigError: secret "creds" not found');
    api.apply(
      argv,
      stream({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'creds', namespace: 'e2e' },
        data: { password: 'eA==' },
      }),
    );
    expect(api.podProblem('e2e', pod)).toBeUndefined();
  });

  it('says which Deployment a Service port reaches and the paths its probes ask there', () => {
    const api = new ApiObjects(new Map());
    api.apply(
      argv,
      stream(ns('e2e'), {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'gateway', namespace: 'e2e' },
        spec: {
          selector: { matchLabels: { app: 'gateway' } },
          template: {
            metadata: { labels: { app: 'gateway' } },
            spec: {
              containers: [
                {
                  image: 'g',
                  ports: [
                    { name: 'http', containerPort: 8080 },
                    { name: 'health', containerPort: 8081 },
                  ],
                  readinessProbe: { httpGet: { path: '/readyz', port: 'health' } },
                  livenessProbe: { httpGet: { path: '/healthz', port: 8081 } },
                },
              ],
            },
          },
        },
      }),
    );
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'gateway-service', namespace: 'e2e' },
      spec: { selector: { app: 'gateway' }, ports: [] },
    } as KubeObject;
    expect(api.servedAt(service, { port: 8081, targetPort: 8081 })).toEqual({
      deployment: 'gateway',
      probePaths: ['/readyz', '/healthz'],
    });
    expect(api.servedAt(service, { port: 80, targetPort: 'http' })).toEqual({
      deployment: 'gateway',
      probePaths: [],
    });
    expect(api.servedAt({ ...service, spec: { selector: { app: 'other' } } }, { port: 80 })).toBeUndefined();
  });
});

describe('stepOfCommand: the step kind a stand-in command belongs to', () => {
  const kubectl = (...args: string[]) => ['kubectl', '--kubeconfig', '/k', ...args];
  const apply = kubectl('apply', '--server-side', '-f', '-');
  it.each([
    ['install-crds', apply, stream(crd(true))],
    ['namespace', apply, stream(ns('e2e'))],
    ['deploy', apply, stream({ kind: 'ConfigMap' }, { kind: 'Deployment' })],
    ['manifests', apply, stream({ kind: 'Secret' }, { kind: 'ConfigMap' }, { kind: 'ClusterRole' })],
    ['seed', apply, stream(actionType())],
    ['seed', kubectl('patch', 'actiontype/x', '--subresource=status', '--type=json', '-p', '[]'), ''],
    ['wait-ready', kubectl('rollout', 'status', 'deployment/x'), ''],
    ['migrate', kubectl('port-forward', 'service/postgresql', ':5432'), ''],
    [undefined, apply, ''],
  ])('%s: %j', (step, command, input) => {
    expect(stepOfCommand(command, input)).toBe(step);
  });
});
