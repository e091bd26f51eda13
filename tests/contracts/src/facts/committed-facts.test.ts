import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GoModule } from '../go/module.js';
import { checkoutCommit } from '../record/cli.js';
import { CURATED } from '../record/curated/index.js';
import { recordBinary } from '../record/record.js';
import { factsFile, formatFacts, loadFacts } from './load.js';
import { BINARIES } from './types.js';

/**
 * The committed facts must be exactly what the recorder writes from the kubernaut checkout they name. CI has no
 * checkout, so this runs only when KUBERNAUT_CHECKOUT points at one (at the commit the facts record).
 */
const checkout = process.env.KUBERNAUT_CHECKOUT;
const title = checkout
  ? `committed facts equal a fresh recording from ${checkout}`
  : 'committed facts equal a fresh recording (skipped: KUBERNAUT_CHECKOUT is not set to a kubernaut checkout)';

describe.skipIf(!checkout)(title, () => {
  it.each(BINARIES)('%s', (binary) => {
    const committed = loadFacts(binary);
    const commit = checkoutCommit(checkout!);
    expect(
      commit,
      `the facts were recorded at ${committed.kubernaut.commit}; check that commit out, or re-record with ` +
        '`pnpm --filter @kubernaut-e2e/contracts record`',
    ).toBe(committed.kubernaut.commit);
    const { facts } = recordBinary({ module: GoModule.open(checkout!), commit, curated: CURATED[binary] });
    expect(readFileSync(factsFile(binary), 'utf8')).toBe(formatFacts(facts));
  });
});

describe('committed facts', () => {
  it.each(BINARIES)(
    '%s: every required key and port key is one of its keys, and every citation is file:line',
    (binary) => {
      const facts = loadFacts(binary);
      const paths = new Set(facts.keys.map((k) => k.path));
      for (const r of facts.required) expect(paths, `required ${r.path}`).toContain(r.path);
      for (const p of Object.values(facts.ports)) if (p.configKey) expect(paths).toContain(p.configKey);
      const citations = [
        facts.configStruct.at,
        facts.defaultConfigPath.at,
        ...facts.keys.map((k) => k.at),
        ...facts.required.flatMap((r) => [r.at, ...(r.default ? [r.default.at] : [])]),
        ...Object.values(facts.ports).map((p) => p.at),
        ...facts.notes.map((n) => n.at),
      ];
      for (const at of citations) expect(at).toMatch(/^[\w./-]+\.go:\d+$/);
      expect(facts.kubernaut.commit).toMatch(/^[0-9a-f]{40}$/);
    },
  );
});
