import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlForwardingTo,
  migrateContext,
  migrateStep,
  STOP_FAILURE,
} from '../testing-internal/migrate-step.js';
import { migrate } from './migrate.js';

/** A local port nothing listens on, so the migrator's connection is refused at once. */
function refusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('the migrate step (real kubectl client and goose migrator; kubectl at the process boundary)', () => {
  let directory: string;
  const database = { database: 'action_history', user: 'slm_user', password: 'test_password' };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kubernaut-migrate-step-'));
    await writeFile(join(directory, '00001_init.sql'), '-- +goose Up\nCREATE TABLE t (id int);\n');
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("fails with the migration's error, not the port-forward's, when closing the forward fails too", async () => {
    const { scripted, runner } = kubectlForwardingTo(await refusedPort(), { stopFails: true });
    const { ctx, logs, notes } = migrateContext(runner);

    const error = await migrate(migrateStep(directory, database), ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain(STOP_FAILURE);
    // The forward was still closed, and its failure is reported beside the error, not instead of it.
    expect(scripted.started[0]!.stopped).toBe(true);
    expect(logs).toContainEqual(
      expect.objectContaining({
        source: 'migrate:migrations',
        stream: 'stderr',
        text: `closing the port-forward to service/postgresql:5432 also failed (after the migration failed): ${STOP_FAILURE}`,
      }),
    );
    expect(notes).toEqual([`port-forward to service/postgresql:5432 did not close: ${STOP_FAILURE}`]);
    scripted.assertAllUsed();
  });

  it('closes the forward after a failed migration and reports nothing more when that works', async () => {
    const { scripted, runner } = kubectlForwardingTo(await refusedPort(), { stopFails: false });
    const { ctx, logs, notes } = migrateContext(runner);

    await expect(migrate(migrateStep(directory, database), ctx)).rejects.toThrow(/ECONNREFUSED/);
    expect(scripted.started[0]!.stopped).toBe(true);
    expect(logs.filter((l) => l.stream === 'stderr')).toEqual([]);
    expect(notes).toEqual([]);
  });
});
