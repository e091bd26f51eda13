import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { buildImagesForKind, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { isBuiltImage } from '@kubernaut-e2e/orchestrator';
import { FIXTURE_PROJECT_ROOT, resolveSetup } from '@kubernaut-e2e/setup';
import { afterAll, expect, it } from 'vitest';
// Imported as a module (not loaded from its file) so it runs on this workspace's sources, like the rest of the test.
import projectConfig from '../../../kubernaut-e2e.config.js';

// Every image the services of this repository's config declare (the four packages' and the eleven the config
// declares itself) builds with real podman from the bundled fixture project, laid out like kubernaut's
// (docker/*.Dockerfile, test/services/mock-llm/go.Dockerfile), and a second round is served from the content-hash
// cache without building.

describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const engine = createPodmanEngine(createCommandRunner());
  const ledger = new RunLedger();
  afterAll(async () => {
    const report = await ledger.cleanup();
    expect(report.failed).toEqual([]);
  });

  it('builds each declared service image from the fixture project, then hits the cache', async () => {
    const { services } = projectConfig;
    expect(services).toHaveLength(15);
    const configs = new Map<string, unknown>();
    for (const service of services) {
      const { declaration } = await resolveSetup(service, {
        runtime: 'sim',
        env: {},
        projectRoot: FIXTURE_PROJECT_ROOT,
      });
      // A unique consumer keeps this test's tags apart from a developer's own cached images.
      // The images the run builds (postgres, redis, the mock sink, Prometheus, Dex, … are pulled, not built). An id
      // several services build is built once: each names the same Dockerfile (the image names differ, FMC's
      // `fleetmetadatacache` in its own suites and `kubernaut/fleetmetadatacache` in the full pipeline's).
      for (const image of declaration.images.filter(isBuiltImage)) {
        if (!configs.has(image.id))
          configs.set(image.id, { ...image.build, consumer: `fixture-int-${process.pid}` });
      }
    }
    expect([...configs.keys()].sort()).toEqual([
      'aianalysis',
      'apifrontend',
      'authwebhook',
      'datastorage',
      'db-migrate',
      'effectivenessmonitor',
      'fleetmetadatacache',
      'gateway',
      'kubernautagent',
      'mock-llm',
      'notification',
      'remediationorchestrator',
      'signalprocessing',
      'workflowexecution',
    ]);
    const options = { engine, projectRoot: FIXTURE_PROJECT_ROOT, ledger, env: {} };
    const first = await buildImagesForKind([...configs.values()], options);
    for (const built of first) {
      // kubernaut's E2E image names: `gateway` and `authwebhook`, the others under `kubernaut/`.
      expect(built.ref).toMatch(/^localhost\/(kubernaut\/)?[a-z-]+:fixture-int-\d+-[0-9a-f]+$/);
      expect(await engine.inspect(built.ref)).toBeDefined();
    }
    expect(
      first
        .map((b) => b.ref)
        .filter((r) => !r.startsWith('localhost/kubernaut/'))
        .sort(),
    ).toEqual([
      expect.stringMatching(/^localhost\/authwebhook:/),
      expect.stringMatching(/^localhost\/db-migrate:/),
      expect.stringMatching(/^localhost\/fleetmetadatacache:/),
      expect.stringMatching(/^localhost\/gateway:/),
    ]);
    const second = await buildImagesForKind([...configs.values()], options);
    expect(second.map((b) => b.cached)).toEqual(first.map(() => true));
    expect(second.map((b) => b.id)).toEqual(first.map((b) => b.id));
  });
});
