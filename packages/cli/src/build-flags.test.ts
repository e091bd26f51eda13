import { ConfigError } from '@kubernaut-e2e/core';
import type { LoadedConfig } from '@kubernaut-e2e/setup';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import { setupOptionsFor } from './setup-options.js';

const config = (build?: LoadedConfig['defaults']['build']): LoadedConfig => ({
  services: [],
  defaults: build ? { build } : {},
  overrides: {},
});

describe('--no-cache and --isolation', () => {
  it('become the setup’s build settings, field by field over the config’s defaults.build', () => {
    const args = parseCliArgs(['up', 'gateway', '--no-cache'], {});
    expect(args.build).toEqual({ noCache: true });
    expect(setupOptionsFor(args, config({ isolation: 'chroot' }), 'gateway', {}).build).toEqual({
      isolation: 'chroot',
      noCache: true,
    });
    const isolated = parseCliArgs(['up', 'gateway', '--isolation', 'oci'], {});
    expect(setupOptionsFor(isolated, config({ isolation: 'chroot' }), 'gateway', {}).build).toEqual({
      isolation: 'oci',
    });
  });

  it('leave the config’s build settings alone when not given', () => {
    const args = parseCliArgs(['up', 'gateway'], {});
    expect(args.build).toBeUndefined();
    expect(setupOptionsFor(args, config({ noCache: true }), 'gateway', {}).build).toEqual({ noCache: true });
    expect(setupOptionsFor(args, config(), 'gateway', {}).build).toBeUndefined();
  });

  it('refuses an unknown isolation as bad input, naming the flag and the allowed values', () => {
    const error = (() => {
      try {
        return parseCliArgs(['up', 'gateway', '--isolation', 'vm'], {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: '--isolation', message: 'unknown value "vm"; allowed: chroot, oci, rootless' },
    ]);
  });
});
