import { expect, it } from 'vitest';
import { createCommandRunner } from '../runner/create-command-runner.js';
import { describeWithBinaries } from '../testing/describe-with-binaries.js';
import { detectTools, requireTools } from './detect-tools.js';

describeWithBinaries(
  ['podman', 'kubectl'],
  { podman: 'podman', kubectl: 'kubernetes-client' },
  ({ paths }) => {
    it('detects the real podman and kubectl on this machine', async () => {
      const report = await detectTools(createCommandRunner(), [
        'podman',
        'kubectl',
        'kubernaut-e2e-absent-tool',
      ]);
      const [podman, kubectl, absent] = report;
      expect(podman).toMatchObject({ name: 'podman', present: true, path: paths.podman });
      expect(podman?.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(kubectl).toMatchObject({ name: 'kubectl', present: true, path: paths.kubectl });
      expect(kubectl?.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(absent).toEqual({ name: 'kubernaut-e2e-absent-tool', present: false });
      expect(() => requireTools(report, ['kubernaut-e2e-absent-tool'])).toThrow(/was not found on PATH/);
    });
  },
);

describeWithBinaries(['docker'], { docker: 'docker.io' }, () => {
  it('reads the docker client version whether or not a daemon is running', async () => {
    const [docker] = await detectTools(createCommandRunner(), ['docker']);
    expect(docker?.present).toBe(true);
    expect(docker?.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
