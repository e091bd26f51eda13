/**
 * @kubernaut-e2e/core/internal — what only the sibling packages of kubernaut-e2e use. Not a public API: it may change
 * in any release. Users import from `@kubernaut-e2e/core` (and its `errors`, `testing` subpaths).
 */
export { type NodeImage, parseCrictlImages } from './tools/crictl-images.js';
