import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractsError, ContractsErrorCode } from '../errors.js';
import { BINARIES, type Binary, type BinaryFacts } from './types.js';

/** The committed facts: `<package>/facts` (from src/facts and from dist/facts alike). */
export const FACTS_DIR = fileURLToPath(new URL('../../facts/', import.meta.url));

export function factsFile(binary: Binary, dir = FACTS_DIR): string {
  return join(dir, `${binary}.json`);
}

/** The recorded facts of one binary. */
export function loadFacts(binary: Binary, dir = FACTS_DIR): BinaryFacts {
  if (!(BINARIES as readonly string[]).includes(binary))
    throw new ContractsError(
      ContractsErrorCode.Usage,
      `no facts for '${binary}': the binaries are ${BINARIES.join(', ')}`,
    );
  const file = factsFile(binary, dir);
  if (!existsSync(file))
    throw new ContractsError(
      ContractsErrorCode.Facts,
      `${file} does not exist: run \`pnpm --filter @kubernaut-e2e/contracts record\` with a kubernaut checkout`,
    );
  const facts = JSON.parse(readFileSync(file, 'utf8')) as BinaryFacts;
  if (facts.binary !== binary || !Array.isArray(facts.keys) || !Array.isArray(facts.required))
    throw new ContractsError(ContractsErrorCode.Facts, `${file} is not a facts file of ${binary}`);
  return facts;
}

/** How the recorder writes a facts file (so a re-recording compares byte for byte). */
export function formatFacts(facts: BinaryFacts): string {
  return `${JSON.stringify(facts, null, 2)}\n`;
}
