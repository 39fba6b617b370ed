import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, appProtocolHandler, isAppUrl, registerAppScheme } from '../../../main/shell/app-protocol';

function renderer() {
  const dir = mkdtempSync(join(tmpdir(), 'tfs-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'nope');
  return dir;
}

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false },
      },
    ]);
  });

  it('serves the built popover with the CSP header', async () => {
    const handle = appProtocolHandler(renderer());
    const page = await handle(new Request(APP_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'none'");
    const script = await handle(new Request('app://popover/assets/app.js'));
    expect(await script.text()).toBe('console.log(1)');
  });

  it('never serves files outside the renderer folder or for other hosts', async () => {
    const handle = appProtocolHandler(renderer());
    expect((await handle(new Request('app://popover/..%2fsecret.txt'))).status).toBe(403);
    expect((await handle(new Request('app://popover/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect(isAppUrl('app://popover/index.html')).toBe(true);
    expect(isAppUrl('app://popover.evil/index.html')).toBe(false);
  });

  it('serves album art from main under /art/, sandboxed, and 404 for paths it did not hand out', async () => {
    const served: string[] = [];
    const handle = appProtocolHandler(renderer(), async (path) => {
      served.push(path);
      return path === '/art/abc' ? { type: 'image/png', body: Buffer.from([1, 2, 3]) } : null;
    });
    const art = await handle(new Request('app://popover/art/abc'));
    expect(art.status).toBe(200);
    expect(art.headers.get('content-type')).toBe('image/png');
    expect(art.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(art.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await art.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect((await handle(new Request('app://popover/art/other'))).status).toBe(404);
    expect(served).toEqual(['/art/abc', '/art/other']);
    // Without an art server nothing is served there (and nothing else is read for it).
    expect((await appProtocolHandler(renderer())(new Request('app://popover/art/abc'))).status).toBe(404);
  });

  it('the popover’s CSP allows images only from itself: no https: (album art comes through main)', async () => {
    const page = await appProtocolHandler(renderer())(new Request(APP_URL));
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/img-src 'self' data:(;|$)/);
    expect(csp).not.toMatch(/https:/);
  });
});
