import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

/**
 * Module hooks that report every module URL the process loads, and echo a flush request so the caller knows every
 * earlier report has arrived. Inline (a `data:` URL), so they load the same from `dist/` and from source.
 */
const HOOKS = `let port;
export function initialize(data) {
  port = data.port;
  port.on('message', (message) => port.postMessage(message));
  port.unref();
}
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  port.postMessage(url);
  return result;
}`;

/**
 * Runs `task` and returns, with its result, the URL of every module the process loaded meanwhile (ES modules,
 * including those tsx loads for a TypeScript config; not the insides of CommonJS packages). The hooks stay
 * registered for the rest of the process and slow each later import a little, so this is for a process that
 * ends soon after, like `--help` after a cache miss.
 */
export async function recordImports<T>(task: () => Promise<T>): Promise<{ result: T; urls: string[] }> {
  const { port1, port2 } = new MessageChannel();
  const urls: string[] = [];
  let flushed: (() => void) | undefined;
  port1.on('message', (message: unknown) => {
    if (typeof message === 'string') urls.push(message);
    else flushed?.();
  });
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
    data: { port: port2 },
    transferList: [port2],
  });
  try {
    const result = await task();
    await new Promise<void>((resolve) => {
      flushed = resolve;
      port1.postMessage({ flush: true });
    });
    return { result, urls };
  } finally {
    port1.close();
  }
}
