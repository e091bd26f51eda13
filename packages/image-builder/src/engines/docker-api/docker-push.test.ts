import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, type LogLine } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../docker-engine.js';
import { DAEMON_ENDPOINT_ARGS, parseDaemonSocket } from './daemon-endpoint.js';
import { pushStreamError, splitTag } from './engine-api-client.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../__fixtures__/${name}`, import.meta.url), 'utf8');
const SOURCE = 'kubernaut/gateway:gateway-e2e-0123456789ab';
const LOCAL_TARGET = 'localhost:5001/kubernaut/gateway:gateway-e2e-0123456789ab';
const REMOTE_TARGET = 'registry.example.com:5000/e2e/kubernaut/gateway:gateway-e2e-0123456789ab';
const endpointCall = (stdout: string) => ({ argv: ['docker', ...DAEMON_ENDPOINT_ARGS], stdout });
const cliPush = (target: string) => [
  { argv: ['docker', 'tag', SOURCE, target] },
  { argv: ['docker', 'push', target] },
  { argv: ['docker', 'rmi', target] },
];

describe('what the docker CLI says about its daemon and a push', () => {
  it('reads the daemon socket from `docker context inspect`, and only a unix socket', () => {
    expect(parseDaemonSocket(fixture('docker-context-inspect-endpoint-unix.json'))).toBe(
      '/var/run/docker.sock',
    );
    expect(parseDaemonSocket(fixture('docker-context-inspect-endpoint-tcp.json'))).toBeUndefined();
    expect(parseDaemonSocket('{"Host":"ssh://me@build-host"}')).toBeUndefined();
    expect(parseDaemonSocket('')).toBeUndefined();
  });

  it("finds a failed push in the Engine API's progress stream, which answers HTTP 200 either way", () => {
    expect(pushStreamError(fixture('docker-engine-api-push.ndjson'))).toBeUndefined();
    expect(pushStreamError(fixture('docker-engine-api-push-refused.ndjson'))).toMatch(
      /dial tcp 127\.0\.0\.1:1: connect: connection refused/,
    );
  });

  it("splits a reference's tag from its repository, not a registry's port", () => {
    expect(splitTag(LOCAL_TARGET)).toEqual({
      repo: 'localhost:5001/kubernaut/gateway',
      tag: 'gateway-e2e-0123456789ab',
    });
    expect(splitTag('localhost:5001/kubernaut/gateway')).toEqual({
      repo: 'localhost:5001/kubernaut/gateway',
      tag: 'latest',
    });
  });
});

/*
 * The daemon's Engine API is played by an HTTP server on a unix socket in a temp directory, answering what a
 * dockerd 20.10 answered (the recorded streams); the CLI is played at the process boundary.
 */
describe('docker pushAs', () => {
  let dir: string;
  let socket: string;
  let server: Server;
  let requests: string[];
  let answerPush: (response: ServerResponse) => void;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-docker-api-test-'));
    socket = join(dir, 'docker.sock');
    requests = [];
    answerPush = (response) => response.writeHead(200).end(fixture('docker-engine-api-push.ndjson'));
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      requests.push(`${request.method} ${decodeURIComponent(request.url ?? '')}`);
      if (request.url?.includes('/push')) answerPush(response);
      else if (request.method === 'POST') response.writeHead(201).end();
      else response.writeHead(200).end('[]');
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  const unixEndpoint = () => endpointCall(JSON.stringify({ Host: `unix://${socket}`, SkipTLSVerify: false }));

  it('pushes to a registry on this machine through the Engine API: no docker process but the one asking for the socket', async () => {
    const runner = new ScriptedRunner([unixEndpoint()]);
    const engine = createDockerEngine(runner);
    await engine.pushAs!(SOURCE, LOCAL_TARGET);
    await engine.pushAs!(SOURCE, LOCAL_TARGET);
    runner.assertAllUsed();
    const once = [
      `POST /images/${SOURCE}/tag?repo=localhost:5001/kubernaut/gateway&tag=gateway-e2e-0123456789ab`,
      'POST /images/localhost:5001/kubernaut/gateway/push?tag=gateway-e2e-0123456789ab',
      `DELETE /images/${LOCAL_TARGET}`,
    ];
    expect(requests).toEqual([...once, ...once]);
  });

  it('asks for the socket ahead of the first push when told to prepare', async () => {
    const runner = new ScriptedRunner([unixEndpoint()]);
    const engine = createDockerEngine(runner);
    await engine.preparePush!();
    expect(runner.argvs).toEqual([['docker', ...DAEMON_ENDPOINT_ARGS]]);
    await engine.pushAs!(SOURCE, LOCAL_TARGET);
    runner.assertAllUsed();
  });

  it('uses the CLI for a remote registry (its credentials are the CLI’s) and for a daemon over TCP', async () => {
    const remote = new ScriptedRunner(cliPush(REMOTE_TARGET));
    await createDockerEngine(remote).pushAs!(SOURCE, REMOTE_TARGET);
    remote.assertAllUsed();

    const tcp = new ScriptedRunner([
      endpointCall(fixture('docker-context-inspect-endpoint-tcp.json')),
      ...cliPush(LOCAL_TARGET),
    ]);
    await createDockerEngine(tcp).pushAs!(SOURCE, LOCAL_TARGET);
    tcp.assertAllUsed();
    expect(requests).toEqual([]);
  });

  it('pushes with the CLI when the Engine API push fails, saying why, and removes the extra name both times', async () => {
    answerPush = (response) => response.writeHead(200).end(fixture('docker-engine-api-push-refused.ndjson'));
    const runner = new ScriptedRunner([unixEndpoint(), ...cliPush(LOCAL_TARGET)]);
    const lines: LogLine[] = [];
    await createDockerEngine(runner).pushAs!(SOURCE, LOCAL_TARGET, {
      log: (line) => lines.push(line),
      logSource: 'push:gateway',
    });
    runner.assertAllUsed();
    expect(requests.at(-1)).toBe(`DELETE /images/${LOCAL_TARGET}`);
    expect(lines).toEqual([
      expect.objectContaining({
        source: 'push:gateway',
        text: expect.stringMatching(/connection refused; pushing with the docker CLI instead$/),
      }),
    ]);
  });

  it('a cancelled push ends at once, without a CLI retry, and still removes the extra name', async () => {
    // As dockerd does: the answer starts at once, then the upload's progress streams, here without end.
    answerPush = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"status":"The push refers to repository [localhost:5001/kubernaut/gateway]"}\n');
    };
    const runner = new ScriptedRunner([unixEndpoint()]);
    const stop = new AbortController();
    const pushing = createDockerEngine(runner).pushAs!(SOURCE, LOCAL_TARGET, { signal: stop.signal });
    while (!requests.some((r) => r.includes('/push'))) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await expect(pushing).rejects.toBeInstanceOf(CancelledError);
    runner.assertAllUsed();
    expect(requests.at(-1)).toBe(`DELETE /images/${LOCAL_TARGET}`);
  });
});
