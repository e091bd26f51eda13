import { z } from 'zod';

/** A path relative to the project root (the kubernaut checkout), e.g. `docker/gateway.Dockerfile`. */
export const relativePath = z
  .string()
  .min(1, 'a path relative to the project root')
  .refine((p) => !p.startsWith('/'), 'a path relative to the project root, not an absolute one')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'a path inside the project root (no "..")');

/** An absolute path inside a container. */
export const containerPath = z
  .string()
  .startsWith('/', 'an absolute path in the container, e.g. /etc/gateway');

export const nodePortSchema = z
  .number()
  .int()
  .min(30000, 'a node port is in 30000-32767')
  .max(32767, 'a node port is in 30000-32767');

/** A function in a declaration, typed by the caller; zod only checks it is one. */
export function fn<F extends (...args: never[]) => unknown>(what = 'a function') {
  return z.custom<F>((v) => typeof v === 'function', what);
}

/** A component id: names the graph node, and by default the Deployment and Service. */
export const componentIdSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a component id is lower-case letters, digits and "-", starting and ending with a letter or digit',
  )
  .max(63, 'a component id has at most 63 characters');
