import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors/config-error.js';

/** Overrides the tool's state directory (where run ledgers are kept for crash recovery). */
export const ENV_STATE_DIR = 'KUBERNAUT_E2E_STATE_DIR';

/**
 * The tool's state directory: `$KUBERNAUT_E2E_STATE_DIR`, else `$XDG_STATE_HOME/kubernaut-e2e`, else
 * `~/.local/state/kubernaut-e2e` (the XDG default). State, not cache: a run ledger left by a killed run is
 * the only record of what that run created, so it must survive a cache wipe.
 */
export function resolveStateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env[ENV_STATE_DIR];
  if (explicit !== undefined && explicit !== '') {
    if (!isAbsolute(explicit)) {
      throw ConfigError.field(
        ENV_STATE_DIR,
        `must be an absolute path; got ${JSON.stringify(explicit)}`,
        'environment',
      );
    }
    return resolve(explicit);
  }
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'kubernaut-e2e');
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.local', 'state', 'kubernaut-e2e');
}

/** Where the ledgers of runs live: `<stateDir>/runs`, one `<run-id>.json` per run. */
export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}
