import { hostPortSchema, kubeNameSchema } from '@kubernaut-e2e/core';
import { z } from 'zod';
import type { ProbeSpec } from './kube-types.js';

/**
 * Kubernetes' default `--service-node-port-range`. kind uses the default, and the cluster package maps
 * host ports onto node ports in this range with `extraPortMappings`.
 */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export const nodePortSchema = z
  .int()
  .min(NODE_PORT_MIN, `a nodePort must be in the cluster's NodePort range ${NODE_PORT_MIN}–${NODE_PORT_MAX}`)
  .max(NODE_PORT_MAX, `a nodePort must be in the cluster's NodePort range ${NODE_PORT_MIN}–${NODE_PORT_MAX}`);

/** A Kubernetes port name (IANA_SVC_NAME): ≤ 15 lower-case alphanumerics or '-', with a letter. */
export const portNameSchema = z
  .string()
  .regex(
    /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/,
    'a port name is 1–15 lower-case letters, digits or "-", contains a letter, and starts and ends alphanumeric',
  )
  .refine((s) => !s.includes('--'), 'a port name must not contain "--"');

/** Environment variable names as Kubernetes accepts them (C identifiers are the portable subset). */
export const envNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'an environment variable name is letters, digits and "_", not starting with a digit',
  );

export const envSchema = z.record(envNameSchema, z.string()).default({});

/** Probe timings, in seconds as Kubernetes takes them. */
const probeTimingShape = {
  initialDelaySeconds: z.int().min(0).optional(),
  periodSeconds: z.int().min(1).optional(),
  timeoutSeconds: z.int().min(1).optional(),
  failureThreshold: z.int().min(1).optional(),
};

/** A container probe in a compact form: `http` (GET path on a port), `exec` (command) or `tcp`. */
export const probeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('http'),
    path: z.string().startsWith('/', 'an HTTP probe path starts with "/"'),
    port: z.union([hostPortSchema, portNameSchema]),
    /** `HTTPS` for a port that serves TLS (the kubelet does not verify the certificate); `HTTP` when omitted. */
    scheme: z.enum(['HTTP', 'HTTPS']).optional(),
    ...probeTimingShape,
  }),
  z.object({
    type: z.literal('exec'),
    command: z.array(z.string().min(1)).min(1, 'an exec probe needs a command'),
    ...probeTimingShape,
  }),
  z.object({ type: z.literal('tcp'), port: z.union([hostPortSchema, portNameSchema]), ...probeTimingShape }),
]);
export type ProbeOptions = z.input<typeof probeSchema>;

/** Translates the compact probe form into the Kubernetes `Probe` object. */
export function toProbeSpec(probe: z.output<typeof probeSchema>): ProbeSpec {
  const timings = {
    ...(probe.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: probe.initialDelaySeconds }),
    ...(probe.periodSeconds === undefined ? {} : { periodSeconds: probe.periodSeconds }),
    ...(probe.timeoutSeconds === undefined ? {} : { timeoutSeconds: probe.timeoutSeconds }),
    ...(probe.failureThreshold === undefined ? {} : { failureThreshold: probe.failureThreshold }),
  };
  switch (probe.type) {
    case 'http':
      return {
        httpGet: { path: probe.path, port: probe.port, ...(probe.scheme ? { scheme: probe.scheme } : {}) },
        ...timings,
      };
    case 'exec':
      return { exec: { command: probe.command }, ...timings };
    case 'tcp':
      return { tcpSocket: { port: probe.port }, ...timings };
  }
}

/** CPU in cores or millicores (`250m`, `1`), memory with a binary or decimal suffix (`256Mi`, `1G`). */
const cpuSchema = z
  .string()
  .regex(/^\d+(\.\d+)?m?$/, 'CPU is a number of cores or millicores, e.g. "250m" or "1"');
const memorySchema = z
  .string()
  .regex(/^\d+(Ei|Pi|Ti|Gi|Mi|Ki|E|P|T|G|M|k)?$/, 'memory is a number with an optional unit, e.g. "256Mi"');

export const resourcesSchema = z.object({
  requests: z.object({ cpu: cpuSchema.optional(), memory: memorySchema.optional() }).optional(),
  limits: z.object({ cpu: cpuSchema.optional(), memory: memorySchema.optional() }).optional(),
});

export const namespaceSchema = kubeNameSchema;
