// Listed in vitest's `test.globalSetup`: sets the datastorage infrastructure up once for the whole run and tears it
// down after the last test file. KUBERNAUT_E2E_RUNTIME=podman (with kind and kubectl) makes it real.
import { dataStorageGlobalSetup } from '@kubernaut-e2e/datastorage/vitest';

const runtime = (process.env.KUBERNAUT_E2E_RUNTIME ?? 'sim') as 'sim' | 'podman' | 'docker' | 'auto';
export default dataStorageGlobalSetup({ runtime });
