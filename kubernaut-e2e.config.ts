// This repository's project config: the services `pnpm e2e` knows, built from the bundled fixture project (a
// miniature of the kubernaut repository, laid out like it). `--project-root ~/src/kubernaut` runs the same
// declarations on a real checkout; a config inside the checkout would set `projectRoot: '.'`.
//
// The four service packages are imported; the other eleven are declared in this project only, under `config/` (one
// file each, faithful to what kubernaut's Go suites deploy, with what they leave out said there): every kubernaut
// suite but the mock LLM's, which runs a container and no cluster (docs/guide/kubernaut-suites.md says what each
// declaration cannot express).
import { authWebhookService } from '@kubernaut-e2e/authwebhook';
import { dataStorageService } from '@kubernaut-e2e/datastorage';
import { gatewayService } from '@kubernaut-e2e/gateway';
import { notificationService } from '@kubernaut-e2e/notification';
import { defineConfig } from '@kubernaut-e2e/setup';
import { aiAnalysisService } from './config/aianalysis.js';
import { apiFrontendService } from './config/apifrontend.js';
import { effectivenessMonitorService } from './config/effectivenessmonitor.js';
import { fleetMetadataCacheEaigwService, fleetMetadataCacheService } from './config/fleetmetadatacache.js';
import { fleetService, fullPipelineService } from './config/fullpipeline.js';
import { kubernautAgentService } from './config/kubernautagent.js';
import { remediationOrchestratorService } from './config/remediationorchestrator.js';
import { signalProcessingService } from './config/signalprocessing.js';
import { workflowExecutionService } from './config/workflowexecution.js';

export default defineConfig({
  projectRoot: 'services/fixture-project',
  services: [
    gatewayService,
    dataStorageService,
    notificationService,
    authWebhookService,
    remediationOrchestratorService,
    signalProcessingService,
    workflowExecutionService,
    aiAnalysisService,
    effectivenessMonitorService,
    kubernautAgentService,
    apiFrontendService,
    fleetMetadataCacheService,
    fleetMetadataCacheEaigwService,
    fullPipelineService,
    fleetService,
  ],
});
