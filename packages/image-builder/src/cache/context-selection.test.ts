import { describe, expect, it } from 'vitest';
import { ContextSelection } from './context-selection.js';

describe('ContextSelection', () => {
  it('includes a selected path and everything below it, nothing beside it', () => {
    const selection = new ContextSelection(['cmd/gateway', 'go.mod']);
    expect(selection.includes('cmd/gateway')).toBe(true);
    expect(selection.includes('cmd/gateway/main.go')).toBe(true);
    expect(selection.includes('go.mod')).toBe(true);
    expect(selection.includes('cmd/gatewayx/main.go')).toBe(false);
    expect(selection.includes('cmd/datastorage/main.go')).toBe(false);
    expect(selection.includes('go.sum')).toBe(false);
  });

  it('lets a walk descend into the leading directories of a pattern and skip the rest', () => {
    const selection = new ContextSelection(['cmd/gateway', 'pkg/*/api']);
    expect(selection.mayInclude('cmd')).toBe(true);
    expect(selection.mayInclude('cmd/gateway')).toBe(true);
    expect(selection.mayInclude('cmd/datastorage')).toBe(false);
    expect(selection.mayInclude('pkg')).toBe(true);
    expect(selection.mayInclude('pkg/audit')).toBe(true);
    expect(selection.mayInclude('pkg/audit/api')).toBe(true);
    expect(selection.mayInclude('pkg/audit/internal')).toBe(false);
    expect(selection.mayInclude('node_modules')).toBe(false);
  });

  it('matches docker globs anchored at the context root', () => {
    const selection = new ContextSelection(['*.go', 'config/[a-c]*.yaml', '**/testdata']);
    expect(selection.includes('main.go')).toBe(true);
    expect(selection.includes('cmd/main.go')).toBe(false);
    expect(selection.includes('config/app.yaml')).toBe(true);
    expect(selection.includes('config/zeta.yaml')).toBe(false);
    expect(selection.includes('pkg/x/testdata/seed.sql')).toBe(true);
    expect(selection.mayInclude('anything/at/all')).toBe(true);
  });

  it('selects nothing when the build takes nothing from the context', () => {
    const selection = new ContextSelection([]);
    expect(selection.includes('main.go')).toBe(false);
    expect(selection.mayInclude('cmd')).toBe(false);
  });
});
