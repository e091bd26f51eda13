/** A failure of `kind create cluster` that is known to go away when the same command is run again. */
export interface TransientSignature {
  readonly id: string;
  readonly pattern: RegExp;
  /** Where the failure was reported, so the list can be reviewed (and pruned) against its evidence. */
  readonly evidence: string;
}

/**
 * Output signatures after which `kind create cluster` is retried. Anything else fails at once: a bad
 * config, a taken port or a missing image fails identically every time, and retrying only hides it.
 *
 * - `crun: unknown version specified` / `OCI runtime error`: podman and an older crun disagree on the
 *   OCI spec version while starting a node container. jordigilh/kubernaut#1769 saw it hit 2 of ~30 jobs
 *   and recur on a same-job retry before a third attempt passed; podman-container-tools/podman#27272 and
 *   containers/crun#1880 trace it to crun < 1.14.3. On an affected host it can be deterministic, which
 *   is why attempts are capped (3) and every attempt's output is kept in the final error.
 * - `failed to get kubernetes version from node`: `<engine> exec … cat /kind/version` ran before the
 *   node container was ready (kubernetes-sigs/kind#1288, "kind/flake"; projectcalico/node#996 added
 *   retries for exactly this message).
 * - `could not find a log line that matches "Reached target .*Multi-User System`: the node's systemd
 *   did not report in time, typically when several clusters boot at once on one host
 *   (kubernetes-sigs/kind#2460, #2972, #3758).
 */
export const KIND_TRANSIENT_SIGNATURES: readonly TransientSignature[] = [
  {
    id: 'crun-unknown-version',
    pattern: /crun: unknown version specified/,
    evidence: 'jordigilh/kubernaut#1769, podman-container-tools/podman#27272, containers/crun#1880',
  },
  {
    id: 'oci-runtime-error',
    pattern: /OCI runtime error/,
    evidence: 'jordigilh/kubernaut#1769, containers/crun#1880',
  },
  {
    id: 'node-version-unreadable',
    pattern: /failed to get kubernetes version from node/,
    evidence: 'kubernetes-sigs/kind#1288, projectcalico/node#996',
  },
  {
    id: 'systemd-not-ready',
    pattern: /could not find a log line that matches "Reached target \.\*Multi-User System/,
    evidence: 'kubernetes-sigs/kind#2460, kubernetes-sigs/kind#2972, kubernetes-sigs/kind#3758',
  },
];

/** The first known transient signature found in `output`, if any. */
export function matchTransientSignature(
  output: string,
  signatures: readonly TransientSignature[] = KIND_TRANSIENT_SIGNATURES,
): TransientSignature | undefined {
  return signatures.find((s) => s.pattern.test(output));
}
