import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type KubeClient, type KubeObject } from '@kubernaut-e2e/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createNamespace, installCRDs, readCrdFiles } from './crds.js';
import { scratchDir } from './testing-internal/fixtures.js';

/**
 * installCRDs and createNamespace talk to the cluster only through the KubeClient port (whose kubectl
 * adapter lives in @kubernaut-e2e/deployers and has its own argv tests); this records what they ask of it.
 */
class RecordingKube implements KubeClient {
  readonly calls: (
    | { op: 'apply'; objects: readonly KubeObject[] }
    | { op: 'waitFor'; resource: string; condition: string; namespace: string | undefined; timeoutMs: number }
  )[] = [];
  async apply(objects: readonly KubeObject[]) {
    this.calls.push({ op: 'apply', objects });
  }
  async waitFor(resource: string, condition: string, namespace: string | undefined, timeoutMs: number) {
    this.calls.push({ op: 'waitFor', resource, condition, namespace, timeoutMs });
  }
  async rolloutStatus(): Promise<void> {
    throw new Error('not used');
  }
  async exec(): Promise<string> {
    throw new Error('not used');
  }
  async portForward(): Promise<never> {
    throw new Error('not used');
  }
  async patch(): Promise<void> {
    throw new Error('not used');
  }
  async getJson(): Promise<unknown> {
    throw new Error('not used');
  }
  async describe(): Promise<string> {
    throw new Error('not used');
  }
  async logs(): Promise<string> {
    throw new Error('not used');
  }
  async scale(): Promise<void> {
    throw new Error('not used');
  }
  async waitDeleted(): Promise<void> {
    throw new Error('not used');
  }
}

function crdYaml(plural: string, kind: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.kubernaut.ai
spec:
  group: kubernaut.ai
  names:
    kind: ${kind}
    plural: ${plural}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
`;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
});
afterEach(() => cleanup());

describe('installCRDs', () => {
  it('reads multi-document files and objects, applies them all at once, then waits for each to be Established', async () => {
    const file = join(dir, 'crds.yaml');
    await writeFile(
      file,
      `${crdYaml('remediationrequests', 'RemediationRequest')}---\n${crdYaml('signals', 'Signal')}---\n`,
    );
    const inline = parseYaml(crdYaml('notificationrequests', 'NotificationRequest')) as KubeObject;
    const kube = new RecordingKube();

    const names = await installCRDs(kube, [file, inline], { timeoutMs: 30_000 });

    expect(names).toEqual([
      'remediationrequests.kubernaut.ai',
      'signals.kubernaut.ai',
      'notificationrequests.kubernaut.ai',
    ]);
    const first = kube.calls[0];
    if (first?.op !== 'apply') throw new Error(`expected an apply first, got ${first?.op}`);
    const applied = first.objects;
    expect(applied.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['CustomResourceDefinition', 'remediationrequests.kubernaut.ai'],
      ['CustomResourceDefinition', 'signals.kubernaut.ai'],
      ['CustomResourceDefinition', 'notificationrequests.kubernaut.ai'],
    ]);
    expect(applied[0]?.spec).toMatchObject({ names: { kind: 'RemediationRequest' } });
    expect(kube.calls.slice(1)).toEqual(
      names.map((n) => ({
        op: 'waitFor',
        resource: `crd/${n}`,
        condition: 'condition=Established',
        namespace: undefined,
        timeoutMs: 30_000,
      })),
    );
  });

  it('refuses missing files, YAML errors and non-CRD documents together, naming each, before applying anything', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'apiVersion: v1\nkind: [unclosed\n');
    const notCrd = join(dir, 'deployment.yaml');
    await writeFile(notCrd, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gateway\n');
    const kube = new RecordingKube();

    const error = await installCRDs(kube, [join(dir, 'missing.yaml'), broken, notCrd]).catch((e) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { path: 'sources[0]', message: expect.stringMatching(/missing\.yaml does not exist/) },
      { path: `sources[1](${broken})[0]`, message: expect.stringMatching(/not valid YAML/) },
      {
        path: `sources[2](${notCrd})[0].apiVersion`,
        message: expect.stringMatching(/apiextensions\.k8s\.io\/v1/),
      },
      { path: `sources[2](${notCrd})[0].kind`, message: 'kind must be CustomResourceDefinition' },
      { path: `sources[2](${notCrd})[0].metadata.name`, message: expect.stringMatching(/<plural>\.<group>/) },
    ]);
    expect(kube.calls).toEqual([]);
  });

  it('refuses an empty list', async () => {
    await expect(installCRDs(new RecordingKube(), [])).rejects.toThrow(/no CustomResourceDefinition/);
  });
});

describe('readCrdFiles', () => {
  it('returns the CRD objects of every file, in order, naming files[i] when one is missing', async () => {
    const a = join(dir, 'a.yaml');
    await writeFile(a, `---\n${crdYaml('signals', 'Signal')}`);
    const objects = await readCrdFiles([a]);
    expect(objects.map((o) => o.metadata.name)).toEqual(['signals.kubernaut.ai']);
    const error = await readCrdFiles([a, join(dir, 'gone.yaml')]).catch((e) => e);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['files[1]']);
  });
});

describe('createNamespace', () => {
  it('applies a Namespace with its labels', async () => {
    const kube = new RecordingKube();
    const ns = await createNamespace(kube, 'kubernaut-system', {
      'kubernaut.ai/e2e': 'true',
      team: 'platform',
    });
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kubernaut-system', labels: { 'kubernaut.ai/e2e': 'true', team: 'platform' } },
    });
    expect(kube.calls).toEqual([{ op: 'apply', objects: [ns] }]);
  });

  it.each([
    ['Kubernaut', 'name'],
    ['-system', 'name'],
    ['a'.repeat(64), 'name'],
  ])('refuses the namespace name %j (field %s) before applying', async (name, field) => {
    const kube = new RecordingKube();
    const error = await createNamespace(kube, name).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([field]);
    expect(kube.calls).toEqual([]);
  });

  it('refuses invalid label keys and values', async () => {
    const kube = new RecordingKube();
    const error = await createNamespace(kube, 'ok', { 'bad key': 'x', good: 'not ok!' }).catch((e) => e);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['labels["bad key"]', 'labels.good']);
    expect(kube.calls).toEqual([]);
  });
});
