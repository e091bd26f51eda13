/**
 * Test-only: the orchestrator's migrate step wired to the REAL kubectl client and goose migrator, with
 * kubectl replaced at the process boundary (a `CommandRunner`): its `port-forward` "forwards" to a port the
 * test chooses, and stopping it can be made to fail, as a kill that is refused would.
 */

import type { Toolchain } from '@kubernaut-e2e/core';
import { type CommandRunner, type LogLine, type RunningCommand, realClock } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createGooseMigrator, kubectlClientFactory } from '@kubernaut-e2e/deployers';
import type { HandlerContext } from '../handlers/types.js';
import type { MigrateStep } from '../plan/types.js';
import { RunState } from '../scheduler/run-state.js';

export const KUBECONFIG = '/run/kubernaut-e2e/e2e.kubeconfig';
export const STOP_FAILURE = 'kill EPERM: operation not permitted';

/** `kubectl port-forward` that prints the Forwarding line for `localPort`; `stopFails` makes `stop()` reject. */
export function kubectlForwardingTo(localPort: number, options: { stopFails: boolean }) {
  const scripted = new ScriptedRunner([
    {
      method: 'start',
      argv: [
        'kubectl',
        '--kubeconfig',
        KUBECONFIG,
        'port-forward',
        '-n',
        'e2e',
        'service/postgresql',
        ':5432',
        '--address',
        '127.0.0.1',
      ],
      stdout: `Forwarding from 127.0.0.1:${localPort} -> 5432\n`,
    },
  ]);
  const runner: CommandRunner = {
    run: (file, args, runOptions) => scripted.run(file, args, runOptions),
    start(file, args, runOptions): RunningCommand {
      const command = scripted.start(file, args, runOptions);
      if (!options.stopFails) return command;
      return {
        argv: command.argv,
        pid: command.pid,
        done: command.done,
        waitForLine: (pattern, timeoutMs) => command.waitForLine(pattern, timeoutMs),
        stop: async () => {
          await command.stop();
          throw new Error(STOP_FAILURE);
        },
      };
    },
  };
  return { scripted, runner };
}

export function migrateStep(
  directory: string,
  database: { database: string; user: string; password: string },
): MigrateStep {
  return {
    id: 'migrate:migrations',
    kind: 'migrate',
    label: 'migrations',
    deps: [],
    resource: 'kube',
    payload: {
      component: {
        id: 'migrations',
        kind: 'migrate',
        dependsOn: [],
        directory,
        database,
        via: { namespace: 'e2e', target: 'service/postgresql', remotePort: 5432 },
      },
    },
  };
}

/** A handler context whose cluster exists, with the log lines and trace notes the step produces. */
export function migrateContext(runner: CommandRunner) {
  // The migrate step needs only these ports; the others are left out on purpose (using one fails the test).
  const toolchain = {
    clock: realClock,
    kube: kubectlClientFactory({ runner }),
    migrator: createGooseMigrator({ connectTimeoutMs: 5_000 }),
  } as Partial<Toolchain> as Toolchain;
  const state = new RunState(toolchain);
  state.setCluster({ name: 'e2e', kubeconfigPath: KUBECONFIG, owned: false });
  const logs: LogLine[] = [];
  const notes: string[] = [];
  const ctx: HandlerContext = {
    signal: new AbortController().signal,
    log: (line) => logs.push(line),
    logSource: 'migrate:migrations',
    toolchain,
    state,
    note: (text) => notes.push(text),
  };
  return { ctx, logs, notes };
}
