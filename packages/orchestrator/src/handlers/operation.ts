import type { OperationContext } from '@kubernaut-e2e/core';
import type { HandlerContext } from './types.js';

/** The plain `OperationContext` a port receives (cancellation and logging, nothing of the scheduler). */
export function op(ctx: HandlerContext): OperationContext {
  return { signal: ctx.signal, log: ctx.log, logSource: ctx.logSource };
}
