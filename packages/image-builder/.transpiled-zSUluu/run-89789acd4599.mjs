
        import { createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
        import { buildImageForKind, createPodmanEngine } from './index.js';
        const real = createCommandRunner();
        const env = { BUILDAH_ISOLATION: 'chroot' };
        const runner = {
          run: (f, a, o = {}) => real.run(f, a, { ...o, env: { ...env, ...o.env } }),
          start: (f, a, o = {}) => real.start(f, a, { ...o, env: { ...env, ...o.env } }),
        };
        const ledger = new RunLedger({ persist: { service: 'gateway', stateDir: "/tmp/kubernaut-build-orphan-int-0oAhkv/state" } });
        console.log('run ' + ledger.runId);
        await buildImageForKind(
          { serviceName: 'app', imageName: 'kubernaut-e2e-test/orphan-app', dockerfilePath: 'app/Dockerfile', buildContextPath: 'app' },
          {
            engine: createPodmanEngine(runner, { ledger }),
            projectRoot: "/tmp/kubernaut-build-orphan-int-0oAhkv",
            env: {},
            ledger,
            log: (line) => { if (line.text === 'started-89789acd4599') console.log('mid-build'); },
          },
        );
        