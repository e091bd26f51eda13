import type { PortRole } from '../../facts/types.js';

/**
 * What a human read in kubernaut's source and the recorder cannot derive: which keys Validate refuses when
 * empty, the defaults applied before it, the ports, and loader behaviour. Each fact quotes one source line
 * (the minimal identifying text); the recorder re-finds every quote and fails when one is gone.
 */
export interface CuratedCitation {
  /** `file:line` at the commit the facts were last recorded at; the recorder updates moved lines. */
  readonly at: string;
  readonly quote: string;
}

export interface CuratedRequired extends CuratedCitation {
  readonly path: string;
  readonly onlyWhenPresent?: string;
  readonly note?: string;
}

/** A default the binary applies before validating a required key (so the key may be left out). */
export interface CuratedDefault extends CuratedCitation {
  readonly path: string;
  /** The Go expression as written in the quote (`":8080"`, `5 * time.Minute`). */
  readonly value: string;
}

export interface CuratedPort extends CuratedCitation {
  /** The port used when the config does not set it (must appear in the quote); null when there is none. */
  readonly value: number | null;
  readonly configKey?: string;
  readonly serves: string;
  readonly note?: string;
}

export interface CuratedNote extends CuratedCitation {
  readonly text: string;
}

export interface CuratedBinary {
  readonly binary: string;
  /** Defaults to `cmd/<binary>/main.go`. */
  readonly main?: string;
  /**
   * The function main loads the config with, `<package>.<loader>(…)` (`LoadFromFile` when omitted; the kubernaut
   * agent and the API frontend parse bytes with `config.Load(data)`). It must return a struct of its package.
   */
  readonly loader?: string;
  /**
   * For a binary without a `--config` flag: how it is told where the file is — an environment variable (`env`), or
   * a path it always reads (`value`, which must be in the quote, e.g. a Go constant).
   */
  readonly configPath?: CuratedCitation & { readonly note: string } & (
      | { readonly env: string; readonly value?: undefined }
      | { readonly value: string; readonly env?: undefined }
    );
  readonly required: readonly CuratedRequired[];
  readonly defaults: readonly CuratedDefault[];
  readonly ports: Partial<Record<PortRole, CuratedPort>>;
  readonly notes: readonly CuratedNote[];
}
