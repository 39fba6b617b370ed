/**
 * Makes `require('electron')` return the fake electron module, for libraries that vitest does not transform:
 * electron-updater is CommonJS in node_modules and requires `electron` itself (its app adapter, `net`, `session`,
 * `autoUpdater`), so vitest's alias never reaches it. Node documents that `require.cache` entries may be added or
 * replaced (https://nodejs.org/api/modules.html#requirecache); the entry is removed again by the returned undo.
 */
import Module, { createRequire } from 'node:module';
import electron from '../fakes/electron';

export function provideElectronToRequire(): () => void {
  const require = createRequire(import.meta.url);
  const path = require.resolve('electron');
  const previous = require.cache[path];
  const entry = new Module(path);
  entry.filename = path;
  entry.loaded = true;
  entry.exports = electron;
  require.cache[path] = entry;
  return () => {
    if (previous) require.cache[path] = previous;
    else delete require.cache[path];
  };
}
