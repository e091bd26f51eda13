import { describe, expect, it } from 'vitest';
import { parseGoMod } from './go-mod.js';

describe('parseGoMod', () => {
  it('reads the module path and the replacements that point into the repository', () => {
    const mod = parseGoMod(`// a comment
module "github.com/org/repo" // quoted

go 1.22

require (
\tgithub.com/a/b v1.0.0
)

replace github.com/org/tools => ./tools
replace (
\tgithub.com/org/api v0.1.0 => ../api
\tgithub.com/fork/x => github.com/other/x v1.2.3
\tgithub.com/abs/y => /opt/y
)
`);
    expect(mod.module).toBe('github.com/org/repo');
    expect(mod.localReplaces).toEqual([
      { modulePath: 'github.com/org/tools', dir: './tools' },
      { modulePath: 'github.com/org/api', dir: '../api' },
    ]);
  });

  it('has no module when go.mod has no module line', () => {
    expect(parseGoMod('go 1.22\n').module).toBeUndefined();
  });
});
