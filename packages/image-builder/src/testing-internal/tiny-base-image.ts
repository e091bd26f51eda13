// Moved to the test harness, which the fault matrix shares; kept here for this package's tests.
export { tinyRootfsTar } from '@kubernaut-e2e/test-harness';
