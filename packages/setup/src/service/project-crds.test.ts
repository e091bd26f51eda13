import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { resolveSetup } from '../setup-infrastructure.js';
import { defineService } from './define-service.js';
import { readProjectCrds } from './project-crds.js';
import { defineStack } from './stack.js';

const names = (crds: readonly { metadata: { name: string } }[]) => crds.map((c) => c.metadata.name);

// The fixture project keeps its CRDs as kubernaut does: config/crd/bases/kubernaut.ai_<plural>.yaml.
describe('readProjectCrds', () => {
  it('reads a file, a directory (as `kubectl apply -f config/crd/bases/` does) and a glob, each file once', async () => {
    expect(
      names(
        await readProjectCrds(FIXTURE_PROJECT_ROOT, [
          'config/crd/bases/kubernaut.ai_remediationrequests.yaml',
        ]),
      ),
    ).toEqual(['remediationrequests.kubernaut.ai']);
    const all = names(await readProjectCrds(FIXTURE_PROJECT_ROOT, ['config/crd/bases']));
    expect(all).toHaveLength(11);
    expect(all.every((n) => n.endsWith('.kubernaut.ai'))).toBe(true);
    expect(
      names(
        await readProjectCrds(FIXTURE_PROJECT_ROOT, [
          'config/crd/bases/kubernaut.ai_remediation*.yaml',
          'config/crd/bases',
        ]),
      ).slice(0, 3),
    ).toEqual([
      'remediationapprovalrequests.kubernaut.ai',
      'remediationrequests.kubernaut.ai',
      'remediationworkflows.kubernaut.ai',
    ]);
  });

  it('refuses a glob that matches nothing and a missing file up front, at the field that declared each', async () => {
    const error = await readProjectCrds(
      FIXTURE_PROJECT_ROOT,
      [
        { source: 'config/crd/bases/remediation.kubernaut.ai_*.yaml', field: 'crds[0]' },
        { source: 'config/crd/bases/kubernaut.ai_orders.yaml', field: 'crds[1]' },
      ],
      'CRDs of service "orders"',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(
      `Invalid CRDs of service "orders" (project root ${FIXTURE_PROJECT_ROOT})`,
    );
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'crds[0]',
        message: `glob "config/crd/bases/remediation.kubernaut.ai_*.yaml" matched no file under ${FIXTURE_PROJECT_ROOT}`,
      },
      {
        path: 'crds[1]',
        message: `CRD file or directory ${FIXTURE_PROJECT_ROOT}/config/crd/bases/kubernaut.ai_orders.yaml does not exist`,
      },
    ]);
  });
});

describe('a service’s CRDs', () => {
  const crdStack = defineStack({ name: 'catalog', crds: ['config/crd/bases'] });

  it('are its own sources and its stacks’, each file installed once', async () => {
    const service = defineService({
      name: 'orders',
      uses: [crdStack],
      hostPorts: {},
      crds: ['config/crd/bases/kubernaut.ai_remediationrequests.yaml'],
    });
    const { declaration } = await resolveSetup(service, { runtime: 'sim', env: {} });
    const installed = names(declaration.crds ?? []);
    // The stack's first (it is composed before the service), each file once.
    expect(installed).toContain('remediationrequests.kubernaut.ai');
    expect(installed).toHaveLength(11);
    expect(new Set(installed).size).toBe(11);
  });

  it('a stack’s source that finds nothing is named by the stack', async () => {
    const broken = defineStack({ name: 'catalog', crds: ['config/crd/extra'] });
    const service = defineService({ name: 'orders', uses: [broken], hostPorts: {} });
    const error = await resolveSetup(service, { runtime: 'sim', env: {} }).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['catalog stack crds[0]']);
  });
});
