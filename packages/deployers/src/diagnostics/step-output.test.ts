import { EventStream } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from './format-diagnostics.js';
import { recordStepOutput } from './step-output.js';

describe('recordStepOutput', () => {
  it("keeps every step's stdout and stderr lines, in order, until stopped", () => {
    const events = new EventStream();
    const recorder = recordStepOutput(events);
    const log = events.logSink();
    log({ source: 'build:gateway', stream: 'stdout', text: 'STEP 1/9: FROM scratch', at: 1 });
    log({ source: 'build:gateway', stream: 'info', text: '[sim] podman build …', at: 1 });
    log({ source: 'load:gateway', stream: 'stdout', text: 'loading', at: 2 });
    log({ source: 'build:gateway', stream: 'stderr', text: 'Error: building at STEP 7', at: 3 });
    recorder.stop();
    log({ source: 'build:gateway', stream: 'stderr', text: 'after stop', at: 4 });
    expect(recorder.linesOf('build:gateway').map((l) => `${l.stream} ${l.text}`)).toEqual([
      'stdout STEP 1/9: FROM scratch',
      'stderr Error: building at STEP 7',
    ]);
    expect(recorder.linesOf('deploy:gateway')).toEqual([]);
  });

  it("counts a step's attempts and the batch it ran in as its own output", () => {
    const events = new EventStream();
    const recorder = recordStepOutput(events);
    const log = events.logSink();
    log({ source: 'cluster#1', stream: 'stderr', text: 'Creating cluster', at: 1 });
    log({ source: 'load:datastorage', stream: 'stderr', text: 'Copying blob', at: 2 });
    log({ source: 'load:datastorage + load:gateway', stream: 'stderr', text: 'kind load: hung', at: 3 });
    log({ source: 'load:gateway-extra', stream: 'stderr', text: 'not ours', at: 4 });
    expect(recorder.linesOf('cluster').map((l) => l.text)).toEqual(['Creating cluster']);
    expect(recorder.linesOf('load:gateway').map((l) => l.text)).toEqual(['kind load: hung']);
    expect(recorder.linesOf('load:datastorage').map((l) => l.text)).toEqual([
      'Copying blob',
      'kind load: hung',
    ]);
  });
});

describe('formatDiagnostics', () => {
  it('says where to start when no cause was recognised, and points at the gaps', () => {
    const lines = formatDiagnostics({
      dir: '.kubernaut-e2e/gateway/diagnostics/run-1',
      findings: [],
      files: [],
      gaps: [{ what: 'pods', reason: 'The connection to the server 127.0.0.1:6443 was refused' }],
    });
    expect(lines).toEqual([
      'Diagnostics: .kubernaut-e2e/gateway/diagnostics/run-1',
      '  No known cause was recognised; start with failed-step.log and the pods/ directory.',
      '  (1 item could not be collected: see gaps.txt)',
    ]);
  });

  it('shows the last lines of a crash log and clips long ones', () => {
    const long = `log: ${'x'.repeat(400)}`;
    const [, , ...details] = formatDiagnostics(
      {
        dir: 'd',
        findings: [
          {
            kind: 'crash-loop',
            subject: 'pod/p',
            summary: 's',
            details: ['log: 1', 'log: 2', 'log: 3', long],
          },
        ],
        files: [],
        gaps: [],
      },
      { maxDetails: 2 },
    );
    expect(details).toHaveLength(2);
    expect(details[0]).toBe('      log: 3');
    expect(details[1]!.length).toBeLessThan(260);
    expect(details[1]!.endsWith('…')).toBe(true);
  });
});
