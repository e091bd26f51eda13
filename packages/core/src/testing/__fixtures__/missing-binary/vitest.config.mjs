// Isolated config so the child vitest run by describe-with-binaries.test.ts sees only this suite.
export default { test: { include: ['suite.spec.ts'], root: import.meta.dirname } };
