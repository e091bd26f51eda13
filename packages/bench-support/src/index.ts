export { median } from './median.js';
export { treeBytes } from './tree-bytes.js';
