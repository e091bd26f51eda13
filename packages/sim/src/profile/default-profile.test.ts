import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { createSimToolchain } from '../toolchain.js';
import { defaultTimingProfile } from './default-profile.js';
import { buildDurationMs, loadDurationMs, parseTimingProfile, readyDurationMs } from './timing-profile.js';

describe('defaultTimingProfile', () => {
  it('holds exactly the numbers of issue 5', () => {
    expect(defaultTimingProfile.build.byService).toEqual({
      gateway: 105_000,
      datastorage: 95_000,
      notification: 90_000,
      authwebhook: 85_000,
    });
    expect(buildDurationMs(defaultTimingProfile, 'something-new')).toBe(90_000);
    expect(defaultTimingProfile.build.cachedMs).toBe(1_000);
    expect(defaultTimingProfile.cluster.createMs).toBe(12_000);
    expect(defaultTimingProfile.cluster.reuseMs).toBe(1_000);
    expect(defaultTimingProfile.kube).toEqual({ crdsMs: 3_000, namespaceMs: 1_000, rbacTlsMs: 2_000 });
    expect(loadDurationMs(defaultTimingProfile, 1)).toBe(15_000);
    expect(loadDurationMs(defaultTimingProfile, 2)).toBe(20_000);
    expect(loadDurationMs(defaultTimingProfile, 0)).toBe(0);
    expect(readyDurationMs(defaultTimingProfile, 'postgresql')).toBe(10_000);
    expect(readyDurationMs(defaultTimingProfile, 'redis')).toBe(5_000);
    expect(readyDurationMs(defaultTimingProfile, 'datastorage')).toBe(8_000);
    expect(readyDurationMs(defaultTimingProfile, 'gateway')).toBe(8_000);
    expect(defaultTimingProfile.migrationsMs).toBe(4_000);
  });

  it('passes its own schema', () => {
    expect(parseTimingProfile(defaultTimingProfile)).toEqual(defaultTimingProfile);
  });

  it('a simulated build of gateway takes exactly 105 s of virtual time', async () => {
    const sim = createSimToolchain();
    const built = await sim.imageBuilder.build({
      serviceName: 'gateway',
      imageName: 'kubernaut/gateway',
      dockerfilePath: 'docker/gateway.Dockerfile',
    });
    expect(sim.clock.now()).toBe(105_000);
    expect(built.cached).toBe(false);
  });
});

describe('parseTimingProfile', () => {
  it('names the offending field of a bad profile', () => {
    const bad = { ...defaultTimingProfile, load: { ...defaultTimingProfile.load, perImageMs: -5 } };
    expect(() => parseTimingProfile(bad)).toThrow(ConfigError);
    expect(() => parseTimingProfile(bad)).toThrow(/load\.perImageMs/);
  });

  it('rejects a bad profile given to the toolchain before anything runs', () => {
    expect(() => createSimToolchain({ profile: { ...defaultTimingProfile, migrationsMs: 1.5 } })).toThrow(
      /migrationsMs/,
    );
  });

  it('a custom profile changes the simulated durations', async () => {
    const profile = {
      ...defaultTimingProfile,
      build: { ...defaultTimingProfile.build, byService: { gateway: 7_000 } },
    };
    const sim = createSimToolchain({ profile });
    await sim.imageBuilder.build({
      serviceName: 'gateway',
      imageName: 'kubernaut/gateway',
      dockerfilePath: 'd',
    });
    expect(sim.clock.now()).toBe(7_000);
  });
});
