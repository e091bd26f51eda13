import { readFileSync } from 'node:fs';
import { CommandError, NotReadyError, StepError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { MigrationError } from '../migrations/migration-error.js';
import { diagnose } from './diagnose.js';
import { parseEventList, parseNodeList, parsePodList } from './kube-status.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/diagnostics/${name}`, import.meta.url), 'utf8');
const pods = JSON.parse(fixture('pods-failing.json')) as unknown;
const events = JSON.parse(fixture('events-failing.json')) as unknown;
const nodes = JSON.parse(fixture('nodes.json')) as unknown;
const previousLogs = { 'datastorage-7d4b9c6f8-k8j2p/datastorage': fixture('datastorage-previous.log') };

const findingAbout = (subject: string) => {
  const found = diagnose({ pods, events, nodes, previousLogs }).filter((f) => f.subject === subject);
  expect(found, `one finding about ${subject}`).toHaveLength(1);
  return found[0]!;
};

describe('kubectl JSON readers', () => {
  it('read pods with their container states, probes and conditions', () => {
    const parsed = parsePodList(pods);
    expect(parsed.map((p) => p.name)).toEqual([
      'postgresql-5d9f8b7c6-h7m2x',
      'redis-6b8f5d7c9-pl4mn',
      'datastorage-7d4b9c6f8-k8j2p',
      'gateway-6f9c7b8d5-x2x7q',
      'notification-5c8d7f9b4-qw5zt',
      'authwebhook-84c6d9f7b-z9r4t',
    ]);
    const notification = parsed.find((p) => p.name.startsWith('notification'))!.containers[0]!;
    expect(notification).toMatchObject({
      ready: false,
      running: true,
      readinessUrl: 'http://10.244.0.14:8080/health/ready',
    });
    const datastorage = parsed.find((p) => p.name.startsWith('datastorage'))!.containers[0]!;
    expect(datastorage).toMatchObject({
      restartCount: 4,
      waiting: { reason: 'CrashLoopBackOff' },
      lastTerminated: { exitCode: 1, reason: 'Error' },
    });
  });

  it('read events oldest first, and the node images every name included', () => {
    const parsed = parseEventList(events);
    const seen = parsed.map((e) => e.lastSeen);
    expect(seen).toEqual([...seen].sort());
    expect(parsed.at(-1)!.reason).toBe('FailedScheduling'); // the scheduler retried until 09:18:40
    expect(parsed.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      objectName: 'notification-5c8d7f9b4-qw5zt',
      count: 23,
    });
    const [node] = parseNodeList(nodes);
    expect(node!.name).toBe('gateway-e2e-control-plane');
    expect(node!.images).toContain('docker.io/library/postgres:16-alpine');
    expect(node!.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('accept what is not a list without throwing', () => {
    expect(parsePodList(undefined)).toEqual([]);
    expect(parseEventList('not json')).toEqual([]);
  });
});

describe('diagnose (recorded kubectl output of failing pods)', () => {
  it('names the image that was never loaded and what the node holds instead (ErrImageNeverPull)', () => {
    const finding = findingAbout('pod/gateway-6f9c7b8d5-x2x7q');
    expect(finding.kind).toBe('image-not-loaded');
    expect(finding.summary).toContain(
      'image localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f of container gateway was not loaded',
    );
    expect(finding.summary).toContain('ErrImageNeverPull');
    expect(finding.details[0]).toBe(
      'the nodes hold localhost/kubernaut/gateway:gateway-e2e-0ffee0c0ffee — the same image under another tag, so the deployment names a tag that was never loaded',
    );
  });

  it('says a localhost image in ImagePullBackOff was not loaded, with the pull error', () => {
    const finding = findingAbout('pod/authwebhook-84c6d9f7b-z9r4t');
    expect(finding.kind).toBe('image-not-loaded');
    expect(finding.summary).toContain('cannot pull a localhost image from any registry (ImagePullBackOff)');
    expect(finding.details[0]).toBe(
      'the nodes hold no image of localhost/kubernaut/authwebhook (7 other images)',
    );
    expect(finding.details.join('\n')).toContain('connect: connection refused');
  });

  it('shows a crash loop with the restart count, exit code and the last log lines', () => {
    const finding = findingAbout('pod/datastorage-7d4b9c6f8-k8j2p');
    expect(finding.kind).toBe('crash-loop');
    expect(finding.summary).toBe(
      'container datastorage keeps crashing (CrashLoopBackOff, 4 restarts, last exit code 1); its last log lines say why',
    );
    expect(finding.details).toHaveLength(4);
    expect(finding.details.at(-1)).toContain('password authentication failed for user');
  });

  it('gives a failing readiness probe its URL and the response', () => {
    const finding = findingAbout('pod/notification-5c8d7f9b4-qw5zt');
    expect(finding.kind).toBe('readiness-probe');
    expect(finding.summary).toBe(
      'container notification runs but its readiness probe GET http://10.244.0.14:8080/health/ready keeps failing (23 times): HTTP probe failed with statuscode: 503',
    );
  });

  it("quotes the scheduler's message for a pending pod", () => {
    const finding = findingAbout('pod/redis-6b8f5d7c9-pl4mn');
    expect(finding.kind).toBe('unschedulable');
    expect(finding.summary).toContain('0/1 nodes are available: 1 Insufficient memory.');
  });

  it('says nothing about a healthy pod or a Ready node', () => {
    const all = diagnose({ pods, events, nodes, previousLogs });
    expect(all.some((f) => f.subject.includes('postgresql'))).toBe(false);
    expect(all.some((f) => f.kind === 'node-not-ready')).toBe(false);
    expect(all).toHaveLength(5);
  });

  it('reports a node that is not Ready', () => {
    const sick = JSON.parse(fixture('nodes.json')) as {
      items: { status: { conditions: { type: string; status: string; reason: string }[] } }[];
    };
    const ready = sick.items[0]!.status.conditions.find((c) => c.type === 'Ready')!;
    Object.assign(ready, { status: 'False', reason: 'KubeletNotReady' });
    const [finding] = diagnose({ nodes: sick });
    expect(finding).toMatchObject({
      kind: 'node-not-ready',
      subject: 'node/gateway-e2e-control-plane',
    });
    expect(finding!.summary).toContain('Ready is False (KubeletNotReady)');
  });
});

describe("diagnose (the failed step's error)", () => {
  it('names the migration file, line and server message of a MigrationError, first', () => {
    const serverError = Object.assign(new Error('relation "resource_action_traces" does not exist'), {
      code: '42P01',
    });
    const migration = new MigrationError(
      '00002_add_trace_index.sql',
      2,
      1,
      7,
      'CREATE INDEX idx_traces_created ON resource_action_traces (created_at)',
      1,
      '42P01',
      serverError,
      true,
    );
    const findings = diagnose({
      pods,
      events,
      nodes,
      previousLogs,
      failedStep: {
        id: 'migrate:datastorage',
        kind: 'migrate',
        error: new StepError('migrate:datastorage', migration),
      },
    });
    expect(findings[0]).toMatchObject({ kind: 'migration', subject: 'migration 00002_add_trace_index.sql' });
    expect(findings[0]!.summary).toBe(
      'migration 00002_add_trace_index.sql failed at line 7 (statement 1): relation "resource_action_traces" does not exist [SQLSTATE 42P01]; the database stays at version 1',
    );
  });

  it("gives a readiness probe's URL and last response from the prober's NotReadyError", () => {
    const error = new StepError(
      'ready:gateway',
      new NotReadyError(
        'GET http://localhost:30080/health',
        'HTTP 503 "not ready" (after 12 attempts over 60000 ms)',
      ),
    );
    const [finding] = diagnose({ failedStep: { id: 'ready:gateway', kind: 'wait-ready', error } });
    expect(finding).toEqual({
      kind: 'readiness-probe',
      subject: 'http://localhost:30080/health',
      summary:
        'the readiness probe GET http://localhost:30080/health never succeeded; the last response was HTTP 503 "not ready" (after 12 attempts over 60000 ms)',
      details: [],
    });
  });

  it('reports a rollout that did not finish as not ready, naming the deployment', () => {
    const error = new NotReadyError(
      'rollout of deployment/gateway in namespace kubernaut-e2e',
      'Waiting for deployment "gateway" rollout to finish: 0 of 1 updated replicas are available...',
    );
    const [finding] = diagnose({ failedStep: { id: 'deploy:gateway', error } });
    expect(finding!.kind).toBe('not-ready');
    expect(finding!.summary).toContain(
      'rollout of deployment/gateway in namespace kubernaut-e2e was not ready',
    );
  });

  it("finds the file in a migration tool's output when there is no MigrationError", () => {
    const error = new CommandError({
      argv: ['goose', 'up'],
      exitCode: 1,
      timedOut: false,
      stderrTail: [
        '2025/05/20 09:14:21 goose run: ERROR 00003_notifications.sql: failed to run SQL migration: failed to execute SQL query "ALTER TABLE notifications ADD COLUMN…": ERROR: column "channel" of relation "notifications" already exists (SQLSTATE 42701)',
      ],
    });
    const [finding] = diagnose({ failedStep: { id: 'migrate:datastorage', kind: 'migrate', error } });
    expect(finding).toMatchObject({ kind: 'migration', subject: 'migration 00003_notifications.sql' });
    expect(finding!.summary).toContain('already exists (SQLSTATE 42701)');
  });

  it('adds nothing for an error it does not recognise', () => {
    const error = new CommandError({
      argv: ['podman', 'build'],
      exitCode: 125,
      timedOut: false,
      stderrTail: ['boom'],
    });
    expect(diagnose({ failedStep: { id: 'build:gateway', kind: 'build', error } })).toEqual([]);
  });
});
