import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { grammarSchema } from './grammar.js';

/*
 * The image reference grammar of the OCI distribution spec / `distribution/reference`:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path-component ["/" path-component]*      (≤ 255 characters)
 *   domain     := host [":" port]           host := domain-name | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*     separator := [._] | "__" | "-"+
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex         algorithm := [A-Za-z][A-Za-z0-9]* ([+._-] …)*
 *
 * The first component is the registry when it contains `.` or `:`, is `localhost`, or has upper case
 * (the same rule docker and podman use), so `localhost/kubernaut/gateway` has registry `localhost`.
 */
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Registered algorithms have a fixed, lower-case hex length (OCI image spec). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };
const MAX_NAME_LENGTH = 255;

/** An image reference split into its parts. No defaults are filled in (`postgres` has no registry). */
export interface ImageRef {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const REF_FORM =
  'use `[registry[:port]/]repository[:tag][@sha256:<64 hex>]` with a lower-case repository, e.g. `localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f`';
const NAME_FORM =
  'use a lower-case repository path without registry, tag or digest, e.g. `kubernaut/datastorage` (components of a-z and 0-9 joined by `.`, `_`, `__` or `-`, separated by `/`)';
const TAG_FORM = 'use 1–128 characters of A-Z, a-z, 0-9, `_`, `.` and `-`, not starting with `.` or `-`';

function looksLikeRegistry(component: string): boolean {
  return (
    component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component)
  );
}

function pathProblem(path: string, part: string): string | undefined {
  if (path === '') return `the ${part} is empty`;
  if (PATH.test(path)) return undefined;
  if (/[A-Z]/.test(path)) return `the ${part} contains upper-case letters`;
  if (/[^a-z0-9._/-]/.test(path)) {
    return `the ${part} contains characters other than a-z, 0-9, \`.\`, \`_\`, \`-\` and \`/\``;
  }
  for (const component of path.split('/')) {
    if (component === '') return `the ${part} has an empty path component (\`//\` or a trailing \`/\`)`;
    if (!/^[a-z0-9]/.test(component) || !/[a-z0-9]$/.test(component)) {
      return `path component \`${component}\` must start and end with a lower-case letter or digit`;
    }
  }
  return `the ${part} separates components with something other than \`.\`, \`_\`, \`__\` or \`-\``;
}

function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return 'the digest must look like `sha256:<64 hex digits>`';
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length !== undefined && (hex.length !== length || /[A-F]/.test(hex))) {
    return `a ${algorithm} digest has exactly ${length} lower-case hex digits`;
  }
  return undefined;
}

/** Splits a reference and explains the first problem, if any. */
function analyse(ref: string): { parts?: ImageRef; problem?: string } {
  if (ref === '') return { problem: 'it is empty' };
  if (/\s/.test(ref)) return { problem: 'it contains whitespace' };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) return { problem };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { problem: `the tag \`${tag}\` is invalid: ${TAG_FORM}` };
  }
  if (rest.length > MAX_NAME_LENGTH)
    return { problem: `the name is longer than ${MAX_NAME_LENGTH} characters` };
  let registry: string | undefined;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash > 0 && looksLikeRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    repository = rest.slice(slash + 1);
    if (!DOMAIN.test(registry)) return { problem: `the registry \`${registry}\` is not a valid host[:port]` };
  }
  const problem = pathProblem(repository, 'repository');
  if (problem) return { problem };
  return {
    parts: {
      ...(registry !== undefined ? { registry } : {}),
      repository,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

/** A full OCI image reference, e.g. `localhost/kubernaut/gateway:tag` or `postgres:16@sha256:…`. */
export const imageRefSchema: z.ZodType<string, string> = grammarSchema(
  'a valid image reference',
  REF_FORM,
  (value) => analyse(value).problem,
);

/** A repository path without registry, tag or digest, e.g. `kubernaut/datastorage`. */
export const imageNameSchema: z.ZodType<string, string> = grammarSchema(
  'a valid image name',
  NAME_FORM,
  (value) => {
    if (value.includes('@')) return 'it includes a digest; give the repository only';
    if (value.includes(':'))
      return 'it includes a tag or port; give the repository only and set the tag separately';
    if (/\s/.test(value)) return 'it contains whitespace';
    if (value.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
    return pathProblem(value, 'name');
  },
);

/** An image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
export const imageTagSchema: z.ZodType<string, string> = grammarSchema(
  'a valid image tag',
  TAG_FORM,
  (value) =>
    TAG.test(value)
      ? undefined
      : value.length > 128
        ? `it has ${value.length} characters`
        : 'it has a forbidden character or start',
);

/**
 * Splits an image reference into registry, repository, tag and digest. Throws `ConfigError` (naming the
 * problem and the allowed form) for anything the OCI grammar rejects.
 */
export function parseImageRef(ref: string, field = 'image'): ImageRef {
  const { parts, problem } = analyse(ref);
  if (!parts) {
    throw ConfigError.field(
      field,
      `${JSON.stringify(ref)} is not a valid image reference (${problem}): ${REF_FORM}`,
    );
  }
  return parts;
}

/** The inverse of `parseImageRef`. */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
