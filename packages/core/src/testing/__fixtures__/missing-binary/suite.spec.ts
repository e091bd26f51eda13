// Run by describe-with-binaries.test.ts in a child vitest (never collected by the workspace config,
// which only includes *.test.ts).
import { describeWithBinaries } from '../../describe-with-binaries.js';

describeWithBinaries(
  ['kubernaut-e2e-absent-tool'],
  { 'kubernaut-e2e-absent-tool': 'absent-tool-pkg' },
  () => {},
);
