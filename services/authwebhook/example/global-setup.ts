// Listed in vitest's `test.globalSetup`: sets the authwebhook infrastructure up once for the whole run and tears it
// down after the last test file. KUBERNAUT_E2E_RUNTIME=podman (with kind and kubectl) makes it real.
import { authWebhookGlobalSetup } from '@kubernaut-e2e/authwebhook/vitest';

const runtime = (process.env.KUBERNAUT_E2E_RUNTIME ?? 'sim') as 'sim' | 'podman' | 'docker' | 'auto';
export default authWebhookGlobalSetup({ runtime });
