/**
 * The installers' configuration as electron-builder itself resolves it, for every target, without building one
 * (test/support/builder-config.ts): architectures, artifact names, the update metadata baked into the app, the
 * sign-in scheme on each OS, the macOS agent mode, and signing that stays off without its environment variables.
 * Installers themselves are built by .github/workflows/release.yml, which cannot run here.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME } from '../../../main/shell/deep-links';
import {
  Arch,
  builderInternal,
  Platform,
  resolvePlatform,
  ROOT,
  type BuiltTarget,
  type ResolvedPlatform,
} from '../../support/builder-config';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SCHEME = 'io.github.trayforsonos';

let linux: ResolvedPlatform;
let windows: ResolvedPlatform;
let mac: ResolvedPlatform;

beforeAll(async () => {
  linux = await resolvePlatform(Platform.LINUX);
  windows = await resolvePlatform(Platform.WINDOWS);
  mac = await resolvePlatform(Platform.MAC);
}, 120_000);

function targetsByArch(resolved: ResolvedPlatform): Record<string, string[]> {
  return Object.fromEntries(resolved.packs.map((p) => [Arch[p.arch], p.targets.map((t) => t.name)]));
}

function target(resolved: ResolvedPlatform, name: string, arch = Arch.x64): BuiltTarget {
  const found = resolved.packs.find((p) => p.arch === arch)?.targets.find((t) => t.name === name);
  if (!found) throw new Error(`no ${name} target for ${Arch[arch]}`);
  return found;
}

/** A .desktop file as key → value (the [Desktop Entry] group). */
function desktopKeys(entry: string): Record<string, string> {
  return Object.fromEntries(
    entry
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('installers, as electron-builder resolves them', () => {
  it('builds dmg + zip and NSIS for x64 and arm64, and AppImage, deb and rpm for x64 and arm64', () => {
    expect(targetsByArch(mac)).toEqual({ x64: ['dmg', 'zip'], arm64: ['dmg', 'zip'] });
    expect(targetsByArch(windows)).toEqual({ x64: ['nsis'], arm64: ['nsis'] });
    expect(targetsByArch(linux)).toEqual({
      x64: ['appImage', 'deb', 'rpm'],
      arm64: ['appImage', 'deb', 'rpm'],
    });
  });

  it('names every artifact safely for GitHub Releases (which the update metadata must match) and uniquely', () => {
    const names: string[] = [];
    const name = (resolved: ResolvedPlatform, t: BuiltTarget, ext: string, arch: Arch | null) =>
      resolved.helper.expandArtifactNamePattern(t.options, ext, arch);
    for (const { arch, targets } of linux.packs) {
      for (const t of targets) names.push(name(linux, t, t.name === 'appImage' ? 'AppImage' : t.name, arch));
    }
    for (const { arch, targets } of mac.packs)
      for (const t of targets) names.push(name(mac, t, t.name, arch));
    // One NSIS installer carries both architectures (electron-builder passes no arch then).
    names.push(name(windows, target(windows, 'nsis'), 'exe', null));
    expect(names).toEqual([
      `tray-for-sonos-${VERSION}-linux-x86_64.AppImage`,
      `tray-for-sonos-${VERSION}-linux-amd64.deb`,
      `tray-for-sonos-${VERSION}-linux-x86_64.rpm`,
      `tray-for-sonos-${VERSION}-linux-arm64.AppImage`,
      `tray-for-sonos-${VERSION}-linux-arm64.deb`,
      `tray-for-sonos-${VERSION}-linux-aarch64.rpm`,
      `tray-for-sonos-${VERSION}-mac-x64.dmg`,
      `tray-for-sonos-${VERSION}-mac-x64.zip`,
      `tray-for-sonos-${VERSION}-mac-arm64.dmg`,
      `tray-for-sonos-${VERSION}-mac-arm64.zip`,
      `tray-for-sonos-${VERSION}-win-setup.exe`,
    ]);
    for (const file of names) expect(file).toMatch(/^[0-9A-Za-z._-]+$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('bakes the update feed into every updatable app: GitHub Releases, with a cache folder of its own', async () => {
    const { getAppUpdatePublishConfiguration } = builderInternal<{
      getAppUpdatePublishConfiguration(p: unknown, o: unknown, a: Arch, e: boolean): Promise<unknown>;
    }>('publish/PublishManager');
    const expected = {
      provider: 'github',
      owner: 'trayforsonos',
      repo: 'tray-for-sonos',
      releaseType: 'draft',
      updaterCacheDirName: 'tray-for-sonos-updater',
    };
    // What AppImageTarget and PublishManager write to resources/app-update.yml, and electron-updater reads.
    for (const [resolved, name] of [
      [linux, 'appImage'],
      [windows, 'nsis'],
      [mac, 'zip'],
    ] as const) {
      for (const arch of [Arch.x64, Arch.arm64]) {
        const config = await getAppUpdatePublishConfiguration(
          resolved.helper,
          target(resolved, name, arch).options,
          arch,
          false,
        );
        expect(config, `${name} ${Arch[arch]}`).toMatchObject(expected);
      }
    }
  });

  it('Linux: the desktop entries of the AppImage and the deb/rpm open the sign-in scheme', async () => {
    const appImage = desktopKeys(await target(linux, 'appImage').desktopEntry!.value);
    expect(appImage.MimeType!.split(';')).toContain(`x-scheme-handler/${SCHEME}`);
    expect(appImage.Exec).toBe('AppRun --no-sandbox %U');
    // FpmTarget writes its entry with the LinuxTargetHelper the AppImage target also uses.
    const linuxHelper = (target(linux, 'appImage') as unknown as { helper: LinuxHelper }).helper;
    const deb = desktopKeys(await linuxHelper.computeDesktopEntry(target(linux, 'deb').options));
    expect(deb.MimeType!.split(';')).toContain(`x-scheme-handler/${SCHEME}`);
    expect(deb.Exec).toBe('"/opt/Tray for Sonos/tray-for-sonos" %U');
    expect(linux.helper.executableName).toBe('tray-for-sonos');
  });

  it('Windows: the per-user NSIS installer (no administrator) registers the scheme for the user and removes it', () => {
    const nsis = target(windows, 'nsis').options as Record<string, unknown>;
    expect(nsis.oneClick).toBe(true);
    expect(nsis.perMachine).toBe(false);
    // electron-builder's NSIS target does not register `protocols`; the include does (see installer.nsh).
    expect(nsis.include).toBe('resources/build/installer.nsh');
    const script = readFileSync(join(ROOT, String(nsis.include)), 'utf8');
    const install = /!macro customInstall([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    const uninstall = /!macro customUnInstall([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    const key = `SHELL_CONTEXT "Software\\Classes\\${SCHEME}"`;
    expect(install).toContain(`WriteRegStr ${key} "URL Protocol" ""`);
    expect(install).toContain(
      `WriteRegStr SHELL_CONTEXT "Software\\Classes\\${SCHEME}\\shell\\open\\command" "" '"$appExe" "%1"'`,
    );
    expect(uninstall).toContain(`DeleteRegKey ${key}`);
    // One scheme everywhere: the configuration, the installer script and the app's own registration.
    expect(windows.helper.config.protocols?.flatMap((p) => p.schemes)).toEqual([SCHEME]);
    expect(APP_SCHEME).toBe(SCHEME);
    // The installer's icon is a ready-made ICO (no converter download), at least 256 px.
    expect(windows.helper.platformSpecificBuildOptions.icon).toBe('resources/build/icon.ico');
  });

  describe('macOS: the Info.plist electron-builder writes into the app', () => {
    let plist: Record<string, unknown>;
    let bundle: string;

    beforeAll(async () => {
      const { createMacApp } = builderInternal<{
        createMacApp(p: unknown, out: string, integrity: null, mas: boolean): Promise<void>;
      }>('electron/electronMac');
      const { parsePlistFile } = builderInternal<{
        parsePlistFile(path: string): Promise<Record<string, unknown>>;
      }>('util/plist');
      const out = mkdtempSync(join(tmpdir(), 'tfs18-mac-app-'));
      writeStubElectronApp(out);
      await createMacApp(mac.helper, out, null, false);
      bundle = join(out, readdirSync(out)[0]!);
      plist = await parsePlistFile(join(bundle, 'Contents/Info.plist'));
    });

    it('is an agent app (no Dock icon) that owns the sign-in scheme', () => {
      expect(bundle.endsWith('Tray for Sonos.app')).toBe(true);
      expect(plist.CFBundleIdentifier).toBe('io.github.trayforsonos.app');
      expect(plist.LSUIElement).toBe(true);
      expect(plist.CFBundleURLTypes).toEqual([expect.objectContaining({ CFBundleURLSchemes: [SCHEME] })]);
      expect(plist.CFBundleShortVersionString).toBe(VERSION);
      // macOS 15 asks before local network access; the prompt says why, and Bonjour browsing names the service.
      expect(plist.NSLocalNetworkUsageDescription).toMatch(/Sonos speakers/);
      expect(plist.NSBonjourServices).toEqual(['_sonos._tcp']);
      expect(readdirSync(join(bundle, 'Contents/Resources'))).toContain('icon.icns');
    });

    it('signs with the hardened runtime and only the JIT entitlement', () => {
      const options = mac.helper.platformSpecificBuildOptions;
      expect(options.hardenedRuntime).toBe(true);
      const entitlements = readFileSync(join(ROOT, String(options.entitlements)), 'utf8');
      expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual([
        'com.apple.security.cs.allow-jit',
      ]);
      expect(options.entitlementsInherit).toBe(options.entitlements);
      // No identity in the file: signing comes from CSC_LINK, or nothing.
      expect(options.identity).toBeUndefined();
    });
  });
});

type LinuxHelper = { computeDesktopEntry(options: unknown, exec?: string): Promise<string> };

/** Electron.app as electron-builder expects to find it in electronDist: Info.plists and executables. */
function writeStubElectronApp(out: string): void {
  const plist = (executable: string, id: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>` +
    `<key>CFBundleExecutable</key><string>${executable}</string>` +
    `<key>CFBundleIdentifier</key><string>${id}</string>` +
    `<key>CFBundleName</key><string>${executable}</string>` +
    `<key>CFBundlePackageType</key><string>APPL</string></dict></plist>`;
  const contents = join(out, 'Electron.app/Contents');
  mkdirSync(join(contents, 'MacOS'), { recursive: true });
  mkdirSync(join(contents, 'Resources'), { recursive: true });
  writeFileSync(join(contents, 'MacOS/Electron'), '');
  writeFileSync(join(contents, 'Info.plist'), plist('Electron', 'com.github.Electron'));
  for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) {
    const name = `Electron Helper${suffix}`;
    const helper = join(contents, 'Frameworks', `${name}.app/Contents`);
    mkdirSync(join(helper, 'MacOS'), { recursive: true });
    writeFileSync(join(helper, 'MacOS', name), '');
    writeFileSync(join(helper, 'Info.plist'), plist(name, 'com.github.Electron.helper'));
  }
}

describe('signing and notarisation follow environment variables, and do nothing without them', () => {
  const SIGNING_ENV = [
    'CSC_LINK',
    'CSC_KEY_PASSWORD',
    'WIN_CSC_LINK',
    'WIN_CSC_KEY_PASSWORD',
    'APPLE_ID',
    'APPLE_APP_SPECIFIC_PASSWORD',
    'APPLE_TEAM_ID',
    'APPLE_API_KEY',
    'APPLE_API_KEY_ID',
    'APPLE_API_ISSUER',
    'APPLE_KEYCHAIN',
    'APPLE_KEYCHAIN_PROFILE',
  ];
  const saved = Object.fromEntries(SIGNING_ENV.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const { MacTargetHelper } = builderInternal<{
    MacTargetHelper: { getNotarizeOptions(appPath: string): Record<string, unknown> | undefined };
  }>('mac/MacTargetHelper');

  it('without them: no notarisation, no Windows certificate', async () => {
    for (const name of SIGNING_ENV) delete process.env[name];
    expect(MacTargetHelper.getNotarizeOptions('/x/Tray for Sonos.app')).toBeUndefined();
    expect(mac.helper.platformSpecificBuildOptions.notarize).toBeUndefined();
    const signing = await windows.helper.signingManager!.value;
    await expect(signing.cscInfo.value).resolves.toBeNull();
  });

  it('with them (made-up values): notarytool with the API key, and the Windows certificate from WIN_CSC_LINK', () => {
    for (const name of SIGNING_ENV) delete process.env[name];
    Object.assign(process.env, {
      APPLE_API_KEY: '/made/up/AuthKey_TEST.p8',
      APPLE_API_KEY_ID: 'TESTKEYID0',
      APPLE_API_ISSUER: '00000000-0000-0000-0000-000000000000',
      WIN_CSC_LINK: '/made/up/certificate.pfx',
    });
    expect(MacTargetHelper.getNotarizeOptions('/x/Tray for Sonos.app')).toMatchObject({
      tool: 'notarytool',
      appleApiKeyId: 'TESTKEYID0',
    });
    expect(windows.helper.getCscLink('WIN_CSC_LINK')).toBe('/made/up/certificate.pfx');
  });
});

/** `electronFuses` in electron-builder.yml and `desktopName` in package.json with `linux.syncDesktopName`. */
describe('fuses and the desktop file name', () => {
  it('flips the fuses that close Node-style entry points and tie the app to its asar, on every platform', async () => {
    const { FuseV1Options } = await import('@electron/fuses');
    for (const resolved of [linux, windows, mac]) {
      const helper = resolved.helper as unknown as {
        config: { electronFuses?: unknown };
        generateFuseConfig(fuses: unknown): Promise<Record<number, boolean>>;
      };
      expect(helper.config.electronFuses, resolved.helper.platform.name).toBeDefined();
      const fuses = await helper.generateFuseConfig(helper.config.electronFuses);
      expect(fuses).toMatchObject({
        [FuseV1Options.RunAsNode]: false,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
      });
    }
  });

  it('Linux: the desktop file is io.github.trayforsonos.desktop, and windows match it', async () => {
    const linuxHelper = (
      target(linux, 'appImage') as unknown as {
        helper: LinuxHelper & { getDesktopFileName(): string };
      }
    ).helper;
    expect(linux.helper.info.metadata.desktopName).toBe('io.github.trayforsonos.desktop');
    // The installed file's name without `.desktop` (electron-builder appends it).
    expect(linuxHelper.getDesktopFileName()).toBe('io.github.trayforsonos');
    const entry = desktopKeys(await target(linux, 'appImage').desktopEntry!.value);
    // Electron takes its Wayland app_id / X11 WM_CLASS from desktopName; the entry must say the same.
    expect(entry.StartupWMClass).toBe('io.github.trayforsonos');
    expect(entry.MimeType!.split(';')).toContain(`x-scheme-handler/${SCHEME}`);
  });
});
