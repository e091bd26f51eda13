import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { CancelledError, ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createReadinessProber } from './readiness-prober.js';

const servers: { close(cb?: () => void): unknown }[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))),
  );
});

/** A real HTTP server on a free port; `handler` decides each response from the request count. */
async function httpServer(
  handler: (n: number) => { status: number; body: string },
): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server: Server = createServer((_req, res) => {
    const { status, body } = handler(++n);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`, requests: () => n };
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createReadinessProber — HTTP', () => {
  it('polls until a server that starts out unready answers 200', async () => {
    // Unready for the first three requests, like a service still connecting to its database.
    const server = await httpServer((n) =>
      n <= 3 ? { status: 503, body: 'database not connected' } : { status: 200, body: 'ok' },
    );
    await createReadinessProber().waitUntilReady(
      { kind: 'http', url: server.url },
      { timeoutMs: 10_000, intervalMs: 10 },
    );
    expect(server.requests()).toBe(4);
  });

  it('fails with NotReadyError naming the URL, the last status and body, when it never becomes ready', async () => {
    const server = await httpServer(() => ({ status: 503, body: '{"status":"waiting for redis"}' }));
    const error = await createReadinessProber()
      .waitUntilReady({ kind: 'http', url: server.url }, { timeoutMs: 300, intervalMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    const notReady = error as NotReadyError;
    expect(notReady.target).toBe(`HTTP ${server.url}`);
    expect(notReady.lastObservation).toContain('HTTP 503 "{"status":"waiting for redis"}"');
    expect(notReady.message).toContain(server.url);
    expect(server.requests()).toBeGreaterThan(1);
  });

  it('counts only the expected statuses as ready when given', async () => {
    const server = await httpServer(() => ({ status: 204, body: '' }));
    const error = await createReadinessProber()
      .waitUntilReady(
        { kind: 'http', url: server.url, expectStatus: [200] },
        { timeoutMs: 200, intervalMs: 20 },
      )
      .catch((e: unknown) => e);
    expect((error as NotReadyError).lastObservation).toContain('HTTP 204 (empty body)');
  });

  it('reports the connect error when nothing listens', async () => {
    const port = await closedPort();
    const error = await createReadinessProber()
      .waitUntilReady(
        { kind: 'http', url: `http://127.0.0.1:${port}/healthz` },
        { timeoutMs: 200, intervalMs: 20 },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).lastObservation).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('times out a single attempt that hangs and says so', async () => {
    const hanging = createServer(() => {
      /* never responds */
    });
    servers.push({
      close: (cb) => {
        hanging.closeAllConnections();
        return hanging.close(cb);
      },
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/readyz`;
    const error = await createReadinessProber()
      .waitUntilReady({ kind: 'http', url }, { timeoutMs: 400, attemptTimeoutMs: 100, intervalMs: 10 })
      .catch((e: unknown) => e);
    expect((error as NotReadyError).lastObservation).toMatch(/no response within \d+ ms/);
  });

  it('stops when its signal aborts, with CancelledError', async () => {
    const server = await httpServer(() => ({ status: 503, body: 'no' }));
    const controller = new AbortController();
    const waiting = createReadinessProber().waitUntilReady(
      { kind: 'http', url: server.url },
      { timeoutMs: 60_000, intervalMs: 20 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses a bad URL or timing before probing', async () => {
    const prober = createReadinessProber();
    await expect(
      prober.waitUntilReady({ kind: 'http', url: 'not a url' }, { timeoutMs: 100 }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(
      prober.waitUntilReady({ kind: 'http', url: 'ftp://x/' }, { timeoutMs: 100 }),
    ).rejects.toThrow(/http:\/\/ or https:\/\//);
    await expect(
      prober.waitUntilReady({ kind: 'tcp', host: '127.0.0.1', port: 0 }, { timeoutMs: 100 }),
    ).rejects.toThrow(/port/);
    await expect(
      prober.waitUntilReady({ kind: 'tcp', host: '127.0.0.1', port: 80 }, { timeoutMs: -1 }),
    ).rejects.toThrow(/timeoutMs/);
  });
});

describe('createReadinessProber — TCP', () => {
  it('is ready as soon as a listener accepts', async () => {
    const server = createTcpServer((socket) => socket.end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await expect(
      createReadinessProber().waitUntilReady({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 5000 }),
    ).resolves.toBeUndefined();
  });

  it('fails on a closed port with the connect error', async () => {
    const port = await closedPort();
    const error = await createReadinessProber()
      .waitUntilReady({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 200, intervalMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).target).toBe(`TCP 127.0.0.1:${port}`);
    expect((error as NotReadyError).lastObservation).toContain('ECONNREFUSED');
  });
});
