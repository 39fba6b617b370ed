/**
 * MPRIS when there is no desktop bus, or it goes away: one line in the log, never a crash (an unhandled error or
 * rejection fails these tests), and the rest of the app carries on.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HouseholdSnapshot } from '../../../main/contract/model';
import { createLogger, type LogRecord } from '../../../main/core/logger';
import { sessionBusAddress, startMpris, type MprisOptions } from '../../../main/core/mpris/mpris-service';
import { playerctl, startPrivateBus } from '../../support/dbus';
import { sampleGroup, sampleSnapshot } from '../../support/samples';

function fakeController(snapshot: HouseholdSnapshot) {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    snapshot: () => snapshot,
    settings: { hotkeyTargetPlayerId: null },
    playback: async () => {},
    setGroupVolume: async () => {},
  }) as unknown as MprisOptions['controller'] & EventEmitter;
}

function logs() {
  const records: LogRecord[] = [];
  return { records, logger: createLogger((record) => records.push(record), { level: 'debug' }) };
}

describe('MPRIS without a usable session bus', () => {
  it('no DBUS_SESSION_BUS_ADDRESS: one line, no service', async () => {
    const { records, logger } = logs();
    const service = await startMpris({ controller: fakeController(sampleSnapshot()), logger, env: {} });
    expect(service).toBeNull();
    expect(records.map((r) => r.message)).toEqual([
      'mpris: no session bus (no DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus); desktop media controls are off',
    ]);
  });

  it('finds the systemd user bus when the variable is missing, as GDBus does', () => {
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/7/bus' })).toBe(
      'unix:path=/run/user/7/bus',
    );
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: '/run/user/7' }, (p) => p === '/run/user/7/bus')).toBe(
      'unix:path=/run/user/7/bus',
    );
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: '/run/user/7' }, () => false)).toBeNull();
    expect(sessionBusAddress({})).toBeNull();
  });

  it('a bus address nobody listens on: one line, quickly', async () => {
    const { records, logger } = logs();
    const started = Date.now();
    const service = await startMpris({
      controller: fakeController(sampleSnapshot()),
      logger,
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/tfs12-no-such-bus' },
    });
    expect(service).toBeNull();
    expect(Date.now() - started).toBeLessThan(4_000);
    await new Promise((done) => setTimeout(done, 200));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/cannot be reached/) });
  });

  it('the bus goes away while published: one line, changes afterwards are harmless, stop still works', async () => {
    const bus = await startPrivateBus();
    const { records, logger } = logs();
    const snapshot = sampleSnapshot();
    const controller = fakeController(snapshot);
    try {
      const service = await startMpris({ controller, logger, env: bus.env });
      expect(service).not.toBeNull();
      expect((await playerctl(bus, ['-p', 'tray_for_sonos', 'status'])).stdout).toBe('Playing');
      bus.stop();
      await new Promise((done) => setTimeout(done, 300));
      for (const title of ['One', 'Two', 'Three']) {
        const group = sampleGroup();
        snapshot.groups = { [group.id]: { ...group, nowPlaying: { ...group.nowPlaying!, title } } };
        controller.emit('patch', { revision: 1 });
      }
      await new Promise((done) => setTimeout(done, 300));
      await service!.stop();
      const warnings = records.filter((r) => r.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(/session bus went away/);
    } finally {
      bus.stop();
    }
  });
});
