import type { DatabaseTarget, MigrationReport, Migrator, OperationContext } from '@kubernaut-e2e/core';
import { NotReadyError, parseInput } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { reach } from '../world/routing.js';
import type { SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

const targetSchema = z.looseObject({
  host: z.string().min(1, { message: 'host must not be empty' }),
  port: z
    .number()
    .int()
    .min(1, { message: 'port must be 1–65535' })
    .max(65535, { message: 'port must be 1–65535' }),
  database: z.string().min(1, { message: 'database must not be empty' }),
  user: z.string().min(1, { message: 'user must not be empty' }),
  password: z.string(),
});

/**
 * `Migrator` against simulated PostgreSQL. The connection must reach, through a port-forward of the
 * simulated kube client (or a published NodePort), a ready Deployment running a `postgres` image, and
 * the credentials must match the ones the Deployment's env (literal or from its Secret) sets. The files
 * in `directory` are not read — the simulator does no disk I/O — so the report lists no files and
 * version 0; the time is the profile's `migrationsMs`.
 */
export class SimMigrator implements Migrator {
  constructor(private readonly world: SimWorld) {}

  async migrate(target: DatabaseTarget, directory: string, ctx?: OperationContext): Promise<MigrationReport> {
    parseInput(targetSchema, target, 'database target');
    const endpoint = `${target.host}:${target.port}`;
    const argv = [
      'goose',
      '-dir',
      directory,
      'postgres',
      `host=${target.host} port=${target.port} dbname=${target.database} user=${target.user}`,
      'up',
    ];
    return this.world.operate(
      'migrate',
      [target.database, directory, endpoint],
      {
        argv,
        failure: ['ERROR: relation "resource_action_traces" does not exist (SQLSTATE 42P01)'],
        transientFailure: [`read tcp 127.0.0.1:52814->${endpoint}: read: connection reset by peer`],
      },
      ctx,
      async () => {
        const route = reach(this.world, target.host, target.port);
        const what = `PostgreSQL at ${endpoint}`;
        if (!route.deployment || !route.ready) throw new NotReadyError(what, route.observation);
        const deployment = route.deployment;
        if (!deployment.images.some((image) => /postgres/i.test(image))) {
          throw new NotReadyError(
            what,
            `deployment/${deployment.name} answers there, but it runs ${deployment.images.join(', ')}, not PostgreSQL`,
          );
        }
        const port = route.containerPort;
        if (
          port !== undefined &&
          deployment.containerPorts.length > 0 &&
          !deployment.containerPorts.includes(port)
        ) {
          throw new NotReadyError(
            what,
            `connect ECONNREFUSED: nothing listens on port ${port} of deployment/${deployment.name} (it declares ${deployment.containerPorts.join(', ')})`,
          );
        }
        // Checked only where the Deployment's env says (literally or through a Secret that exists).
        const env = deployment.env;
        const wrongUser = env.POSTGRES_USER !== undefined && env.POSTGRES_USER !== target.user;
        if (wrongUser || (env.POSTGRES_PASSWORD !== undefined && env.POSTGRES_PASSWORD !== target.password)) {
          throw toolError(
            argv,
            [`FATAL: password authentication failed for user "${target.user}" (SQLSTATE 28P01)`],
            'use the credentials the PostgreSQL Deployment was given',
          );
        }
        const database = env.POSTGRES_DB ?? env.POSTGRES_USER;
        if (database !== undefined && database !== target.database) {
          throw toolError(argv, [`FATAL: database "${target.database}" does not exist (SQLSTATE 3D000)`]);
        }
        await this.world.sleep(this.world.profile.migrationsMs, ctx);
        return { applied: [], version: 0 };
      },
    );
  }
}
