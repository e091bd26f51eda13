import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORWARDING_LINE, parseForwardingLine } from './port-forward-output.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/kubectl/${name}`, import.meta.url), 'utf8');

describe('parseForwardingLine', () => {
  it('reads the local port from real kubectl output, with --address 127.0.0.1 and with the default localhost', () => {
    expect(fixture('port-forward-address.stdout.txt').split('\n').map(parseForwardingLine)[0]).toEqual({
      address: '127.0.0.1',
      localPort: 37513,
      remotePort: 5432,
    });
    const both = fixture('port-forward-localhost.stdout.txt').trim().split('\n').map(parseForwardingLine);
    expect(both).toEqual([
      { address: '127.0.0.1', localPort: 38725, remotePort: 5432 },
      { address: '[::1]', localPort: 38725, remotePort: 5432 },
    ]);
  });

  it('ignores other lines and impossible ports', () => {
    expect(parseForwardingLine('Handling connection for 38725')).toBeUndefined();
    expect(
      parseForwardingLine('error: unable to forward port because pod is not running. Current status=Pending'),
    ).toBeUndefined();
    expect(parseForwardingLine('Forwarding from 127.0.0.1:70000 -> 5432')).toBeUndefined();
    expect(parseForwardingLine('Forwarding from 127.0.0.1:0 -> 5432')).toBeUndefined();
  });

  it('is the pattern the client waits for, which the IPv6 line must not satisfy alone', () => {
    expect(FORWARDING_LINE.test('Forwarding from 127.0.0.1:38725 -> 5432')).toBe(true);
  });
});
