/**
 * The Go commands that turn a `GOCOVERDIR` (binary coverage counters, Go ≥ 1.20) into reports, as argv
 * arrays, and parsers of their output. Formats follow Go's `src/cmd/covdata` (`go tool covdata percent`
 * prints one line per package through `internal/coverage/cformat` `EmitPercent`).
 */

/** `go tool covdata` and `GOCOVERDIR` arrived in Go 1.20. */
export const MIN_GO_FOR_COVDATA = { major: 1, minor: 20 } as const;

export interface GoVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
  /** As printed, e.g. `go1.22.2`. */
  readonly text: string;
}

/** `go version go1.22.2 linux/amd64` → 1.22.2; `undefined` for anything else (e.g. a devel build's line). */
export function parseGoVersion(stdout: string): GoVersion | undefined {
  const match = /\bgo version (go(\d+)\.(\d+)(?:\.(\d+))?)\S*/.exec(stdout);
  if (!match) return undefined;
  return {
    text: match[1]!,
    major: Number(match[2]),
    minor: Number(match[3]),
    ...(match[4] === undefined ? {} : { patch: Number(match[4]) }),
  };
}

export function supportsCovdata(version: GoVersion): boolean {
  return (
    version.major > MIN_GO_FOR_COVDATA.major ||
    (version.major === MIN_GO_FOR_COVDATA.major && version.minor >= MIN_GO_FOR_COVDATA.minor)
  );
}

/** `go tool covdata percent -i=<dir>`: percent of statements covered, per package. */
export function covdataPercentArgs(coverDir: string): string[] {
  return ['tool', 'covdata', 'percent', `-i=${coverDir}`];
}

/** `go tool covdata textfmt -i=<dir> -o=<file>`: the legacy text profile codecov and `go tool cover` read. */
export function covdataTextfmtArgs(coverDir: string, profile: string): string[] {
  return ['tool', 'covdata', 'textfmt', `-i=${coverDir}`, `-o=${profile}`];
}

/** `go tool cover -html=<profile> -o <file>`: the annotated-source report (needs the module's source). */
export function coverHtmlArgs(profile: string, html: string): string[] {
  return ['tool', 'cover', `-html=${profile}`, '-o', html];
}

export interface PackageCoverage {
  readonly importPath: string;
  /** Percent of statements covered; `undefined` for a package with no statements. */
  readonly percent: number | undefined;
}

/**
 * Parses `go tool covdata percent` output. Go 1.20 prints `\t<pkg>\tcoverage: 41.1% of statements`, later
 * releases `\t<pkg>\t\tcoverage: …`; a package without statements says `coverage: [no statements]`.
 * Other lines (warnings) are skipped.
 */
export function parseCovdataPercent(stdout: string): PackageCoverage[] {
  const result: PackageCoverage[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s*(\S+)\s+coverage:\s+(?:(\d+(?:\.\d+)?)% of statements|\[no statements\])/.exec(line);
    if (!match) continue;
    result.push({ importPath: match[1]!, percent: match[2] === undefined ? undefined : Number(match[2]) });
  }
  return result;
}
