import { fileURLToPath } from 'node:url';

/**
 * This repository's project config (the services `pnpm e2e` knows, built from the fixture project): for tests that
 * run the CLI in an empty directory, where no config is found and no service package is installed.
 */
export const WORKSPACE_CONFIG = fileURLToPath(
  new URL('../../../../kubernaut-e2e.config.ts', import.meta.url),
);
