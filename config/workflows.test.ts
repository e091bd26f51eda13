import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import type { RunContext } from '@kubernaut-e2e/setup';
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkflows, uuidV5, workflowFixturePath } from './workflows.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): RunContext {
  const root = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-workflows-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { projectRoot: root } as RunContext;
}

const workflow = (name: string, what: string) =>
  `apiVersion: kubernaut.ai/v1alpha1\nkind: RemediationWorkflow\nmetadata:\n  name: ${name}\n  labels: {a: b}\nspec:\n  description:\n    what: ${what}\n`;

describe('uuidV5', () => {
  it('gives RFC 4122 name-based ids (the DNS namespace vector)', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('readWorkflows', () => {
  it('gives the same id to the same definition and another id when the spec changes, ignoring other metadata', () => {
    const a = project({ [workflowFixturePath('one')]: workflow('one-v1', 'restart') });
    const b = project({
      [workflowFixturePath('one')]: workflow('one-v1', 'restart').replace('{a: b}', '{c: d}'),
    });
    const c = project({ [workflowFixturePath('one')]: workflow('one-v1', 'scale') });
    const [first] = readWorkflows(a, ['one'], 'seeds');
    expect(first!.object.metadata).toEqual({ name: 'one-v1' });
    expect(first!.workflowId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(readWorkflows(b, ['one'], 'seeds')[0]!.workflowId).toBe(first!.workflowId);
    expect(readWorkflows(c, ['one'], 'seeds')[0]!.workflowId).not.toBe(first!.workflowId);
  });

  it('names the missing fixture file and the field, before anything runs', () => {
    const run = project({});
    const error = (() => {
      try {
        readWorkflows(run, ['missing'], 'seeds.remediation-workflows');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'seeds.remediation-workflows',
        message: expect.stringContaining('test/fixtures/workflows/missing/workflow-schema.yaml'),
      },
    ]);
  });

  it('refuses a fixture that is not a RemediationWorkflow', () => {
    const run = project({ [workflowFixturePath('odd')]: 'kind: ConfigMap\nmetadata: {name: x}\n' });
    expect(() => readWorkflows(run, ['odd'], 'seeds')).toThrow(/is not a RemediationWorkflow/);
  });
});
