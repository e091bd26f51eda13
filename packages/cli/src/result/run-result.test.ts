import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunResult, resultAsEnv, runResultJsonSchema, runResultSchema } from './run-result.js';

const DOC = resolve(import.meta.dirname, '../../../../docs/reference/run-result.md');

describe('the run result', () => {
  it('is documented: the JSON Schema in docs/reference/run-result.md is the one the CLI checks results against', () => {
    const doc = readFileSync(DOC, 'utf8');
    const block = /## JSON Schema[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block, `${DOC} has a JSON Schema block`).toBeDefined();
    expect(JSON.parse(block!)).toEqual(runResultJsonSchema());
    // The example in the docs is a valid result.
    const example = /## Example[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(runResultSchema.safeParse(JSON.parse(example!)).success).toBe(true);
  });

  it('prints as KUBERNAUT_E2E_ lines a shell evaluates back to the same values', () => {
    const result: RunResult = {
      schemaVersion: 1,
      command: 'up',
      ok: false,
      service: 'gateway',
      interrupted: false,
      error: {
        code: 'KE_STEP',
        message: "step ready:gateway failed: it's not ready\nmore",
        step: 'ready:gateway',
      },
      causes: [],
      leftRunning: [{ kind: 'cluster', name: 'gateway-e2e', remove: 'kubernaut-e2e down gateway' }],
    };
    const text = resultAsEnv(result);
    expect(text).toContain('KUBERNAUT_E2E_ERROR_STEP=ready:gateway\n');
    expect(text).toContain(`KUBERNAUT_E2E_ERROR_MESSAGE='step ready:gateway failed: it'\\''s not ready'\n`);
    expect(text).toContain("KUBERNAUT_E2E_LEFT_RUNNING_0='cluster gateway-e2e'\n");
    // A POSIX shell reads every line back to the value it carries, quotes and all.
    const read = execFileSync(
      'sh',
      ['-c', `${text}\nprintf '%s|%s' "$KUBERNAUT_E2E_ERROR_MESSAGE" "$KUBERNAUT_E2E_OK"`],
      {
        encoding: 'utf8',
      },
    );
    expect(read).toBe("step ready:gateway failed: it's not ready|false");
  });
});
