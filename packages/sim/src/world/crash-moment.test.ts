import { describe, expect, it } from 'vitest';
import { crashMoment } from './pod-view.js';

describe('crashMoment: the kubelet’s crash-loop back-off', () => {
  it('restarts after 10 s, 20 s, 40 s… of back-off, each instance running 1 s', () => {
    const at = (s: number) => crashMoment(s * 1000);
    expect(at(0)).toMatchObject({ restartCount: 0, running: true });
    expect(at(1)).toMatchObject({ restartCount: 0, running: false, backoffMs: 10_000 });
    expect(at(11)).toMatchObject({ restartCount: 1, running: true, startedAt: 11_000 });
    expect(at(12)).toMatchObject({ restartCount: 1, running: false, backoffMs: 20_000 });
    expect(at(32)).toMatchObject({ restartCount: 2, running: true, startedAt: 32_000 });
    expect(at(33)).toMatchObject({ restartCount: 2, running: false, backoffMs: 40_000 });
    expect(at(73)).toMatchObject({ restartCount: 3, running: true });
  });

  it('caps the back-off at 5 minutes', () => {
    const late = crashMoment(3_600_000);
    expect(late.backoffMs).toBe(300_000);
    expect(late.restartCount).toBeLessThan(20);
  });
});
