import { describe, expect, it } from 'vitest';
import { loadFacts } from '../facts/load.js';
import { checkPort, checkProbePort, effectivePort } from './ports.js';
import { goDurationNanos, portOf } from './values.js';

const gateway = loadFacts('gateway');
const datastorage = loadFacts('datastorage');
const authwebhook = loadFacts('authwebhook');
const signalprocessing = loadFacts('signalprocessing');

describe('effectivePort', () => {
  it('is the recorded default when the config does not set the key, and the config value when it does', () => {
    expect(effectivePort(gateway, 'health')).toMatchObject({ port: 8081, source: 'default' });
    expect(effectivePort(gateway, 'health', { server: { healthAddr: '0.0.0.0:18081' } })).toEqual({
      port: 18081,
      source: 'config',
      from: 'server.healthAddr',
    });
    expect(effectivePort(datastorage, 'metrics', { server: { metricsPort: 19090 } })?.port).toBe(19090);
    expect(effectivePort(signalprocessing, 'metrics', { controller: { metricsAddr: '0' } })?.port).toBeNull();
  });

  it('is null for a port the binary does not have by default, and undefined for one it never has', () => {
    expect(effectivePort(datastorage, 'api')?.port).toBeNull();
    expect(effectivePort(authwebhook, 'metrics')?.port).toBeNull();
    expect(effectivePort(signalprocessing, 'api')).toBeUndefined();
  });
});

describe('checkPort', () => {
  it('accepts the port the binary serves its probes on', () => {
    expect(checkProbePort(gateway, 8081)).toEqual([]);
    expect(checkProbePort(gateway, 18081, { server: { healthAddr: ':18081' } })).toEqual([]);
  });

  it('names what is served where, and where that port comes from', () => {
    expect(checkProbePort(gateway, 8080)).toEqual([
      {
        path: 'server.healthAddr',
        message: expect.stringMatching(
          /^gateway serves \/healthz, \/readyz .* on 8081 \(its default, pkg\/gateway\/config\/config.go:\d+: HealthAddr: ":8081",\), not on 8080$/,
        ),
      },
    ]);
    expect(checkPort(datastorage, 'health', 8081, { server: { healthPort: 9000 } })[0]?.message).toMatch(
      /on 9000 \(set by server.healthPort\), not on 8081$/,
    );
  });

  it('refuses a port the binary does not serve', () => {
    expect(checkPort(authwebhook, 'metrics', 9090)[0]?.message).toMatch(
      /^authwebhook serves no metrics port/,
    );
    expect(checkPort(signalprocessing, 'api', 8080)).toEqual([
      { path: '(api port)', message: 'signalprocessing has no api port (none is recorded in its facts)' },
    ]);
    expect(checkProbePort(gateway, 8081, { server: { healthAddr: 'localhost' } })[0]?.message).toBe(
      'server.healthAddr: "localhost" is not a listen address with a port',
    );
  });
});

describe('values', () => {
  it('parses Go durations as time.ParseDuration does', () => {
    expect(goDurationNanos('1h30m')).toBe(5400e9);
    expect(goDurationNanos('1.5s')).toBe(1.5e9);
    expect(goDurationNanos('-300ms')).toBe(-300e6);
    expect(goDurationNanos('0')).toBe(0);
    expect(goDurationNanos('10')).toBeUndefined();
    expect(goDurationNanos('5 m')).toBeUndefined();
    expect(goDurationNanos('')).toBeUndefined();
  });

  it('reads the port of a listen address', () => {
    expect(portOf(':8081')).toBe(8081);
    expect(portOf('[::]:8081')).toBe(8081);
    expect(portOf('8081')).toBe(8081);
    expect(portOf('localhost')).toBeUndefined();
  });
});
