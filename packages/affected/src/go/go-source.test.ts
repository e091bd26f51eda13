import { describe, expect, it } from 'vitest';
import { parseGoSource } from './go-source.js';

describe('parseGoSource', () => {
  it('reads every form of import declaration, with comments and build constraints around them', () => {
    const source = parseGoSource(`//go:build linux && !windows
// +build linux

/* Package api: a block comment
   import "not/an/import" */
package api // trailing

import "fmt"
import alias "example.com/m/pkg/alias"
import (
\t"context" // why
\t. "example.com/m/pkg/dot"
\t_ "example.com/m/pkg/blank"; "example.com/m/pkg/semicolon"
\traw \`example.com/m/pkg/raw\`
\t/* "example.com/m/pkg/commented" */
)
import "C"

func f() { _ = "import \\"example.com/m/pkg/in-a-string\\"" }

import "example.com/m/pkg/after-a-declaration"
`);
    expect(source.packageName).toBe('api');
    expect(source.imports).toEqual([
      'fmt',
      'example.com/m/pkg/alias',
      'context',
      'example.com/m/pkg/dot',
      'example.com/m/pkg/blank',
      'example.com/m/pkg/semicolon',
      'example.com/m/pkg/raw',
      'C',
    ]);
  });

  it('reads //go:embed patterns, quoted or not, without the all: prefix', () => {
    const source = parseGoSource(`package assets

import "embed"

//go:embed crds/*.yaml
var crds embed.FS

//go:embed "name with space.txt" \`raw.txt\` all:static
var more embed.FS

// not a directive: //go:embed nothing
`);
    expect(source.embeds).toEqual(['crds/*.yaml', 'name with space.txt', 'raw.txt', 'static']);
  });

  it('has no package name for a file without a package clause', () => {
    expect(parseGoSource('// just a comment\n').packageName).toBeUndefined();
    expect(parseGoSource('').imports).toEqual([]);
  });
});
