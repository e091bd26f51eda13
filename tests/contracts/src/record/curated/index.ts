import type { Binary } from '../../facts/types.js';
import { aianalysis } from './aianalysis.js';
import { apifrontend } from './apifrontend.js';
import { authwebhook } from './authwebhook.js';
import { datastorage } from './datastorage.js';
import { effectivenessmonitor } from './effectivenessmonitor.js';
import { fleetmetadatacache } from './fleetmetadatacache.js';
import { gateway } from './gateway.js';
import { kubernautagent } from './kubernautagent.js';
import { notification } from './notification.js';
import { remediationorchestrator } from './remediationorchestrator.js';
import { signalprocessing } from './signalprocessing.js';
import type { CuratedBinary } from './types.js';
import { workflowexecution } from './workflowexecution.js';

/** The hand-written facts of each binary, checked against the source on every recording. */
export const CURATED: Record<Binary, CuratedBinary> = {
  gateway,
  datastorage,
  notification,
  authwebhook,
  remediationorchestrator,
  signalprocessing,
  workflowexecution,
  aianalysis,
  effectivenessmonitor,
  fleetmetadatacache,
  kubernautagent,
  apifrontend,
};
