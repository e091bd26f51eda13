/**
 * `@kubernaut-e2e/core/yaml`: the yaml library that core's bundle carries. The other packages' bundles import yaml
 * from here (their builds rewrite `import … from 'yaml'` to this subpath), so a process compiles it once. Named
 * exports only (yaml is CommonJS, so `export *` would export nothing): what the packages use; add a name here
 * before using it elsewhere. Not for users: import `yaml`.
 */
export { Document, isNode, LineCounter, parse, parseAllDocuments, stringify } from 'yaml';
