/** Where the CLI writes and what it reads from its environment (injected, so tests run it in-process). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A terminal that can redraw a live task list (false in CI and pipes). */
  readonly interactive: boolean;
  /** The stream the live task list redraws on, when interactive. */
  readonly ttyStream?: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * This invocation is the whole process (the binary): zod interprets schemas instead of compiling a parser per
   * schema, which suits a run that parses each schema a handful of times. Process-wide, so in-process callers leave
   * it unset.
   */
  readonly interpretSchemas?: boolean;
}

export const ExitCode = {
  Ok: 0,
  StepFailed: 1,
  BadInput: 2,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function processIo(): CliIo {
  const interactive =
    Boolean(process.stderr.isTTY) && process.env.CI !== 'true' && process.env.TERM !== 'dumb';
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive,
    ...(interactive ? { ttyStream: process.stderr } : {}),
    env: process.env,
    cwd: process.cwd(),
    interpretSchemas: true,
  };
}
