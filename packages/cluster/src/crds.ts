import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ConfigError,
  type ConfigIssue,
  type KubeClient,
  type KubeObject,
  kubeNameSchema,
  type OperationContext,
  parseInput,
} from '@kubernaut-e2e/core';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const crdSchema = z.object({
  apiVersion: z.literal('apiextensions.k8s.io/v1', {
    message: 'apiVersion must be apiextensions.k8s.io/v1 (v1beta1 CRDs were removed in Kubernetes 1.22)',
  }),
  kind: z.literal('CustomResourceDefinition', { message: 'kind must be CustomResourceDefinition' }),
  metadata: z.object({
    // A CRD's name is `<plural>.<group>`: a DNS subdomain.
    name: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
        message: 'metadata.name must be <plural>.<group>, e.g. "remediationrequests.kubernaut.ai"',
      }),
  }),
});

/** A CRD given as an object, or the path of a YAML file holding one or more CRDs (`---` separated). */
export type CrdSource = KubeObject | string;

export interface InstallCrdsOptions extends OperationContext {
  /** How long each CRD may take to become `Established`; default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Reads CRD files (multi-document YAML, empty documents skipped) into objects, checking that every
 * document is a v1 CustomResourceDefinition. Missing files, YAML errors and other kinds are refused
 * together in one `ConfigError` naming `files[i]` and the document.
 */
export async function readCrdFiles(files: readonly string[]): Promise<KubeObject[]> {
  return collectCrds(files, 'files');
}

/**
 * Installs CustomResourceDefinitions: reads every file (multi-document YAML), checks that each
 * document is a v1 CRD, applies them all server-side through the `KubeClient`, then waits until each
 * one is `Established` (before that, creating its custom resources fails with "no matches for kind").
 * Missing files, YAML errors and non-CRD documents are refused as a `ConfigError` naming the source
 * and document, before anything is applied. Returns the CRD names in order.
 */
export async function installCRDs(
  kube: KubeClient,
  sources: readonly CrdSource[],
  options: InstallCrdsOptions = {},
): Promise<string[]> {
  const objects = await collectCrds(sources, 'sources');
  const { timeoutMs = 60_000, ...ctx } = options;
  await kube.apply(objects, ctx);
  const names = objects.map((o) => o.metadata.name);
  for (const name of names) {
    await kube.waitFor(`crd/${name}`, 'condition=Established', undefined, timeoutMs, ctx);
  }
  return names;
}

async function collectCrds(sources: readonly CrdSource[], field: string): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  const issues: ConfigIssue[] = [];
  const collect = (candidate: unknown, path: string): void => {
    const parsed = crdSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return;
    }
    objects.push(candidate as KubeObject);
  };
  for (const [i, source] of sources.entries()) {
    if (typeof source === 'string') {
      const loaded = await loadYamlObjects(source, `${field}[${i}]`);
      issues.push(...loaded.issues);
      for (const { object, path } of loaded.objects) collect(object, path);
    } else {
      collect(source, `${field}[${i}]`);
    }
  }
  if (objects.length === 0 && issues.length === 0) {
    issues.push({ path: field, message: 'no CustomResourceDefinition was given' });
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'CRD sources' });
  return objects;
}

async function loadYamlObjects(
  file: string,
  path: string,
): Promise<{ objects: { object: unknown; path: string }[]; issues: ConfigIssue[] }> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    return { objects: [], issues: [{ path, message: `CRD file ${absolute} ${reason}` }] };
  }
  const objects: { object: unknown; path: string }[] = [];
  const issues: ConfigIssue[] = [];
  for (const [d, doc] of parseAllDocuments(text).entries()) {
    const docPath = `${path}(${absolute})[${d}]`;
    if (doc.errors.length > 0) {
      issues.push({ path: docPath, message: `not valid YAML: ${doc.errors[0]!.message}` });
      continue;
    }
    const value: unknown = doc.toJS();
    // `---` at the end of a file (or between two separators) yields an empty document: not an object.
    if (value === null || value === undefined) continue;
    objects.push({ object: value, path: docPath });
  }
  return { objects, issues };
}

// Label keys: optional DNS-subdomain prefix, then a name of ≤ 63 characters; values ≤ 63 or empty.
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelsSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    const prefixOk =
      prefix === undefined ||
      (prefix.length <= 253 &&
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
    if (!prefixOk || !labelName.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `label key "${key}" must be [prefix/]name: name ≤ 63 alphanumerics, "-", "_", "." (alphanumeric at both ends); prefix a DNS subdomain`,
      });
    }
    if (value !== '' && !labelName.test(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `label value "${value}" must be empty or ≤ 63 alphanumerics, "-", "_", "." (alphanumeric at both ends)`,
      });
    }
  }
});

const namespaceInputSchema = z.object({ name: kubeNameSchema, labels: labelsSchema.default({}) });

/**
 * Creates (or updates, server-side apply is idempotent) a namespace with labels. The name must be a
 * DNS-1123 label and the labels valid Kubernetes labels; both are checked before anything is applied.
 */
export async function createNamespace(
  kube: KubeClient,
  name: string,
  labels: Readonly<Record<string, string>> = {},
  ctx?: OperationContext,
): Promise<KubeObject> {
  const input = parseInput(namespaceInputSchema, { name, labels }, 'namespace');
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: input.name, ...(Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}) },
  };
  await kube.apply([namespace], ctx);
  return namespace;
}
