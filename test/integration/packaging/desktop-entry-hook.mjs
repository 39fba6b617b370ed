// electron-builder afterPack hook for the packaging test: asks electron-builder's own Linux helper for the desktop
// entry and its file name, as the deb and AppImage targets would write them (those targets need tools this
// machine cannot download), and saves both beside the unpacked app.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper.js';

export default async function afterPack(context) {
  const helper = new LinuxTargetHelper(context.packager);
  const entry = await helper.computeDesktopEntry(context.packager.platformSpecificBuildOptions);
  writeFileSync(
    join(context.appOutDir, '..', 'desktop-entry.json'),
    JSON.stringify({ fileName: `${helper.getDesktopFileName()}.desktop`, entry }),
  );
}
