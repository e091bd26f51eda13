// vitest.config.ts of a suite that uses the gateway's infrastructure: set up once before the first test file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['example/*.e2e.test.ts'],
    globalSetup: ['example/global-setup.ts'],
  },
});
