import type { CuratedDefault, CuratedNote, CuratedRequired } from './types.js';

/**
 * `sharedconfig.ValidateDataStorageConfig` (internal/config/datastorage.go), which every controller and the
 * gateway call on their `datastorage:` section.
 */
export function dataStorageRequired(): CuratedRequired[] {
  const at = (line: number) => `internal/config/datastorage.go:${line}`;
  return [
    { path: 'datastorage.url', at: at(81), quote: 'fmt.Errorf("datastorage.url is required")' },
    { path: 'datastorage.healthUrl', at: at(84), quote: 'fmt.Errorf("datastorage.healthUrl is required")' },
    { path: 'datastorage.timeout', at: at(87), quote: 'fmt.Errorf("datastorage.timeout must be positive")' },
    {
      path: 'datastorage.buffer.bufferSize',
      at: at(90),
      quote: 'fmt.Errorf("datastorage.buffer.bufferSize must be positive")',
    },
    {
      path: 'datastorage.buffer.batchSize',
      at: at(93),
      quote: 'fmt.Errorf("datastorage.buffer.batchSize must be positive")',
    },
    {
      path: 'datastorage.buffer.flushInterval',
      at: at(96),
      quote: 'fmt.Errorf("datastorage.buffer.flushInterval must be positive")',
    },
  ];
}

/**
 * `sharedconfig.DefaultDataStorageConfig()`, for a binary whose loader starts from a default config that
 * includes it. `except` leaves out the keys the binary overrides (cited in its own file).
 */
export function dataStorageDefaults(except: readonly string[] = []): CuratedDefault[] {
  const at = (line: number) => `internal/config/datastorage.go:${line}`;
  const all: CuratedDefault[] = [
    {
      path: 'datastorage.url',
      value: '"http://data-storage-service:8080"',
      at: at(65),
      quote: 'URL: "http://data-storage-service:8080",',
    },
    {
      path: 'datastorage.healthUrl',
      value: '"http://data-storage-service:8080/readyz"',
      at: at(66),
      quote: 'HealthURL: "http://data-storage-service:8080/readyz",',
    },
    {
      path: 'datastorage.timeout',
      value: '10 * time.Second',
      at: at(67),
      quote: 'Timeout: 10 * time.Second,',
    },
    { path: 'datastorage.buffer.bufferSize', value: '10000', at: at(69), quote: 'BufferSize: 10000,' },
    { path: 'datastorage.buffer.batchSize', value: '100', at: at(70), quote: 'BatchSize: 100,' },
    {
      path: 'datastorage.buffer.flushInterval',
      value: '1 * time.Second',
      at: at(71),
      quote: 'FlushInterval: 1 * time.Second,',
    },
  ];
  return all.filter((d) => !except.includes(d.path));
}

/** Every loader decodes with `yaml.Unmarshal`, which ignores keys the struct does not have. */
export function unknownKeysNote(at: string, quote: string): CuratedNote {
  return {
    text:
      'The file is decoded with yaml.Unmarshal (no KnownFields): a key the struct does not have is ignored ' +
      'without an error, so a misspelt or misplaced key silently leaves the default in place.',
    at,
    quote,
  };
}
