/** What the command line and the environment change before the shell starts: `--version`, a data folder. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryBackend } from '../../../main/core/store/data-store';
import { startShell, type ElectronModules } from '../../../main/shell/app';
import * as fake from '../../fakes/electron';

const electron = fake as unknown as ElectronModules;

function start(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return startShell(electron, {
    appDir: '/opt/tray-for-sonos/resources/app/out',
    resourcesDir: '/opt/tray-for-sonos/resources/tray',
    argv,
    platform: 'linux',
    env,
    storeBackend: () => memoryBackend(),
    discoverySources: () => [],
    createAccount: null,
  });
}

describe('launch options', () => {
  beforeEach(() => fake.resetElectronFake());

  it('--version prints the name and version and exits 0, touching nothing else', () => {
    fake.app.version = '1.2.3';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(start(['/opt/tray-for-sonos/tray-for-sonos', '--version'])).toBeNull();
      expect(write).toHaveBeenCalledWith('Tray for Sonos 1.2.3\n');
    } finally {
      write.mockRestore();
    }
    expect(fake.callsTo('app', 'exit')).toEqual([{ target: 'app', method: 'exit', args: [0] }]);
    expect(fake.callsTo('app', 'requestSingleInstanceLock')).toEqual([]);
    expect(fake.protocol.privileged).toEqual([]);
  });

  it('TFS_USER_DATA_DIR moves the data folder (and so the single-instance lock) before anything uses it', () => {
    start(['/opt/tray-for-sonos/tray-for-sonos'], { TFS_USER_DATA_DIR: '/tmp/tfs-smoke-data' });
    expect(fake.app.paths.userData).toBe('/tmp/tfs-smoke-data');
    const order = fake.calls.map((c) => `${c.target}.${c.method}`);
    expect(order.indexOf('app.setPath')).toBeLessThan(order.indexOf('app.requestSingleInstanceLock'));
  });
});
