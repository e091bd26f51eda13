/** One Dockerfile instruction with its continuation lines joined. */
export interface Instruction {
  /** 1-based line where it starts. */
  readonly line: number;
  /** Upper case: `FROM`, `COPY`, `RUN`, … */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly rest: string;
}

/**
 * The instructions of a Dockerfile: comments and blank lines dropped, continuation lines joined (the `# escape=`
 * directive is honoured). A heredoc (`RUN <<EOF`) is reported as `heredoc: true`: its body would read as
 * instructions, and nothing after it can be trusted.
 */
export function dockerfileInstructions(text: string): { instructions: Instruction[]; heredoc?: number } {
  const continuation = escapeCharacter(text);
  const instructions: Instruction[] = [];
  let current: { line: number; text: string } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const end = raw.trimEnd();
    const continued = end.endsWith(continuation);
    const body = continued ? end.slice(0, -continuation.length) : end;
    current =
      current === undefined
        ? { line: index + 1, text: body.trimStart() }
        : { line: current.line, text: `${current.text} ${body.trim()}` };
    if (!continued) {
      const instruction = toInstruction(current.line, current.text);
      if (instruction) {
        if (
          /<<-?\s*["']?[A-Za-z_]/.test(instruction.rest) &&
          ['RUN', 'COPY', 'ADD'].includes(instruction.keyword)
        )
          return { instructions, heredoc: instruction.line };
        instructions.push(instruction);
      }
      current = undefined;
    }
  }
  if (current !== undefined) {
    const instruction = toInstruction(current.line, current.text);
    if (instruction) instructions.push(instruction);
  }
  return { instructions };
}

function toInstruction(line: number, text: string): Instruction | undefined {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  return match ? { line, keyword: match[1]!.toUpperCase(), rest: match[2]! } : undefined;
}

function escapeCharacter(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape') return directive[2]!;
  }
  return '\\';
}

/** `NAME=value NAME2 NAME3="a b"` → pairs (value `undefined` when there is no `=`). */
export function keyValues(text: string): [string, string | undefined][] {
  const pairs: [string, string | undefined][] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)(?:=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*)))?/g;
  for (const m of text.matchAll(pattern)) {
    const hasValue = m[0].includes('=');
    pairs.push([m[1]!, hasValue ? (m[2] ?? m[3] ?? m[4] ?? '') : undefined]);
  }
  return pairs;
}

/**
 * `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}` replaced with the known values. With `strict`, a variable
 * without a value makes the result `undefined` (a path docker would build from an empty string is never the one the
 * author meant); otherwise it is left as written (a shell variable `RUN` sets itself).
 */
export function substitute(
  text: string,
  vars: ReadonlyMap<string, string | undefined>,
  strict: boolean,
): string | undefined {
  let unresolved = false;
  const result = text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, operator: string | undefined, word: string | undefined, bare) => {
      if (whole === '\\$') return strict ? '$' : whole;
      const name = (braced ?? bare) as string;
      const value = vars.get(name);
      const set = value !== undefined && value !== '';
      if (operator === '-') return set ? value : (word ?? '');
      if (operator === '+') return set ? (word ?? '') : '';
      if (value === undefined) {
        if (strict) unresolved = true;
        return strict ? '' : whole;
      }
      return value;
    },
  );
  return unresolved ? undefined : result;
}
