#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ContractsError, ContractsErrorCode, DriftError } from '../errors.js';
import { FACTS_DIR, factsFile, formatFacts } from '../facts/load.js';
import { BINARIES, type Binary } from '../facts/types.js';
import { GoModule } from '../go/module.js';
import { CURATED } from './curated/index.js';
import type { CuratedBinary } from './curated/types.js';
import { recordBinary } from './record.js';

const USAGE = `usage: pnpm --filter @kubernaut-e2e/contracts record [--kubernaut <checkout>] [--out <dir>] [binary…]

Records facts/<binary>.json from a kubernaut checkout (default: $KUBERNAUT_CHECKOUT), for the given binaries
(default: all of ${BINARIES.join(', ')}).`;

/** The checkout's HEAD commit (the facts name it). */
export function checkoutCommit(checkout: string): string {
  try {
    return execFileSync('git', ['-C', checkout, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new ContractsError(
      ContractsErrorCode.Usage,
      `${checkout} is not a git work tree (git rev-parse HEAD failed${stderr ? `: ${stderr}` : ''}); the facts ` +
        'must name the commit they were read at',
      { cause: error },
    );
  }
}

/** Runs the recorder; returns the exit code (1 when a binary's facts drifted). */
export function main(argv: readonly string[], curated: Record<Binary, CuratedBinary> = CURATED): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      kubernaut: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const checkout = values.kubernaut ?? process.env.KUBERNAUT_CHECKOUT;
  if (!checkout)
    throw new ContractsError(ContractsErrorCode.Usage, `no kubernaut checkout given\n\n${USAGE}`);
  if (!existsSync(checkout)) throw new ContractsError(ContractsErrorCode.Usage, `${checkout} does not exist`);
  const unknown = positionals.filter((p) => !(BINARIES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new ContractsError(
      ContractsErrorCode.Usage,
      `unknown binary ${unknown.join(', ')}: the binaries are ${BINARIES.join(', ')}`,
    );
  const binaries = (positionals.length > 0 ? positionals : BINARIES) as readonly Binary[];
  const out = values.out === undefined ? FACTS_DIR : resolve(values.out);
  mkdirSync(out, { recursive: true });

  const module = GoModule.open(checkout);
  const commit = checkoutCommit(checkout);
  const failures: DriftError[] = [];
  for (const binary of binaries) {
    try {
      const { facts, moved } = recordBinary({ module, commit, curated: curated[binary] });
      const file = factsFile(binary, out);
      const text = formatFacts(facts);
      const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      writeFileSync(file, text);
      const ports = Object.entries(facts.ports)
        .map(([role, p]) => `${role} ${p.value ?? '-'}`)
        .join(', ');
      console.log(
        `${binary}: ${facts.keys.length} keys, ${facts.required.length} required, ports ${ports} → ` +
          `${file} (${before === text ? 'unchanged' : before === undefined ? 'new' : 'updated'})`,
      );
      for (const m of moved)
        console.log(`  moved: ${m.fact} ${m.from} → ${m.to} (update src/record/curated/${binary}.ts)`);
    } catch (error) {
      if (!(error instanceof DriftError)) throw error;
      failures.push(error);
    }
  }
  for (const f of failures) console.error(`\n${f.message}`);
  return failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof ContractsError ? `${error.code}: ${error.message}` : error);
    process.exitCode = 2;
  }
}
