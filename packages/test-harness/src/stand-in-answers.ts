import { CONTENT_HASH_LABEL, CommandError, type CommandResult, type KubeObject } from '@kubernaut-e2e/core';

/*
 * What both process-boundary stand-ins (`KindAndApiServer` and `ExistingClusterStandIn`) answer and record alike.
 */

/** A command's answer: its output and exit code, as the real runner returns them. */
export function result(argv: readonly string[], stdout = '', stderr = '', exitCode = 0): CommandResult {
  return { argv, stdout, stderr, exitCode, durationMs: 0 };
}

/** kubectl's exit 1 with the API server's message on stderr. */
export function apiError(argv: readonly string[], message: string): CommandError {
  return new CommandError({ argv, exitCode: 1, timedOut: false, stderrTail: [message] });
}

/** `<kind>/<namespace>/<name>`: how a stand-in keys the objects it holds. */
export function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** What a `podman build` argv builds: its `--tag` into `built`, its content-hash label into `hashes`. */
export function recordBuild(
  args: readonly string[],
  into: { readonly built: string[]; readonly hashes: Set<string> },
): void {
  const tag = args.indexOf('--tag');
  if (tag >= 0) into.built.push(args[tag + 1]!);
  for (const arg of args)
    if (arg.startsWith(`${CONTENT_HASH_LABEL}=`)) into.hashes.add(arg.slice(CONTENT_HASH_LABEL.length + 1));
}

/** The argv without a leading `--request-timeout=<n>s`, a global kubectl flag that changes nothing here. */
export function withoutRequestTimeout(args: readonly string[]): string[] {
  return /^--request-timeout=\d+s$/.test(args[0] ?? '') ? args.slice(1) : [...args];
}
