import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCrdSources } from './crd-sources.js';
import { readCrdFiles } from './crds.js';
import { scratchDir } from './testing-internal/fixtures.js';

function crdYaml(plural: string, kind: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.kubernaut.ai
spec:
  group: kubernaut.ai
  names: { kind: ${kind}, plural: ${plural} }
  scope: Namespaced
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]
`;
}

let root: string;
let cleanup: () => Promise<void>;
const bases = () => join(root, 'config/crd/bases');

beforeEach(async () => {
  ({ dir: root, cleanup } = await scratchDir());
  await mkdir(join(bases(), 'nested'), { recursive: true });
  await mkdir(join(root, 'config/crd/empty'), { recursive: true });
  await writeFile(
    join(bases(), 'kubernaut.ai_signalprocessings.yaml'),
    crdYaml('signalprocessings', 'SignalProcessing'),
  );
  await writeFile(join(bases(), 'kubernaut.ai_actiontypes.yml'), crdYaml('actiontypes', 'ActionType'));
  await writeFile(
    join(bases(), 'kubernaut.ai_remediationrequests.yaml'),
    crdYaml('remediationrequests', 'RemediationRequest'),
  );
  await writeFile(join(bases(), 'README.md'), '# not a CRD\n');
  await writeFile(join(bases(), 'nested', 'kubernaut.ai_hidden.yaml'), crdYaml('hiddens', 'Hidden'));
  await writeFile(join(root, 'config/crd/empty/notes.txt'), 'no yaml here\n');
});
afterEach(() => cleanup());

describe('resolveCrdSources', () => {
  it('expands a directory to its YAML files, sorted, without descending (like `kubectl apply -f dir/`)', async () => {
    expect(await resolveCrdSources(root, ['config/crd/bases'])).toEqual([
      join(bases(), 'kubernaut.ai_actiontypes.yml'),
      join(bases(), 'kubernaut.ai_remediationrequests.yaml'),
      join(bases(), 'kubernaut.ai_signalprocessings.yaml'),
    ]);
  });

  it('takes files and globs relative to the project root, in source order, each file once', async () => {
    const files = await resolveCrdSources(root, [
      'config/crd/bases/kubernaut.ai_signalprocessings.yaml',
      'config/crd/bases/kubernaut.ai_*.yaml',
      'config/crd/bases/',
    ]);
    expect(files).toEqual([
      join(bases(), 'kubernaut.ai_signalprocessings.yaml'),
      join(bases(), 'kubernaut.ai_remediationrequests.yaml'),
      join(bases(), 'kubernaut.ai_actiontypes.yml'),
    ]);
    // The result feeds readCrdFiles (and installCRDs) directly.
    expect((await readCrdFiles(files)).map((o) => o.metadata.name)).toEqual([
      'signalprocessings.kubernaut.ai',
      'remediationrequests.kubernaut.ai',
      'actiontypes.kubernaut.ai',
    ]);
  });

  it('uses an absolute source as it is, and a recursive glob when asked for one', async () => {
    const absolute = join(bases(), 'kubernaut.ai_actiontypes.yml');
    expect(await resolveCrdSources('/nonexistent-root', [absolute])).toEqual([absolute]);
    expect(await resolveCrdSources(root, ['config/crd/**/kubernaut.ai_h*.yaml'])).toEqual([
      join(bases(), 'nested', 'kubernaut.ai_hidden.yaml'),
    ]);
  });

  it('refuses a missing path, a glob matching nothing and an empty directory, together, before anything is read', async () => {
    const error = await resolveCrdSources(root, [
      'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
      'config/crd/bases/kubernaut.ai_notificationrequests.yaml',
      'config/crd/bases/kubernaut.io_*.yaml',
      'config/crd/empty',
      '',
    ]).catch((e) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`Invalid CRD sources (project root ${root})`);
    expect(error.issues).toEqual([
      {
        path: 'sources[1]',
        message: `CRD file or directory ${join(bases(), 'kubernaut.ai_notificationrequests.yaml')} does not exist`,
      },
      {
        path: 'sources[2]',
        message: `glob "config/crd/bases/kubernaut.io_*.yaml" matched no file under ${root}`,
      },
      {
        path: 'sources[3]',
        message: `directory ${join(root, 'config/crd/empty')} has no *.yaml or *.yml file`,
      },
      { path: 'sources[4]', message: expect.stringMatching(/not empty/) },
    ]);
  });

  it('refuses an empty list', async () => {
    await expect(resolveCrdSources(root, [])).rejects.toThrow(/no CRD source was given/);
  });
});
