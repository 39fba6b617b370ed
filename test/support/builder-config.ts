/**
 * electron-builder's own view of our configuration, per platform, without building an installer: its `Packager`
 * loads and validates electron-builder.yml (schema included), creates the platform packager and the real target
 * objects (AppImageTarget, FpmTarget, NsisTarget, DmgTarget, ArchiveTarget) for every architecture, and then —
 * where it would package — this hands them to the test instead. What a test then asks (artifact names, desktop
 * entries, app-update.yml, Info.plist, signing decisions) is answered by the same electron-builder functions the
 * targets call when they build.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Arch, Packager, Platform } from 'electron-builder';

export const ROOT = resolve(import.meta.dirname, '../..');

// app-builder-lib is electron-builder's engine; its internals are reached from electron-builder's own folder.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const appBuilderLib = dirname(fromBuilder.resolve('app-builder-lib/package.json'));
export function builderInternal<T>(path: string): T {
  return createRequire(`${appBuilderLib}/`)(`./out/${path}`) as T;
}

export interface BuiltTarget {
  name: string;
  options: Record<string, unknown> & { artifactName?: string };
  /** AppImageTarget only: its desktop entry, computed lazily as the target does. */
  desktopEntry?: { value: Promise<string> };
}

/** The parts of a platform packager (MacPackager, WinPackager, LinuxPackager) the tests call. */
export interface PlatformHelper {
  platform: Platform;
  config: Record<string, unknown> & { protocols?: { name: string; schemes: string[] }[] };
  platformSpecificBuildOptions: Record<string, unknown>;
  appInfo: { version: string; productName: string; sanitizedProductName: string; productFilename: string };
  executableName: string;
  info: { metadata: Record<string, unknown> };
  expandArtifactNamePattern(options: unknown, ext: string, arch: Arch | null): string;
  getCscLink(extraEnvName?: string): string | null | undefined;
  signingManager?: { value: Promise<{ cscInfo: { value: Promise<unknown> } }> };
}

export interface ResolvedPlatform {
  helper: PlatformHelper;
  /** Per architecture, the targets electron-builder created. */
  packs: { arch: Arch; targets: BuiltTarget[] }[];
}

const PACKAGERS: Record<string, [string, string]> = {
  mac: ['macPackager', 'MacPackager'],
  windows: ['winPackager', 'WinPackager'],
  linux: ['linuxPackager', 'LinuxPackager'],
};

export async function resolvePlatform(platform: Platform): Promise<ResolvedPlatform> {
  const packs: ResolvedPlatform['packs'] = [];
  let helper: PlatformHelper | null = null;
  const packager = new Packager({
    projectDir: ROOT,
    targets: platform.createTarget(),
    platformPackagerFactory: (info, which) => {
      const [file, name] = PACKAGERS[which.name]!;
      const Class = builderInternal<Record<string, new (info: unknown) => PlatformHelper>>(file)[name]!;
      const created = new Class(info);
      // Where electron-builder would package for an architecture: keep the targets, build nothing.
      (created as unknown as { pack: unknown }).pack = async (
        _out: string,
        arch: Arch,
        targets: BuiltTarget[],
      ) => {
        for (const target of targets)
          (target as unknown as { finishBuild: unknown }).finishBuild = async () => {};
        packs.push({ arch, targets });
      };
      helper = created;
      return created as never;
    },
  } as ConstructorParameters<typeof Packager>[0]);
  await packager.build();
  if (!helper) throw new Error(`electron-builder made no packager for ${platform.name}`);
  return { helper, packs };
}

export { Arch, Platform };
