import { setMaxListeners } from 'node:events';
import type { Toolchain } from '@kubernaut-e2e/core';
import { type Clock, type LogSink, TimeoutError } from '@kubernaut-e2e/core';
import type { HandlerContext, StepHandlers } from '../handlers/types.js';
import type { LoadStep, PlanStep } from '../plan/types.js';
import { abortable, isTransient, messageOf } from './abortable.js';
import type { RunPlanOptions } from './options.js';
import type { RunState } from './run-state.js';
import type { StepBook } from './step-book.js';

export interface AttemptDeps {
  readonly toolchain: Toolchain;
  readonly handlers: StepHandlers;
  readonly state: RunState;
  readonly book: StepBook;
  readonly log: LogSink;
  readonly options: RunPlanOptions;
}

/**
 * Runs units (a step, or a batch of loads) through their handler: each attempt bounded by the kind's
 * timeout and by the parent signal, transient failures retried per the kind's policy. Keeps track of
 * handler calls still in flight so cleanup can wait for aborted work to wind down.
 */
export class AttemptRunner {
  readonly #inflight = new Set<Promise<void>>();
  readonly #clock: Clock;

  constructor(private readonly deps: AttemptDeps) {
    this.#clock = deps.toolchain.clock;
  }

  /** All attempts of a unit; resolves on success, rejects with the last error. */
  async run(unit: readonly PlanStep[], unitId: string, parent: AbortSignal): Promise<void> {
    const lead = unit[0]!;
    const policy = this.deps.options.retry?.[lead.kind];
    const maxAttempts = Math.max(1, policy?.attempts ?? 1);
    for (let attempt = 1; ; attempt++) {
      for (const step of unit) this.deps.book.attempt(step, attempt);
      try {
        await this.#attempt(unit, unitId, parent);
        return;
      } catch (error) {
        if (parent.aborted || !policy || !isTransient(error) || attempt >= maxAttempts) throw error;
        const pause = policy.backoffMs * 2 ** (attempt - 1);
        this.deps.log({
          source: unitId,
          stream: 'info',
          text: `attempt ${attempt} failed (transient): ${messageOf(error)}; retrying in ${pause} ms`,
          at: this.#clock.now(),
        });
        await this.#clock.sleep(pause, parent);
      }
    }
  }

  /** Waits until every handler call has settled, or `graceMs` passed on the run's clock. */
  async drain(graceMs: number): Promise<void> {
    if (this.#inflight.size === 0) return;
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      this.#clock.sleep(graceMs, grace.signal).catch(() => {}),
    ]);
    grace.abort();
  }

  async #attempt(unit: readonly PlanStep[], unitId: string, parent: AbortSignal): Promise<void> {
    const lead = unit[0]!;
    const controller = new AbortController();
    // One step runs many commands at once (a CRD wait each), each listening to this signal: not a leak.
    setMaxListeners(0, controller.signal);
    const onParentAbort = () => controller.abort(parent.reason);
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onParentAbort, { once: true });
    const timeoutMs = this.deps.options.stepTimeoutMs?.[lead.kind];
    const timer = timeoutMs === undefined ? undefined : new AbortController();
    if (timer && timeoutMs !== undefined) {
      this.#clock.sleep(timeoutMs, timer.signal).then(
        () => controller.abort(new TimeoutError(`step ${unitId}`, timeoutMs)),
        () => {},
      );
    }
    const { toolchain, state, book, options } = this.deps;
    const ctx: HandlerContext = {
      signal: controller.signal,
      log: this.deps.log,
      logSource: unitId,
      toolchain,
      state,
      ...(options.logsDir === undefined ? {} : { logsDir: options.logsDir }),
      ...(options.podWatch === undefined ? {} : { podWatch: options.podWatch }),
      note: (text) => {
        for (const step of unit) book.note(step.id, text);
      },
    };
    const work = invoke(this.deps.handlers, unit, ctx);
    this.#inflight.add(work);
    const settled = () => this.#inflight.delete(work);
    work.then(settled, settled);
    try {
      await abortable(work, controller.signal);
    } finally {
      timer?.abort();
      parent.removeEventListener('abort', onParentAbort);
    }
  }
}

function invoke(handlers: StepHandlers, unit: readonly PlanStep[], ctx: HandlerContext): Promise<void> {
  const lead = unit[0]!;
  switch (lead.kind) {
    case 'build':
      return handlers.build(lead, ctx);
    case 'create-cluster':
      return handlers['create-cluster'](lead, ctx);
    case 'install-crds':
      return handlers['install-crds'](lead, ctx);
    case 'namespace':
      return handlers.namespace(lead, ctx);
    case 'load':
      return handlers.load(unit as readonly LoadStep[], ctx);
    case 'deploy':
      return handlers.deploy(lead, ctx);
    case 'wait-ready':
      return handlers['wait-ready'](lead, ctx);
    case 'migrate':
      return handlers.migrate(lead, ctx);
    case 'manifests':
    case 'seed':
      return handlers.apply(lead, ctx);
    case 'teardown':
      return handlers.teardown(lead, ctx);
  }
}
