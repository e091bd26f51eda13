/** A dotted version; `raw` is what the tool printed (e.g. `1.32.4-dispatcher`). */
export interface ToolVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly raw: string;
}

/**
 * Oldest versions kubernaut-e2e supports: podman 4 (`--build-context`-era `build` flags and `save
 * --format docker-archive` of several refs), docker 20.10 (BuildKit by default), kind 0.20 (`load
 * image-archive` with multiple tags, current node images), kubectl 1.27 (server-side apply and `wait
 * --for=jsonpath`).
 */
export const MINIMUM_VERSIONS: Readonly<Record<string, string>> = {
  podman: '4.0',
  docker: '20.10',
  kind: '0.20',
  kubectl: '1.27',
};

/** The first `X.Y[.Z][suffix]` in `text`, or `undefined`. */
export function parseVersion(text: string): ToolVersion | undefined {
  const match = /v?(\d+)\.(\d+)(?:\.(\d+))?([-+~][\w.+~-]*)?/.exec(text);
  if (!match) return undefined;
  const [whole, major, minor, patch] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch ?? 0),
    raw: whole.replace(/^v/, ''),
  };
}

/** Negative when `a` is older than `b`, 0 when equal (pre-release suffixes are ignored), positive when newer. */
export function compareVersions(a: ToolVersion, b: ToolVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
