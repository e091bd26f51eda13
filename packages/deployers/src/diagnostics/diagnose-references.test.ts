import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';
import { parsePodList } from './kube-status.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../__fixtures__/diagnostics/${name}`, import.meta.url), 'utf8'),
  ) as unknown;
const pods = fixture('pods-missing-references.json');
const events = fixture('events-missing-references.json');

const about = (subject: string) => diagnose({ pods, events }).filter((f) => f.subject === subject);

describe('diagnose (recorded-shape kubectl output of pods whose references are missing)', () => {
  it('reads the volumes a pod is made from and the ReplicaSet that owns it', () => {
    const datastorage = parsePodList(pods).find((p) => p.name.startsWith('datastorage'))!;
    expect(datastorage.replicaSet).toBe('datastorage-7d4b9c6f8');
    expect(datastorage.volumes.find((v) => v.name === 'bundle')?.sources).toEqual([
      { kind: 'ConfigMap', name: 'inter-service-ca', keys: ['ca.crt'], optional: false },
      { kind: 'Secret', name: 'datastorage-signing', keys: ['signing.key'], optional: false },
    ]);
  });

  it('names a ConfigMap a volume needs, and each source of a projected volume, from FailedMount', () => {
    const findings = about('pod/datastorage-7d4b9c6f8-k8j2p');
    expect(findings.map((f) => f.kind)).toEqual(['volume-mount', 'volume-mount', 'volume-mount']);
    expect(findings.map((f) => f.summary.split(':')[0])).toEqual([
      'ConfigMap datastorage-config not found',
      'ConfigMap inter-service-ca not found',
      'Secret datastorage-signing not found',
    ]);
    expect(findings[0]!.summary).toBe(
      'ConfigMap datastorage-config not found: the pod cannot mount volume config, so it stays ContainerCreating; apply the ConfigMap in namespace kubernaut-e2e (the kubelet retries) or mark the volume optional',
    );
    expect(findings[0]!.details).toEqual([
      'kubelet: MountVolume.SetUp failed for volume "config" : configmap "datastorage-config" not found (×9)',
    ]);
  });

  it('names the Secret and the key a volume’s items ask for, from the newest FailedMount only', () => {
    const [finding, ...rest] = about('pod/gateway-6f9c7b8d5-x2x7q');
    expect(rest).toEqual([]); // the older "secret not found" was resolved by applying the Secret
    expect(finding!.summary).toBe(
      "Secret gateway-tls has no key tls.key: the pod cannot mount volume tls, so it stays ContainerCreating; add the key to the Secret or change the volume's items",
    );
  });

  it('names the Secret, or the Secret and key, an environment reads (CreateContainerConfigError)', () => {
    expect(about('pod/notification-5c8d7f9b4-qw5zt')).toEqual([
      {
        kind: 'container-config',
        subject: 'pod/notification-5c8d7f9b4-qw5zt',
        summary:
          'Secret notification-slack not found: container notification cannot start (CreateContainerConfigError) because its environment reads it; apply it in namespace kubernaut-e2e (the kubelet retries) or mark the reference optional',
        details: ['kubelet: secret "notification-slack" not found'],
      },
    ]);
    const [missingKey] = about('pod/remediationorchestrator-58f7c9d6b-m3n8v');
    expect(missingKey!.summary).toMatch(
      /^Secret datastorage-db has no key DB_PASSWORD: container remediationorchestrator cannot start \(CreateContainerConfigError\)/,
    );
  });

  it('names the probe port a container does not declare, and the ports it does', () => {
    const [finding] = about('pod/authwebhook-84c6d9f7b-z9r4t');
    expect(finding).toMatchObject({ kind: 'readiness-probe' });
    expect(finding!.summary).toBe(
      'the readiness probe of container authwebhook names port "webhook", which the container does not declare (it declares https 9443): the kubelet cannot run the probe, so the pod never becomes ready; use a declared port name or add the port',
    );
  });

  it('names the missing ServiceAccount of a ReplicaSet that has no pod, not of one whose pods run now', () => {
    const findings = diagnose({ pods, events }).filter((f) => f.kind === 'pod-create-failed');
    expect(findings).toEqual([
      {
        kind: 'pod-create-failed',
        subject: 'replicaset/effectivenessmonitor-7c5d8b9f4',
        summary:
          'ServiceAccount effectivenessmonitor-sa not found: replicaset/effectivenessmonitor-7c5d8b9f4 cannot create any pod (FailedCreate); apply the ServiceAccount in namespace kubernaut-e2e (or the manifest that makes it) and the rollout proceeds',
        details: [
          'replicaset-controller: Error creating: pods "effectivenessmonitor-7c5d8b9f4-" is forbidden: error looking up service account kubernaut-e2e/effectivenessmonitor-sa: serviceaccount "effectivenessmonitor-sa" not found (×16)',
        ],
      },
    ]);
  });

  it('says nothing about the healthy pod, and nothing more than one finding per cause', () => {
    const all = diagnose({ pods, events });
    expect(all.some((f) => f.subject.includes('postgresql'))).toBe(false);
    expect(all).toHaveLength(8);
  });
});
