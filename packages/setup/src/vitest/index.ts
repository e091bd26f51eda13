/**
 * @kubernaut-e2e/setup/vitest — the vitest `globalSetup` helpers. Only this subpath needs vitest (for the typed
 * `inject('kubernautE2E')`).
 */
export {
  createGlobalSetup,
  type ProvidedInfrastructure,
  type ProvidingProject,
  projectGlobalSetup,
} from './global-setup.js';
