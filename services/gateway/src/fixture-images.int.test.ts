import { authWebhookService } from '@kubernaut-e2e/authwebhook';
import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { dataStorageService, FIXTURE_PROJECT_ROOT, resolveSetup } from '@kubernaut-e2e/datastorage';
import { buildImagesForKind, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { notificationService } from '@kubernaut-e2e/notification';
import { afterAll, expect, it } from 'vitest';
import { gatewayService } from './gateway.js';

// Every image the four services declare builds with real podman from the bundled fixture project, and a second
// round is served from the content-hash cache without building.
describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const engine = createPodmanEngine(createCommandRunner());
  const ledger = new RunLedger();
  afterAll(async () => {
    const report = await ledger.cleanup();
    expect(report.failed).toEqual([]);
  });

  it('builds each declared service image from the fixture project, then hits the cache', async () => {
    const configs = new Map<string, unknown>();
    for (const service of [gatewayService, dataStorageService, notificationService, authWebhookService]) {
      const { declaration } = await resolveSetup(service, { runtime: 'sim', env: {} });
      // A unique consumer keeps this test's tags apart from a developer's own cached images.
      for (const image of declaration.images) {
        configs.set(image.id, { ...image.build, consumer: `fixture-int-${process.pid}` });
      }
    }
    expect([...configs.keys()].sort()).toEqual(['authwebhook', 'datastorage', 'gateway', 'notification']);
    const options = { engine, projectRoot: FIXTURE_PROJECT_ROOT, ledger, env: {} };
    const first = await buildImagesForKind([...configs.values()], options);
    for (const built of first) {
      expect(built.ref).toMatch(/^localhost\/kubernaut\/[a-z]+:fixture-int-\d+-[0-9a-f]+$/);
      expect(await engine.inspect(built.ref)).toBeDefined();
    }
    const second = await buildImagesForKind([...configs.values()], options);
    expect(second.map((b) => b.cached)).toEqual([true, true, true, true]);
    expect(second.map((b) => b.id)).toEqual(first.map((b) => b.id));
  });
});
