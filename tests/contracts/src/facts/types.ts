/**
 * The shape of `facts/<binary>.json`: what the recorder read from kubernaut's Go source about one binary's
 * config file. Every `at` is `path/from/repo/root.go:line` at the recorded commit.
 */

/** The binaries whose config files kubernaut-e2e renders. */
export const BINARIES = [
  'gateway',
  'datastorage',
  'notification',
  'authwebhook',
  'remediationorchestrator',
  'signalprocessing',
  'workflowexecution',
  'aianalysis',
  'effectivenessmonitor',
  'fleetmetadatacache',
  'kubernautagent',
  'apifrontend',
] as const;
export type Binary = (typeof BINARIES)[number];

/**
 * What a YAML value at a key must be, as gopkg.in/yaml.v3 decodes into the Go field:
 * - `object`: a struct; its keys are listed as their own facts.
 * - `map`: any keys below it.
 * - `list`: a sequence (slice or array); when its elements are structs, their keys are facts under `path[]`.
 * - `string`, `int`, `float`, `bool`: a scalar (yaml.v3 refuses a quoted number for an int, and any number for
 *   a `time.Duration`).
 * - `duration`: a `time.Duration`, written as a Go duration string (`30s`, `1h30m`).
 * - `opaque`: a type the recorder cannot see into (outside the module, an interface, a custom UnmarshalYAML).
 */
export type KeyKind = 'object' | 'map' | 'list' | 'string' | 'int' | 'float' | 'bool' | 'duration' | 'opaque';

export interface KeyFact {
  /**
   * Dotted YAML path: `server.listenAddr`. Elements of a list of structs: `items[].name`. A struct that inlines
   * a map accepts any key beside its own: that is recorded as `prefix.*` (`*` at the top level).
   */
  readonly path: string;
  /** The Go type as the field declares it: `sharedconfig.DataStorageConfig`, `*float64`, `[]string`. */
  readonly goType: string;
  readonly kind: KeyKind;
  /** For `list`: the kind of its elements. */
  readonly elem?: KeyKind;
  readonly at: string;
  readonly omitempty?: true;
  /** The field is a pointer: absent means nil (which validation may treat differently from empty). */
  readonly pointer?: true;
  /** The field's `validate:"…"` tag (go-playground/validator), when it has one. */
  readonly validate?: string;
  /** Why the kind is `opaque`, or another remark. */
  readonly note?: string;
}

/** A source line quoted as evidence, with where it was found at the recorded commit. */
export interface Citation {
  readonly at: string;
  /** The minimal identifying text of that one line (whitespace runs compare as one space). */
  readonly quote: string;
}

export interface RequiredKey extends Citation {
  readonly path: string;
  /**
   * The binary applies this default before validating, so leaving the key out is accepted; writing it empty is
   * refused. `value` is the Go expression as written at `at`.
   */
  readonly default?: Citation & { readonly value: string };
  /** Required only when this (pointer) ancestor is present: `ansible` for `ansible.apiURL`. */
  readonly onlyWhenPresent?: string;
  readonly note?: string;
  /** `curated` (src/record/curated) or `validate-tag` (derived from a `validate:"required"` tag). */
  readonly source: 'curated' | 'validate-tag';
}

export type PortRole = 'health' | 'metrics' | 'api';

export interface PortFact extends Citation {
  /** The port the binary uses when the config does not set it; null when it has none (or is disabled). */
  readonly value: number | null;
  /** The config key that sets it (`controller.healthProbeAddr`), when the config can. */
  readonly configKey?: string;
  /** What is served there: `/healthz, /readyz`, `/metrics`, `webhooks (HTTPS)`. */
  readonly serves: string;
  readonly note?: string;
}

export interface BinaryFacts {
  readonly kubernaut: { readonly repository: string; readonly commit: string };
  readonly binary: Binary;
  readonly main: string;
  readonly configStruct: {
    readonly name: string;
    /** The Go package directory inside the module. */
    readonly package: string;
    readonly at: string;
    /** Where `main` loads the file (`config.LoadFromFile(…)`). */
    readonly loadedAt: string;
  };
  readonly defaultConfigPath: {
    /** The path the binary reads when not told otherwise; null when it has no default. */
    readonly value: string | null;
    readonly at: string;
    /** `--config` (a flag) or, for a binary without the flag, how the path is given. */
    readonly flag?: string;
    readonly env?: string;
    readonly const?: { readonly name: string; readonly at: string };
    readonly quote?: string;
    readonly note?: string;
  };
  readonly keys: readonly KeyFact[];
  readonly required: readonly RequiredKey[];
  readonly ports: Partial<Record<PortRole, PortFact>>;
  /** Loader behaviour a renderer must know, in words (each with its citation). */
  readonly notes: readonly (Citation & { readonly text: string })[];
}
