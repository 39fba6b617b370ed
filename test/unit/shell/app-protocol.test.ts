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
});
