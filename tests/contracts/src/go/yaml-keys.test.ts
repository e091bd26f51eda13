import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractsError } from '../errors.js';
import type { KeyFact } from '../facts/types.js';
import { type TempModule, tempModule } from '../testing/temp-module.js';
import { GoModule } from './module.js';
import { yamlKeys } from './yaml-keys.js';

/** A small module of our own: a service config spread over two packages and two files. */
const FILES: Record<string, string> = {
  'pkg/shop/config/config.go': `package config

import (
	"net/http"
	"time"

	shared "example.com/shop/internal/common"
	"example.com/shop/internal/fleetreg"
)

type Config struct {
	Server   ServerSettings      \`yaml:"server"\`
	Store    shared.StoreConfig  \`yaml:"store,omitempty"\`
	Base                         \`yaml:",inline"\`
	Limits   *LimitSettings      \`yaml:"limits,omitempty"\`
	Routes   []Route             \`yaml:"routes"\`
	Labels   map[string]string   \`yaml:"labels"\`
	Client   http.RoundTripper   \`yaml:"-"\`
	Kind     fleetreg.Kind       \`yaml:"kind"\`
	Timeout  time.Duration
	Blob     Opaque              \`yaml:"blob"\`
	shared.Audit
	internal string
	Token    string              \`yaml:"-"\`
}

type Route struct {
	Path    string \`yaml:"path"\`
	Backend string \`yaml:"backend" validate:"required"\`
}
`,
  'pkg/shop/config/settings.go': `package config

import shared "example.com/shop/internal/common"

// ServerSettings lives in another file of the same package.
type ServerSettings struct {
	ListenAddr string   \`yaml:"listenAddr"\`
	Ports      []int    \`yaml:"ports,omitempty"\`
	TLS        *shared.TLS \`yaml:"tls"\`
}

type LimitSettings struct {
	Burst   int     \`yaml:"burst"\`
	Rate    float64 \`yaml:"rate"\`
	Enabled *bool   \`yaml:"enabled"\`
}

type Base struct {
	Name  string \`yaml:"name"\`
	Debug bool   \`yaml:"debug"\`
}

type Opaque struct{ Raw string }

func (o *Opaque) UnmarshalYAML(unmarshal func(interface{}) error) error { return nil }
`,
  'internal/common/store.go': `package common

import "time"

type StoreConfig struct {
	URL    string        \`yaml:"url"\`
	Buffer BufferConfig  \`yaml:"buffer"\`
	Wait   time.Duration \`yaml:"wait"\`
}

type BufferConfig struct {
	Size int \`yaml:"size"\`
}

type TLS struct {
	CertDir string \`yaml:"certDir,omitempty"\`
}

type Audit struct {
	Enabled bool \`yaml:"enabled"\`
}
`,
  'internal/fleetreg/kind.go': `package fleetreg

type Kind = registryKind

type registryKind string
`,
};

describe('yamlKeys', () => {
  let mod: TempModule;
  let keys: KeyFact[];
  const key = (path: string) => keys.find((k) => k.path === path);

  beforeAll(() => {
    mod = tempModule(FILES);
    keys = yamlKeys(GoModule.open(mod.root), 'pkg/shop/config', 'Config');
  });
  afterAll(() => mod.remove());

  it('lists every key path in declaration order, following types across files and packages', () => {
    expect(keys.map((k) => `${k.path} ${k.kind}`)).toEqual([
      'server object',
      'server.listenAddr string',
      'server.ports list',
      'server.tls object',
      'server.tls.certDir string',
      'store object',
      'store.url string',
      'store.buffer object',
      'store.buffer.size int',
      'store.wait duration',
      'name string',
      'debug bool',
      'limits object',
      'limits.burst int',
      'limits.rate float',
      'limits.enabled bool',
      'routes list',
      'routes[].path string',
      'routes[].backend string',
      'labels map',
      'kind string',
      'timeout duration',
      'blob opaque',
      'audit object',
      'audit.enabled bool',
    ]);
  });

  it('cites the file and line of each field, in whichever package declares it', () => {
    expect(key('server')?.at).toBe('pkg/shop/config/config.go:12');
    expect(key('server.listenAddr')?.at).toBe('pkg/shop/config/settings.go:7');
    expect(key('store.buffer.size')?.at).toBe('internal/common/store.go:12');
    expect(key('name')?.at).toBe('pkg/shop/config/settings.go:19');
  });

  it('keeps the Go type as declared, and marks omitempty, pointers and validate tags', () => {
    expect(key('store')).toMatchObject({ goType: 'shared.StoreConfig', omitempty: true });
    expect(key('limits')).toMatchObject({ goType: '*LimitSettings', pointer: true, omitempty: true });
    expect(key('limits.enabled')).toMatchObject({ goType: '*bool', pointer: true, kind: 'bool' });
    expect(key('server.ports')).toMatchObject({ kind: 'list', elem: 'int' });
    expect(key('routes')).toMatchObject({ kind: 'list', elem: 'object' });
    expect(key('routes[].backend')?.validate).toBe('required');
    expect(key('server')?.omitempty).toBeUndefined();
  });

  it('skips yaml:"-" and unexported fields, and lowercases a field without a yaml name', () => {
    const paths = keys.map((k) => k.path);
    expect(paths).not.toContain('client');
    expect(paths).not.toContain('token');
    expect(paths).not.toContain('internal');
    expect(paths).toContain('timeout');
  });

  it('resolves an alias to an unexported named string type in another package to a string', () => {
    expect(key('kind')).toMatchObject({ goType: 'fleetreg.Kind', kind: 'string' });
  });

  it('treats a type with its own UnmarshalYAML as opaque, saying why', () => {
    expect(key('blob')).toMatchObject({ kind: 'opaque', note: expect.stringContaining('UnmarshalYAML') });
  });

  it('records an inlined map as a wildcard key', () => {
    const mapMod = tempModule({
      'cfg/cfg.go': `package cfg
type C struct {
	Known string            \`yaml:"known"\`
	Extra map[string]string \`yaml:",inline"\`
}
`,
    });
    try {
      expect(yamlKeys(GoModule.open(mapMod.root), 'cfg', 'C').map((k) => `${k.path} ${k.kind}`)).toEqual([
        'known string',
        '* map',
      ]);
    } finally {
      mapMod.remove();
    }
  });

  it('refuses a struct with a key declared twice, and a name that is not a struct', () => {
    const dup = tempModule({
      'cfg/cfg.go': `package cfg
type C struct {
	A string \`yaml:"name"\`
	B string \`yaml:"name"\`
}
type N string
`,
    });
    try {
      const module = GoModule.open(dup.root);
      expect(() => yamlKeys(module, 'cfg', 'C')).toThrow(
        /key name is declared twice \(cfg\/cfg.go:3 and cfg\/cfg.go:4\)/,
      );
      expect(() => yamlKeys(module, 'cfg', 'N')).toThrow(ContractsError);
      expect(() => yamlKeys(module, 'cfg', 'Missing')).toThrow(/no type Missing in cfg/);
    } finally {
      dup.remove();
    }
  });

  it('stops at a recursive type instead of looping', () => {
    const rec = tempModule({
      'cfg/cfg.go': `package cfg
type Node struct {
	Name     string \`yaml:"name"\`
	Children []Node \`yaml:"children"\`
	Parent   *Node  \`yaml:"parent"\`
}
`,
    });
    try {
      expect(yamlKeys(GoModule.open(rec.root), 'cfg', 'Node').map((k) => `${k.path} ${k.kind}`)).toEqual([
        'name string',
        'children list',
        'parent opaque',
      ]);
    } finally {
      rec.remove();
    }
  });
});
