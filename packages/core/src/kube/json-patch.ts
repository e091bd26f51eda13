/**
 * RFC 6902 JSON patch, as the API server applies `kubectl patch --type=json`: one implementation for the simulated
 * API server (`@kubernaut-e2e/sim`) and the test stand-ins that play it at the process boundary.
 */
import type { JsonPatchOperation } from '../ports/kube-client.js';

type Json = unknown;

function decode(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`JSON pointer "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(doc: Json, segments: readonly string[], path: string): Json {
  let node = doc;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (node !== null && typeof node === 'object') node = (node as Record<string, Json>)[segment];
    else node = undefined;
    if (node === undefined) throw new Error(`path "${path}" does not exist (missing "${segment}")`);
  }
  return node;
}

function get(doc: Json, path: string): Json {
  return container(doc, decode(path), path);
}

function setAt(doc: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
  const segments = decode(path);
  if (segments.length === 0) return value;
  const last = segments[segments.length - 1]!;
  const parent = container(doc, segments.slice(0, -1), path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (
      !Number.isInteger(index) ||
      index < 0 ||
      index > parent.length ||
      (mode === 'replace' && index >= parent.length)
    ) {
      throw new Error(`index "${last}" is out of range at "${path}"`);
    }
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (mode === 'replace' && !(last in (parent as object)))
      throw new Error(`replace target "${path}" does not exist`);
    (parent as Record<string, Json>)[last] = value;
  } else {
    throw new Error(`cannot set "${path}": its parent is not an object or array`);
  }
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const segments = decode(path);
  const last = segments[segments.length - 1];
  if (last === undefined) throw new Error('cannot remove the whole document');
  const parent = container(doc, segments.slice(0, -1), path);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length)
      throw new Error(`index "${last}" is out of range at "${path}"`);
    parent.splice(index, 1);
  } else if (parent !== null && typeof parent === 'object' && last in (parent as object)) {
    delete (parent as Record<string, Json>)[last];
  } else {
    throw new Error(`remove target "${path}" does not exist`);
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch to a copy of `document`; throws a plain `Error` naming the failing path. */
export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  let doc: Json = structuredClone(document);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        doc = setAt(doc, op.path, structuredClone(op.value), 'add');
        break;
      case 'replace':
        doc = setAt(doc, op.path, structuredClone(op.value), 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, op.path);
        break;
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
          throw new Error(`test failed at "${op.path}"`);
        break;
      case 'copy':
      case 'move': {
        if (op.from === undefined) throw new Error(`${op.op} at "${op.path}" needs "from"`);
        const value = structuredClone(get(doc, op.from));
        if (op.op === 'move') doc = removeAt(doc, op.from);
        doc = setAt(doc, op.path, value, 'add');
        break;
      }
    }
  }
  return doc as T;
}
