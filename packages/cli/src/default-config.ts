import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LoadedConfig, type Service, validateProjectConfig } from '@kubernaut-e2e/setup';

/**
 * The kubernaut service packages, the service each exports and the kubernaut suite it declares (`test/e2e/<suite>`):
 * what a config written for kubernaut imports.
 */
export const DEFAULT_SERVICE_PACKAGES = [
  { name: '@kubernaut-e2e/gateway', service: 'gatewayService', suite: 'gateway' },
  { name: '@kubernaut-e2e/datastorage', service: 'dataStorageService', suite: 'datastorage' },
  { name: '@kubernaut-e2e/notification', service: 'notificationService', suite: 'notification' },
  { name: '@kubernaut-e2e/authwebhook', service: 'authWebhookService', suite: 'authwebhook' },
] as const;

/**
 * The default config, for a project without a config file: the services of the kubernaut service packages installed
 * in the project (resolved from `cwd` as its config file's imports would be), or undefined when none is. The CLI
 * itself depends on no service package.
 */
export async function loadDefaultConfig(cwd: string): Promise<LoadedConfig | undefined> {
  const resolveFromProject = createRequire(join(cwd, 'kubernaut-e2e.config.js')).resolve;
  const installed = DEFAULT_SERVICE_PACKAGES.flatMap((p) => {
    try {
      return [{ ...p, url: pathToFileURL(resolveFromProject(p.name)).href }];
    } catch {
      return [];
    }
  });
  if (installed.length === 0) return undefined;
  const services = await Promise.all(
    installed.map(async (p) => ((await import(p.url)) as Record<string, Service>)[p.service]),
  );
  return validateProjectConfig(
    { services },
    { subject: `default config (the service packages installed in ${cwd})`, dir: cwd },
  );
}
