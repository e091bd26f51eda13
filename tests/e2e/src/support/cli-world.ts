import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KindAndApiServer,
  type PrivateDockerd,
  type PrivatePodmanStore,
  runNodeScript,
  type ScriptExit,
  StandInBin,
  type Sweep,
  type SweepScope,
  startPrivatePodmanStore,
  sweep,
} from '@kubernaut-e2e/test-harness';
import {
  freeGatewayPorts,
  type GatewayPorts,
  type GatewayWorld,
  pinKindConfigPorts,
} from './gateway-world.js';

/*
 * The `kubernaut-e2e` binary run as a user runs it, as a child process, on the real toolchain: real podman (in a
 * private store) or docker (a private dockerd), real containerd as the kind node, real PostgreSQL, and kind plus
 * the API server played by `StandInBin` executables on its PATH. Everything a run could leave lands in places of
 * this world (its TMPDIR, HOME, ledger state dir, podman store), so a sweep sees exactly what the runs left.
 */

const WORKSPACE = new URL('../../../../', import.meta.url);
const CLI_PACKAGE = new URL('packages/cli/', WORKSPACE);
const cliManifest = JSON.parse(readFileSync(new URL('package.json', CLI_PACKAGE), 'utf8')) as {
  bin: Record<string, string>;
};
/** The built CLI, as its package's `bin` names it (`pnpm build` first). */
export const CLI_BIN = fileURLToPath(new URL(cliManifest.bin['kubernaut-e2e']!, CLI_PACKAGE));
/** The built gateway package, which a project config in a copied project imports (`pnpm build` first). */
const GATEWAY_DIST = new URL('services/gateway/dist/index.js', WORKSPACE).href;

/** Marks every process a CLI run starts (the variable is inherited), so a sweep finds those still alive. */
export const PROCESS_MARK = 'KE2E_SWEEP_MARK=fault-matrix';

export type CliExit = ScriptExit;

export interface CliWorld {
  readonly engine: 'podman' | 'docker';
  readonly standIn: KindAndApiServer;
  readonly bin: StandInBin;
  readonly store: PrivatePodmanStore;
  readonly ports: GatewayPorts;
  readonly stateDir: string;
  readonly tmp: string;
  readonly home: string;
  /** The env of the CLI's processes; `extra` (e.g. step timeouts) on top. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** A copy of `from` (or of a fresh fixture copy) configured for this world: `.mjs` project config, pinned ports. */
  project(label: string, from?: string): Promise<string>;
  /** Runs the CLI in `cwd`; `started` gets the child (to signal it). */
  cli(
    args: readonly string[],
    cwd: string,
    extra?: Record<string, string>,
    started?: (child: ChildProcess) => void,
  ): Promise<CliExit>;
  sweep(): Promise<Sweep>;
  stop(): Promise<void>;
}

export async function startCliWorld(
  world: GatewayWorld,
  engine: 'podman' | 'docker',
  dockerd?: PrivateDockerd,
): Promise<CliWorld> {
  const root = await mkdtemp(join(world.work, `${engine}-`));
  const [tmp, home, stateDir] = ['tmp', 'home', 'state'].map((d) => join(root, d)) as [
    string,
    string,
    string,
  ];
  for (const dir of [tmp, home, stateDir]) await mkdir(dir, { recursive: true });
  const store = await startPrivatePodmanStore(world.real);
  const standIn = new KindAndApiServer(world.real, world.postgres.port, false, engine);
  const bin = await StandInBin.start(standIn, world.postgres.port);
  const ports = await freeGatewayPorts();
  const engines: SweepScope['engines'] = [
    { binary: 'podman', env: { ...store.env } },
    ...(dockerd ? [{ binary: 'docker' as const, env: { ...dockerd.env } }] : []),
  ];
  const scope: SweepScope = {
    runner: world.real,
    engines,
    tempDirs: [tmp],
    kubeconfigDirs: [join(home, '.kube')],
    stateDirs: [stateDir],
    clusters: () => [...standIn.clusters.keys()],
    postgres: world.postgres,
    processMark: PROCESS_MARK,
  };
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const {
      KEEP_CLUSTER: _keep,
      E2E_COVERAGE: _coverage,
      IMAGE_REGISTRY: _registry,
      ...inherited
    } = process.env;
    return {
      ...inherited,
      ...bin.env(process.env.PATH),
      ...store.env,
      ...(dockerd ? dockerd.env : {}),
      // RUN steps: crun cannot create cgroups on these machines (see image-builder's build-cancel tests).
      BUILDAH_ISOLATION: 'chroot',
      TMPDIR: tmp,
      HOME: home,
      KUBERNAUT_E2E_STATE_DIR: stateDir,
      [PROCESS_MARK.split('=')[0]!]: PROCESS_MARK.split('=')[1]!,
      ...extra,
    };
  };
  return {
    engine,
    standIn,
    bin,
    store,
    ports,
    stateDir,
    tmp,
    home,
    env,
    async project(label, from) {
      const dir = join(root, label);
      if (from) await cp(from, dir, { recursive: true });
      else await cp(await world.projectCopy(`${engine}-${label}`), dir, { recursive: true });
      await pinKindConfigPorts(dir, ports);
      await writeFile(
        join(dir, 'kubernaut-e2e.config.mjs'),
        [
          `import { gatewayService } from ${JSON.stringify(GATEWAY_DIST)};`,
          'export default {',
          "  projectRoot: '.',",
          '  services: [gatewayService],',
          `  overrides: { gateway: { hostPorts: ${JSON.stringify(ports)} } },`,
          '};',
          '',
        ].join('\n'),
      );
      return dir;
    },
    cli: (args, cwd, extra, started) =>
      runNodeScript(CLI_BIN, args, { cwd, env: env(extra), ...(started ? { started } : {}) }),
    sweep: () => sweep(scope),
    async stop() {
      await standIn.stopAll();
      await bin.stop();
      await store.stop();
    },
  };
}
