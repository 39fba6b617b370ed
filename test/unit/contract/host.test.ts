import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkHost, HostSchema } from '../../../main/contract/host';
import { createIpcRouter, type InvokeHandlers } from '../../../main/core/ipc/router';

describe('speaker addresses', () => {
  it('accepts IPv4, bracketed IPv6 and host names, international ones in their ASCII form, with ports', () => {
    expect(checkHost(' 192.168.1.20 ')).toEqual({ ok: true, hostname: '192.168.1.20', port: null });
    expect(checkHost('10.0.0.9:1443')).toEqual({ ok: true, hostname: '10.0.0.9', port: 1443 });
    expect(checkHost('[fe80::1]:1443')).toEqual({ ok: true, hostname: 'fe80::1', port: 1443 });
    expect(checkHost('Küche.local')).toEqual({ ok: true, hostname: 'xn--kche-0ra.local', port: null });
    expect(checkHost('wohnzimmer-1.fritz.box:1443')).toMatchObject({ ok: true, port: 1443 });
    expect(v.parse(HostSchema, '  Küche.local ')).toBe('Küche.local');
  });

  it('says what is wrong, naming the address, and cuts a long one', () => {
    const message = (host: string) => {
      const check = checkHost(host);
      return check.ok ? null : check.message;
    };
    expect(message('192.168.1.300')).toBe(
      '“192.168.1.300” is not a valid IP address: it needs four numbers from 0 to 255, such as 192.168.1.20.',
    );
    expect(message('10.0.0')).toMatch(/^“10\.0\.0” is not a valid IP address/);
    expect(message('not a host!!')).toBe('“not a host!!” is not a valid IP address or host name.');
    expect(message('10.0.0.9:0')).toBe(
      '“10.0.0.9:0” is not a valid address: the port must be a number from 1 to 65535.',
    );
    expect(message('10.0.0.9:99999')).toMatch(/port must be a number from 1 to 65535/);
    expect(message('fe80::1')).toBe(
      '“fe80::1” is not a valid address: an IPv6 address goes in brackets, such as [fe80::1].',
    );
    expect(message('[nope]')).toBe('“[nope]” is not a valid IP address.');
    expect(message('-router.local')).toMatch(/not a valid IP address or host name/);
    expect(message(`${'a'.repeat(64)}.local`)).toMatch(/not a valid IP address or host name/);
    const long = message('a'.repeat(300))!;
    expect(long).toBe(
      `“${'a'.repeat(59)}…” is not a valid address: it is too long to be an IP address or host name.`,
    );
    expect(message('')).toBe('Enter an IP address or host name, such as 192.168.1.20.');
  });

  it('the router hands that message to the popover instead of “That request was not valid.”', async () => {
    const router = createIpcRouter({} as InvokeHandlers);
    for (const [host, message] of [
      ['192.168.1.300', /^“192\.168\.1\.300” is not a valid IP address: it needs four numbers/],
      ['not a host!!', /^“not a host!!” is not a valid IP address or host name\.$/],
      ['x'.repeat(300), /too long to be an IP address or host name/],
    ] as const) {
      const result = await router.handle('settings:update', { manualHosts: ['10.0.0.1', host] });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', message: expect.stringMatching(message) },
      });
    }
    // Checks written for the log stay generic: a wrong type is a bug, not something to tell the user.
    const bug = await router.handle('settings:update', { manualHosts: 42 });
    expect(bug).toMatchObject({ ok: false, error: { message: 'That request was not valid.' } });
  });
});
