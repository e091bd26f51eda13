import { buildImage } from './build.js';
import { createCluster, teardown } from './cluster.js';
import { applyObjects, createNamespace, deployComponent, installCrds, waitReady } from './kube-steps.js';
import { loadImages } from './load.js';
import { migrate } from './migrate.js';
import type { StepHandlers } from './types.js';

/** The handlers `runPlan` uses unless told otherwise; each uses only the Toolchain ports. */
export const defaultHandlers: StepHandlers = {
  build: buildImage,
  'create-cluster': createCluster,
  'install-crds': installCrds,
  namespace: createNamespace,
  load: loadImages,
  deploy: deployComponent,
  'wait-ready': waitReady,
  migrate,
  apply: applyObjects,
  teardown,
};

export { isObjectStep, type ObjectStep, objectsOfStep } from './kube-steps.js';
export type { HandlerContext, StepHandlers } from './types.js';
