/**
 * The static bounce page users host at their registered redirect address (resources/oauth-bounce/index.html):
 * its inline script runs here in a VM with a stand-in `location` and `document`. The browser run is in
 * test/e2e/oauth-bounce.spec.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CALLBACK_URL, parseCallback } from '../../../main/core/account/callback';

const PAGE = readFileSync(join(import.meta.dirname, '../../../resources/oauth-bounce/index.html'), 'utf8');
const SCRIPT = /<script>([\s\S]*?)<\/script>/.exec(PAGE)![1]!;
const STYLE = /<style>([\s\S]*?)<\/style>/.exec(PAGE)![1]!;
const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Runs the page's script as if the browser were at `address`; returns where it sent the browser, and the link. */
function visit(address: string): {
  replacedWith: string | null;
  link: string | null;
  linkShown: boolean;
  status: string;
  pasteShown: boolean;
} {
  const url = new URL(address);
  let replacedWith: string | null = null;
  const link = {
    href: null as string | null,
    hidden: true,
    setAttribute: (_: string, v: string) => (link.href = v),
  };
  const status = { textContent: 'Sonos sign-in for Tray for Sonos.' };
  const paste = { hidden: false };
  runInNewContext(SCRIPT, {
    URLSearchParams,
    window: {
      location: { search: url.search, hash: url.hash, replace: (to: string) => (replacedWith = to) },
    },
    document: {
      getElementById: (id: string) =>
        id === 'open' ? link : id === 'status' ? status : id === 'paste' ? paste : null,
    },
  });
  return {
    replacedWith,
    link: link.href,
    linkShown: !link.hidden,
    status: status.textContent,
    pasteShown: !paste.hidden,
  };
}

describe('OAuth bounce page', () => {
  it('forwards code and state — and nothing else — to the app’s custom scheme', () => {
    const result = visit(
      'https://me.example.test/sonos/?code=abc%2B1&state=s-123&scope=playback-control-all&utm_source=x',
    );
    expect(result.replacedWith).toBe(`${CALLBACK_URL}?code=abc%2B1&state=s-123`);
    expect(result.link).toBe(result.replacedWith);
    expect(result.linkShown).toBe(true);
    expect(result.status).toBe('Taking you back to Tray for Sonos…');
    const parsed = parseCallback(result.replacedWith!);
    expect(parsed.ok && parsed.params).toMatchObject({ code: 'abc+1', state: 's-123' });
  });

  it('forwards error, error_description and error_uri with the state', () => {
    const result = visit(
      'https://me.example.test/sonos/?error=access_denied&error_description=The+user+denied+access&error_uri=https%3A%2F%2Fdocs.example.test%2Fe&state=s1&extra=1',
    );
    const forwarded = new URL(result.replacedWith!);
    expect([...forwarded.searchParams.keys()]).toEqual(['state', 'error', 'error_description', 'error_uri']);
    expect(Object.fromEntries(forwarded.searchParams)).toEqual({
      state: 's1',
      error: 'access_denied',
      error_description: 'The user denied access',
      error_uri: 'https://docs.example.test/e',
    });
    expect(result.status).toMatch(/did not finish/);
  });

  it('reads a fragment when there is no query, and passes repeated values on for the app to refuse', () => {
    expect(visit('https://me.example.test/sonos/#code=c&state=s').replacedWith).toBe(
      `${CALLBACK_URL}?code=c&state=s`,
    );
    const repeated = visit('https://me.example.test/sonos/?code=a&code=b&state=s').replacedWith!;
    expect(repeated).toBe(`${CALLBACK_URL}?code=a&code=b&state=s`);
    expect(parseCallback(repeated).ok).toBe(false);
  });

  it('does not send the browser anywhere without a state and an answer', () => {
    for (const address of [
      'https://me.example.test/sonos/',
      'https://me.example.test/sonos/?code=c',
      'https://me.example.test/sonos/?state=s',
    ])
      expect(visit(address).replacedWith).toBeNull();
  });

  it('opened without parameters, says what the page is for and that there is nothing to do', () => {
    const result = visit('https://me.example.test/sonos/');
    expect(result.status).toBe(
      'This page is used while signing in to Sonos from Tray for Sonos. There is nothing to do here.',
    );
    expect(result.linkShown).toBe(false);
    expect(result.pasteShown).toBe(false);
    expect(visit('https://me.example.test/sonos/?utm_source=x').status).toMatch(/nothing to do here/);
  });

  it('names the app’s paste field by its real label', () => {
    const section = readFileSync(
      join(import.meta.dirname, '../../../renderer/components/AccountSection.svelte'),
      'utf8',
    );
    const label = /<label for="account-callback"\s*>([^<]+)<\/label/.exec(section)![1]!.trim();
    expect(label).toBe('If the browser did not come back here, paste the address it ended on');
    expect(PAGE.replace(/\s+/g, ' ')).toContain(`“${label}”`);
    expect(PAGE).toContain('Settings → Sonos account');
  });

  it('allows exactly its own inline script and style (strict CSP), and loads nothing from anywhere', () => {
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(PAGE)?.[1];
    const expected = `default-src 'none'; script-src ${sha(SCRIPT)}; style-src ${sha(STYLE)}; base-uri 'none'; form-action 'none'`;
    expect(csp, 'update the CSP meta tag after editing the script or style').toBe(expected);
    expect(PAGE).toContain('<meta name="referrer" content="no-referrer" />');
    expect(PAGE).not.toMatch(/\ssrc=|<link|@import|url\(|href="http/i);
    expect(PAGE).toContain('You can close this tab.');
  });
});
