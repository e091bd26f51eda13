import { describe, expect, it } from 'vitest';
import { formatType, type GoField, type GoType } from './ast.js';
import { parseGoFile } from './parse-file.js';
import { lookupTag, yamlTag } from './struct-tag.js';
import { GoSyntaxError } from './tokens.js';

const struct = (source: string, name: string): readonly GoField[] => {
  const decl = parseGoFile(source, 'x.go').types.find((t) => t.name === name);
  if (decl?.type.kind !== 'struct') throw new Error(`${name} is not a struct`);
  return decl.type.fields;
};
const fieldTypes = (fields: readonly GoField[]) =>
  fields.map((f) => `${f.embedded ? '(embedded)' : f.names.join(',')} ${formatType(f.type)}`);

describe('parseGoFile', () => {
  it('reads the package clause and grouped, single, aliased and blank imports', () => {
    const file = parseGoFile(
      `// Package config does things.
package config

import "fmt"

import (
	"os"
	sharedconfig "github.com/example/shop/internal/config"
	_ "embed"
	. "strings"
)
`,
      'pkg/config/config.go',
    );
    expect(file.packageName).toBe('config');
    expect(file.imports).toEqual([
      { path: 'fmt', line: 4 },
      { path: 'os', line: 7 },
      { alias: 'sharedconfig', path: 'github.com/example/shop/internal/config', line: 8 },
      { alias: '_', path: 'embed', line: 9 },
      { alias: '.', path: 'strings', line: 10 },
    ]);
  });

  it('reads a multi-line struct with pointers, slices, maps, qualified types, embedded fields and tags', () => {
    const source = `package config

type Config struct {
	Server    ServerSettings                 \`yaml:"server"\`
	Store     sharedconfig.DataStorageConfig \`yaml:"datastorage" json:"ds"\`
	Limit     *float64                       \`yaml:"limit,omitempty"\`
	Hosts     []string                       \`yaml:"hosts"\`
	Labels    map[string][]int               \`yaml:"labels"\`
	Matrix    [4][2]byte
	A, B      int "plain"
	Common                                   \`yaml:",inline"\`
	*Extra
	sharedconfig.LoggingConfig               \`yaml:"logging"\`
	secret    string                         \`yaml:"-"\`
	Callback  func(a, b int) (string, error)
	Events    <-chan struct{}
	Anything  interface{ Get() string }
	Inner     struct {
		Deep bool \`yaml:"deep"\`
	} \`yaml:"inner"\`
}
`;
    const fields = struct(source, 'Config');
    expect(fieldTypes(fields)).toEqual([
      'Server ServerSettings',
      'Store sharedconfig.DataStorageConfig',
      'Limit *float64',
      'Hosts []string',
      'Labels map[string][]int',
      'Matrix [4][2]byte',
      'A,B int',
      '(embedded) Common',
      '(embedded) *Extra',
      '(embedded) sharedconfig.LoggingConfig',
      'secret string',
      'Callback func(…)',
      'Events chan struct{…}',
      'Anything interface{…}',
      'Inner struct{…}',
    ]);
    expect(fields.map((f) => f.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(fields[1]!.tag).toBe('yaml:"datastorage" json:"ds"');
    expect(fields[6]!.tag).toBe('plain');
    expect(fields[8]!.tag).toBeUndefined();
    const inner = fields[14]!.type as Extract<GoType, { kind: 'struct' }>;
    expect(inner.fields).toEqual([
      {
        names: ['Deep'],
        type: { kind: 'named', name: 'bool' },
        embedded: false,
        tag: 'yaml:"deep"',
        line: 19,
      },
    ]);
  });

  it('reads a field of an instantiated generic type as the named type, its type arguments skipped', () => {
    const fields = struct(
      `package auth

type Cache struct {
	breakers map[string]*gobreaker.CircuitBreaker[*jose.JSONWebKeySet]
	Pair     Pair[string, int] \`yaml:"pair"\`
	After    int
}
`,
      'Cache',
    );
    expect(fieldTypes(fields)).toEqual([
      'breakers map[string]*gobreaker.CircuitBreaker',
      'Pair Pair',
      'After int',
    ]);
    expect(fields[1]?.tag).toContain('yaml:"pair"');
  });

  it('does not take comment text, a // inside a tag or a string, or a commented-out field for code', () => {
    const fields = struct(
      `package config
/* type Fake struct { X int } */
type Config struct {
	// Port int \`yaml:"port"\`
	URL string \`yaml:"url" doc:"http://example.com/x"\` // trailing // comment
	/* block */ Name string /* after */
	Note string \`yaml:"note"\` /* a block
	comment over lines */
	Last int
}
`,
      'Config',
    );
    expect(fields.map((f) => [f.names[0], f.tag, f.line])).toEqual([
      ['URL', 'yaml:"url" doc:"http://example.com/x"', 5],
      ['Name', undefined, 6],
      ['Note', 'yaml:"note"', 7],
      ['Last', undefined, 9],
    ]);
  });

  it('reads grouped and single type declarations, named non-struct types and aliases', () => {
    const file = parseGoFile(
      `package fleet
type (
	GatewayType string
	Alias = registry.GatewayType
	Empty struct{}
)
type Count int64
`,
      'x.go',
    );
    expect(file.types.map((t) => [t.name, formatType(t.type), t.alias, t.line])).toEqual([
      ['GatewayType', 'string', false, 3],
      ['Alias', 'registry.GatewayType', true, 4],
      ['Empty', 'struct{…}', false, 5],
      ['Count', 'int64', false, 7],
    ]);
  });

  it('reads string and numeric constants and keeps other initializers as expressions', () => {
    const file = parseGoFile(
      `package config
const DefaultConfigPath = "/etc/shop/config.yaml"
const (
	Raw = \`/etc/raw\`
	Port     int = 8080
	Hex          = 0x1F
	Negative     = -3
	Window       = 5 * time.Minute
	Escaped      = "a\\tb\\u00e9"
	A, B         = "a", "b"
)
const (
	First = iota
	Second
)
`,
      'x.go',
    );
    expect(file.consts.map((c) => [c.name, c.value, c.line])).toEqual([
      ['DefaultConfigPath', '/etc/shop/config.yaml', 2],
      ['Raw', '/etc/raw', 4],
      ['Port', 8080, 5],
      ['Hex', 31, 6],
      ['Negative', -3, 7],
      ['Window', undefined, 8],
      ['Escaped', 'a\tb\u00e9', 9],
      ['A', 'a', 10],
      ['B', 'b', 10],
      ['First', undefined, 13],
      ['Second', undefined, 14],
    ]);
    expect(file.consts.find((c) => c.name === 'Window')?.expression).toBe('5 * time . Minute');
  });

  it('skips function bodies and var blocks, and records functions with their results and methods by receiver', () => {
    const file = parseGoFile(
      `package config
var valid = map[string]bool{
	"DEBUG": true,
}
var (
	x = func() { type Hidden struct{} }
)
func LoadFromFile(path string) (*Config, error) {
	cfg := &Config{}
	if path == "" { return cfg, nil }
	return cfg, nil
}
func Named() (cfg *Config, err error) { return }
func Pair() (a, b int) { return }
func Secrets() (map[string]interface{}, error) { return nil, nil }
func Odd(f func() struct{ A int }) struct{ B int } { return struct{ B int }{} }
func (c *Config) UnmarshalYAML(value *yaml.Node) error { return nil }
func (Config) Validate() error { return nil }
type After struct{ Z int }
`,
      'x.go',
    );
    expect(file.types.map((t) => t.name)).toEqual(['After']);
    expect(file.functions.map((f) => [f.name, f.results.map(formatType).join(', ')])).toEqual([
      ['LoadFromFile', '*Config, error'],
      ['Named', '*Config, error'],
      ['Pair', 'int, int'],
      ['Secrets', 'map[string]interface{…}, error'],
      ['Odd', 'struct{…}'],
    ]);
    expect(file.methods.map((m) => [m.receiver, m.name])).toEqual([
      ['Config', 'UnmarshalYAML'],
      ['Config', 'Validate'],
    ]);
  });

  it('reports an unterminated string with its line', () => {
    expect(() => parseGoFile('package x\n\nconst A = "open\n', 'x.go')).toThrow(GoSyntaxError);
    expect(() => parseGoFile('package x\n\nconst A = "open\n', 'x.go')).toThrow(/line 3/);
  });
});

describe('struct tags', () => {
  it('looks a key up as reflect.StructTag does', () => {
    expect(lookupTag('yaml:"url" json:"u,omitempty"', 'json')).toBe('u,omitempty');
    expect(lookupTag('yaml:"a\\"b"', 'yaml')).toBe('a"b');
    expect(lookupTag('json:"x"', 'yaml')).toBeUndefined();
    expect(lookupTag('yaml:url', 'yaml')).toBeUndefined();
  });

  it('reads yaml options as yaml.v3 does, including a bare tag without any key', () => {
    expect(yamlTag('yaml:"listenAddr,omitempty"')).toMatchObject({ name: 'listenAddr', omitempty: true });
    expect(yamlTag('yaml:",inline"')).toMatchObject({ name: '', inline: true });
    expect(yamlTag('yaml:"-"')).toMatchObject({ skip: true });
    expect(yamlTag('json:"x"')).toMatchObject({ name: '', skip: false });
    expect(yamlTag('plain')).toMatchObject({ name: 'plain' });
    expect(yamlTag('yaml:"a,strict"').unknownFlags).toEqual(['strict']);
  });
});
