import { z } from 'zod';

/**
 * The machine-readable result of `up` and `down` (`--json`, `--output env`): a versioned contract a test runner in any
 * language reads — a Go suite's `SynchronizedBeforeSuite`, a Makefile, a shell. The version changes only when a field
 * changes meaning or goes away; new fields may appear within a version. docs/reference/run-result.md holds the JSON
 * Schema below, and a test keeps the two identical.
 */
export const RESULT_SCHEMA_VERSION = 1;

const removal = z.object({
  kind: z.enum(['cluster', 'kubeconfig', 'ca-file', 'namespace', 'image', 'file']),
  name: z.string(),
  remove: z.string().describe('the command that removes it'),
});

const upSucceeded = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  command: z.literal('up'),
  ok: z.literal(true),
  service: z.string(),
  runId: z.string(),
  runtime: z.enum(['podman', 'docker', 'sim', 'custom']),
  pattern: z.enum(['dag', 'hybrid', 'standard']),
  cluster: z.object({
    name: z.string(),
    kubeconfig: z
      .string()
      .describe("the kubeconfig the run wrote (the suite's own path when its declaration names one)"),
    context: z.string().optional().describe('on an existing cluster: its context'),
  }),
  namespace: z.string(),
  caFile: z
    .string()
    .optional()
    .describe("the run's CA, beside the kubeconfig: trust it to call the https:// endpoints"),
  endpoints: z.record(z.string(), z.string()).describe('URLs for tests, by name'),
  images: z.record(z.string(), z.string()).describe('image id → the reference the pods run'),
  outputDir: z.string().describe("where the run's trace, timeline, diagnostics and coverage go"),
  traceFile: z.string().optional(),
  timelineFile: z.string().optional(),
  makespanMs: z.number(),
  predicted: z
    .boolean()
    .describe('true on the simulated toolchain: the times are a model’s, and no cluster exists'),
});

const upFailed = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  command: z.literal('up'),
  ok: z.literal(false),
  service: z.string(),
  runId: z.string().optional().describe('absent when the run failed before it started (bad input: exit 2)'),
  interrupted: z.boolean().describe('SIGINT/SIGTERM: exit 130'),
  error: z.object({
    code: z.string().describe("the error's stable code, e.g. KE_STEP, KE_CONFIG, KE_CANCELLED"),
    message: z.string(),
    step: z.string().optional().describe('the step that failed, e.g. ready:gateway'),
  }),
  causes: z
    .array(
      z.object({
        subject: z.string(),
        summary: z.string(),
        evidence: z
          .array(z.string())
          .optional()
          .describe("what the diagnostics saw: the container's last log lines, the probe's answer"),
      }),
    )
    .describe('what the diagnostics recognised, most relevant first'),
  diagnosticsDir: z.string().optional(),
  leftRunning: z
    .array(removal)
    .describe(
      'what the run left running (a cluster kept by --keep on-failure), with the command that removes each',
    ),
});

const down = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  command: z.literal('down'),
  ok: z.boolean(),
  service: z.string(),
  cluster: z.object({ name: z.string(), kubeconfig: z.string() }),
  removed: z.array(removal.omit({ remove: true })),
});

export const runResultSchema = z.discriminatedUnion('command', [
  z.discriminatedUnion('ok', [upSucceeded, upFailed]),
  down,
]);
export type UpFailed = z.output<typeof upFailed>;
export type RunResult = z.output<typeof runResultSchema>;

/** The JSON Schema of the result, as the docs show it. */
export function runResultJsonSchema(): unknown {
  return z.toJSONSchema(runResultSchema, { io: 'output' });
}

/** `gatewayUrl` → `GATEWAY_URL`. */
function screamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** A value as a POSIX shell and a Makefile (`include`) both read it: single-quoted unless it needs no quotes. */
function shellValue(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `--output env`: the result as `KUBERNAUT_E2E_…=value` lines, for `eval "$(kubernaut-e2e up gateway --output env)"`
 * or a Makefile's `include`. Endpoints are `KUBERNAUT_E2E_ENDPOINT_<NAME>`, images `KUBERNAUT_E2E_IMAGE_<ID>`.
 */
export function resultAsEnv(result: RunResult): string {
  const lines: [string, string | number | boolean | undefined][] = [
    ['SCHEMA_VERSION', result.schemaVersion],
    ['COMMAND', result.command],
    ['OK', result.ok],
    ['SERVICE', result.service],
  ];
  if (result.command === 'down') {
    lines.push(['CLUSTER', result.cluster.name], ['KUBECONFIG', result.cluster.kubeconfig]);
    for (const [i, r] of result.removed.entries()) lines.push([`REMOVED_${i}`, `${r.kind} ${r.name}`]);
  } else if (result.ok) {
    lines.push(
      ['RUN_ID', result.runId],
      ['RUNTIME', result.runtime],
      ['CLUSTER', result.cluster.name],
      ['KUBECONFIG', result.cluster.kubeconfig],
      ['CONTEXT', result.cluster.context],
      ['NAMESPACE', result.namespace],
      ['CA_FILE', result.caFile],
      ['OUTPUT_DIR', result.outputDir],
      ...Object.entries(result.endpoints).map(
        ([k, v]) => [`ENDPOINT_${screamingSnake(k)}`, v] as [string, string],
      ),
      ...Object.entries(result.images).map(([k, v]) => [`IMAGE_${screamingSnake(k)}`, v] as [string, string]),
    );
  } else {
    lines.push(
      ['RUN_ID', result.runId],
      ['INTERRUPTED', result.interrupted],
      ['ERROR_CODE', result.error.code],
      ['ERROR_STEP', result.error.step],
      ['ERROR_MESSAGE', result.error.message.split('\n')[0]],
      ['DIAGNOSTICS_DIR', result.diagnosticsDir],
      ...result.leftRunning.map((r, i) => [`LEFT_RUNNING_${i}`, `${r.kind} ${r.name}`] as [string, string]),
    );
  }
  return lines
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `KUBERNAUT_E2E_${k}=${shellValue(String(v))}\n`)
    .join('');
}
