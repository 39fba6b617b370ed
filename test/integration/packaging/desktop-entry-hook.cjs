// electron-builder afterPack hook for the packaging test: asks electron-builder's own Linux helper for the desktop
// entry and its file name, as the deb and AppImage targets would write them (those targets need tools this
// machine cannot download), and saves both beside the unpacked app.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper');

exports.default = async function afterPack(context) {
  const helper = new LinuxTargetHelper(context.packager);
  const entry = await helper.computeDesktopEntry(context.packager.platformSpecificBuildOptions);
  writeFileSync(
    join(context.appOutDir, '..', 'desktop-entry.json'),
    JSON.stringify({ fileName: `${helper.getDesktopFileName()}.desktop`, entry }),
  );
};
