import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuiltinKind } from '@kubernaut-e2e/core';
import { parseAllDocuments } from 'yaml';
import type { KindAndApiServer } from './kind-and-api-server.js';

/*
 * Test-only: the kind + API-server stand-in as EXECUTABLES, for tests that run the CLI binary as a child process.
 * `kind` and `kubectl` in `binDir` are tiny node scripts that send their argv, stdin and KIND_EXPERIMENTAL_PROVIDER
 * over a Unix socket to this process, where a `KindAndApiServer` answers them; they print what it answers and exit
 * with its code. podman and docker are NOT shimmed: put `binDir` first on the child's PATH and they run for real.
 *
 * A `kubectl port-forward` client prints the "Forwarding from" line (to the real PostgreSQL) and stays alive until
 * it is stopped, as kubectl does: it is a real child process of the CLI, which a sweep can look for.
 *
 * Faults are injected per step kind at this boundary: `fail` answers exit 1 with the fault's stderr; `hang` prints
 * the stderr and never answers (the step's deadline or a signal must stop it). A hung command against a cluster
 * that gets deleted then fails, as kind or kubectl would. `api-hang` is a hung control plane: from the step's first
 * command on (or from the start, with `apiHung`), the API server accepts connections and never answers — that
 * command and every kubectl after it hang, and so does `kind create cluster` (it waits for the control plane).
 * A kubectl given `--request-timeout=<n>s` fails after 5 × n seconds with what kubectl v1.32.4 printed against such
 * a server (it retries discovery; recorded with n = 2: 10.6–12.6 s, "Unable to connect to the server: …").
 */

/** Step kinds whose commands go through kind or kubectl. */
export const STAND_IN_STEPS = [
  'create-cluster',
  'install-crds',
  'namespace',
  'load',
  'manifests',
  'deploy',
  'migrate',
  'wait-ready',
  'seed',
] as const;
export type StandInStep = (typeof STAND_IN_STEPS)[number];

export interface CommandFault {
  readonly step: StandInStep;
  readonly mode: 'fail' | 'hang' | 'api-hang';
  /** What the command prints on stderr before failing or hanging. */
  readonly stderr: string;
}

interface Request {
  readonly argv: string[];
  readonly env: { KIND_EXPERIMENTAL_PROVIDER?: string };
  readonly input: string;
}

interface Reply {
  stdout?: string;
  stderr?: string;
  exit?: number;
  /** Stay alive after printing (a port-forward). */
  stay?: boolean;
}

const CLIENT = `
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
let input = '';
try { input = fs.readFileSync(0, 'utf8'); } catch {}
const socket = net.createConnection(process.env.KE2E_STAND_IN_SOCKET);
socket.write(JSON.stringify({
  argv: [path.basename(process.argv[1]), ...process.argv.slice(2)],
  env: { KIND_EXPERIMENTAL_PROVIDER: process.env.KIND_EXPERIMENTAL_PROVIDER },
  input,
}) + '\\n');
let buffer = '';
socket.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const reply = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    if (reply.stdout) process.stdout.write(reply.stdout);
    if (reply.stderr) process.stderr.write(reply.stderr);
    if (reply.stay) setInterval(() => {}, 1 << 30);
    if (reply.exit !== undefined) { process.exitCode = reply.exit; socket.end(); }
  }
});
socket.on('error', (error) => { process.stderr.write('kind/kubectl stand-in unreachable: ' + error.message + '\\n'); process.exit(1); });
`;

/**
 * The step kind a kind/kubectl command belongs to, if it is one a fault can target. kubectl's argv does not say which
 * step runs it, so an apply is classified by what it applies: CRDs are `install-crds`, a Deployment (with its
 * ConfigMaps, Service and RBAC) is `deploy`, only Namespaces is `namespace`, custom resources (and the status
 * patches that follow them) are `seed`, and built-in objects without a Deployment (the run's certificates, Secrets
 * and ConfigMaps, repository RBAC) are `manifests`.
 */
export function stepOfCommand(argv: readonly string[], input: string): StandInStep | undefined {
  const [tool, ...args] = argv;
  if (tool === 'kind') {
    if (args[0] === 'create' && args[1] === 'cluster') return 'create-cluster';
    if (args[0] === 'load') return 'load';
    return undefined;
  }
  if (tool !== 'kubectl') return undefined;
  const verb = args[2];
  if (verb === 'port-forward') return 'migrate';
  if (verb === 'rollout') return 'wait-ready';
  if (verb === 'wait' && args.includes('--for=condition=Established')) return 'install-crds';
  if (verb === 'patch' && args.includes('--subresource=status')) return 'seed';
  if (verb !== 'apply') return undefined;
  const kinds = parseAllDocuments(input).flatMap((d) => (d.toJS() as { kind?: string } | null)?.kind ?? []);
  if (kinds.length === 0) return undefined;
  if (kinds.includes('CustomResourceDefinition')) return 'install-crds';
  if (kinds.includes('Deployment')) return 'deploy';
  if (kinds.every((k) => k === 'Namespace')) return 'namespace';
  if (kinds.some((k) => !isBuiltinKind(k))) return 'seed';
  return 'manifests';
}

export class StandInBin {
  /** Set before a run; every matching command fails or hangs. */
  fault: CommandFault | undefined;
  /** The API server accepts connections and never answers (set by an `api-hang` fault, or by a test). */
  apiHung = false;
  /** argv of every command that reached the stand-in. */
  readonly commands: string[][] = [];
  readonly #hung = new Map<Socket, string | undefined>();
  #onFault: (() => void)[] = [];

  private constructor(
    readonly standIn: KindAndApiServer,
    private readonly server: Server,
    readonly binDir: string,
    readonly socketPath: string,
    private readonly postgresPort: number,
  ) {}

  /** Writes the executables and starts answering them. */
  static async start(standIn: KindAndApiServer, postgresPort: number): Promise<StandInBin> {
    const binDir = await mkdtemp(join(tmpdir(), 'kubernaut-stand-in-bin-'));
    const script = `#!${process.execPath}\n${CLIENT}`;
    for (const name of ['kind', 'kubectl']) {
      await writeFile(join(binDir, name), script);
      await chmod(join(binDir, name), 0o755);
    }
    const socketPath = join(binDir, 'stand-in.sock');
    let bin: StandInBin | undefined;
    const server = createServer((socket) => bin?.accept(socket));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    bin = new StandInBin(standIn, server, binDir, socketPath, postgresPort);
    return bin;
  }

  /** What a child process needs: `binDir` before the rest of `path`, and the socket. */
  env(path = process.env.PATH ?? ''): { PATH: string; KE2E_STAND_IN_SOCKET: string } {
    return { PATH: `${this.binDir}:${path}`, KE2E_STAND_IN_SOCKET: this.socketPath };
  }

  /** Resolves when a command the fault targets arrives (to interrupt the run mid-step). */
  faultReached(): Promise<void> {
    return new Promise((resolve) => this.#onFault.push(resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.#hung.keys()) socket.destroy();
    this.#hung.clear();
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.binDir, { recursive: true, force: true });
  }

  private accept(socket: Socket): void {
    let buffer = '';
    socket.on('error', () => {});
    socket.on('close', () => this.#hung.delete(socket));
    socket.on('data', (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      const request = JSON.parse(buffer.slice(0, end)) as Request;
      buffer = '';
      void this.answer(socket, request).catch((error: unknown) =>
        send(socket, { stderr: `stand-in error: ${String(error)}\n`, exit: 1 }),
      );
    });
  }

  private async answer(socket: Socket, request: Request): Promise<void> {
    const { argv, input } = request;
    this.commands.push(argv);
    const step = stepOfCommand(argv, input);
    const fault = step !== undefined && this.fault?.step === step ? this.fault : undefined;
    if (fault?.mode === 'api-hang') this.apiHung = true;
    const reached = () => {
      for (const resolve of this.#onFault.splice(0)) resolve();
    };
    if (this.apiHung && (fault || argv[0] === 'kubectl' || step === 'create-cluster')) {
      // kind makes the node, then waits for a control plane that never answers.
      if (step === 'create-cluster') await this.forward(argv, request).catch(() => {});
      if (fault) send(socket, { stderr: `${fault.stderr}\n` });
      this.#hung.set(socket, this.clusterOf(argv));
      const timeout = argv.find((a) => a.startsWith('--request-timeout='));
      const seconds = timeout ? Number.parseFloat(timeout.slice('--request-timeout='.length)) : Number.NaN;
      if (argv[0] === 'kubectl' && seconds > 0) {
        setTimeout(() => {
          if (!this.#hung.delete(socket)) return;
          send(socket, { stderr: `${UNANSWERED}\n`, exit: 1 });
        }, 5_000 * seconds).unref();
      }
      if (fault) reached();
      return;
    }
    if (fault) {
      if (fault.mode === 'fail') {
        send(socket, { stderr: `${fault.stderr}\n`, exit: 1 });
        return reached();
      }
      // A hung `kind create cluster` has made its node already: the run must delete a half-made cluster.
      if (step === 'create-cluster') await this.forward(argv, request).catch(() => {});
      send(socket, { stderr: `${fault.stderr}\n` });
      this.#hung.set(socket, this.clusterOf(argv));
      return reached();
    }
    if (argv[0] === 'kubectl' && argv[3] === 'port-forward') {
      const cluster = this.clusterOf(argv);
      if (!cluster) return send(socket, { stderr: 'error: no cluster behind this kubeconfig\n', exit: 1 });
      return send(socket, { stdout: `Forwarding from 127.0.0.1:${this.postgresPort} -> 5432\n`, stay: true });
    }
    const deleting = argv[0] === 'kind' && argv[1] === 'delete' ? this.clusterOf(argv) : undefined;
    const reply = await this.forward(argv, request);
    // Once `kind delete` returns, nothing still runs against the cluster: the commands it ends have exited.
    if (deleting) await this.releaseHung(deleting);
    send(socket, reply);
  }

  private async forward(argv: readonly string[], request: Request): Promise<Reply> {
    const [file, ...args] = argv;
    try {
      const result = await this.standIn.run(file!, args, {
        env: request.env.KIND_EXPERIMENTAL_PROVIDER
          ? { KIND_EXPERIMENTAL_PROVIDER: request.env.KIND_EXPERIMENTAL_PROVIDER }
          : {},
        ...(request.input ? { input: request.input } : {}),
      });
      return {
        stdout: withNewline(result.stdout),
        stderr: withNewline(result.stderr),
        exit: result.exitCode,
      };
    } catch (error) {
      const tail = (error as { stderrTail?: readonly string[] }).stderrTail;
      const exitCode = (error as { exitCode?: number }).exitCode;
      return {
        stderr: `${tail ? tail.join('\n') : (error as Error).message}\n`,
        exit: typeof exitCode === 'number' && exitCode > 0 ? exitCode : 1,
      };
    }
  }

  /** The cluster a command is about: kind's `--name`, kubectl's `--kubeconfig`. */
  private clusterOf(argv: readonly string[]): string | undefined {
    const name = argv.indexOf('--name');
    if (argv[0] === 'kind' && name > 0) return argv[name + 1];
    const kubeconfig = argv[0] === 'kubectl' && argv[1] === '--kubeconfig' ? argv[2] : undefined;
    return [...this.standIn.clusters.values()].find((c) => c.kubeconfigPath === kubeconfig)?.name;
  }

  /**
   * Hung commands against a deleted cluster fail now, as kind and kubectl do when the node goes away. Resolves once
   * their processes have exited (each closes its connection as it exits).
   */
  private async releaseHung(cluster: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [socket, target] of this.#hung) {
      if (target !== cluster) continue;
      this.#hung.delete(socket);
      closing.push(new Promise((resolve) => socket.once('close', () => resolve())));
      send(socket, { stderr: `ERROR: cluster "${cluster}" was deleted\n`, exit: 1 });
    }
    await Promise.all(closing);
  }
}

/** kubectl v1.32.4's last line when its `--request-timeout` passes against a server that never answers. */
const UNANSWERED =
  'Unable to connect to the server: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';

function send(socket: Socket, reply: Reply): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
