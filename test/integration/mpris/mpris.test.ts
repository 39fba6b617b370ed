/**
 * MPRIS for real: a private `dbus-daemon`, the app core on the simulated household publishing
 * `org.mpris.MediaPlayer2.tray_for_sonos`, and Debian's `playerctl` as the client a desktop would be. What playerctl
 * shows must be what the simulator plays, and what it asks for must happen on the simulated speakers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Group } from '../../../main/contract/model';
import { targetGroup } from '../../../main/core/household/target-group';
import { createLogger } from '../../../main/core/logger';
import { startMpris, type MprisService } from '../../../main/core/mpris/mpris-service';
import { MPRIS_NAME } from '../../../main/core/mpris/mpris-state';
import { startHarness, type Harness } from '../../support/core-harness';
import {
  dbusSend,
  followPlayerctl,
  haveDbusTools,
  playerctl,
  startPrivateBus,
  type PrivateBus,
} from '../../support/dbus';

const PLAYER = 'tray_for_sonos';

let bus: PrivateBus;
let harness: Harness;
let mpris: MprisService | null;

function target(): Group {
  const group = targetGroup(harness.controller.snapshot(), harness.controller.settings);
  if (!group) throw new Error('no target group');
  return group;
}

function simGroup() {
  const coordinator = target().coordinatorId;
  return harness.sim.state().groups.find((g) => g.coordinatorId === coordinator)!;
}

async function pc(...args: string[]): Promise<string> {
  const result = await playerctl(bus, ['-p', PLAYER, ...args]);
  expect(result.code, `playerctl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  expect(haveDbusTools(), 'dbus-daemon and playerctl (Debian packages dbus, playerctl)').toBe(true);
  bus = await startPrivateBus();
  try {
    // Two groups playing music and one radio station, as the demo's household.
    harness = await startHarness({ players: 4, groups: '1+2,3,4', trackMs: 600_000 });
    await harness.controller.whenComplete();
    mpris = await startMpris({
      controller: harness.controller,
      logger: createLogger(() => {}),
      env: bus.env,
    });
  } catch (error) {
    bus.stop();
    throw error;
  }
}, 30_000);

afterAll(async () => {
  try {
    await mpris?.stop();
    await harness?.stop();
  } finally {
    bus?.stop();
  }
});

describe('MPRIS with playerctl on a private session bus', () => {
  it('publishes the well-known name, with what the target group plays', async () => {
    expect(mpris?.name).toBe(MPRIS_NAME);
    const list = await playerctl(bus, ['-l']);
    expect(list.stdout.split('\n')).toContain(PLAYER);
    const sim = simGroup();
    expect(sim.track).not.toBeNull();
    expect(await pc('metadata', 'title')).toBe(sim.track!.name);
    expect(await pc('metadata', 'artist')).toBe(sim.track!.artist);
    expect(await pc('metadata', 'album')).toBe(sim.track!.album);
    expect(await pc('status')).toBe('Playing');
    const length = Number(await pc('metadata', 'mpris:length'));
    expect(length).toBe(target().nowPlaying!.durationMs! * 1000);
    expect(await pc('metadata', 'mpris:trackid')).toMatch(
      /^'?\/io\/github\/trayforsonos\/track\/t[0-9a-f]{16}'?$/,
    );
  });

  it('play-pause pauses the simulated group, and again plays it', async () => {
    const groupId = simGroup().id;
    await pc('play-pause');
    await vi.waitFor(
      () =>
        expect(harness.sim.state().groups.find((g) => g.id === groupId)!.playbackState).toBe(
          'PLAYBACK_STATE_PAUSED',
        ),
      { timeout: 5_000 },
    );
    await vi.waitFor(async () => expect(await pc('status')).toBe('Paused'), { timeout: 5_000 });
    await pc('play-pause');
    await vi.waitFor(
      () =>
        expect(harness.sim.state().groups.find((g) => g.id === groupId)!.playbackState).toBe(
          'PLAYBACK_STATE_PLAYING',
        ),
      { timeout: 5_000 },
    );
    await vi.waitFor(async () => expect(await pc('status')).toBe('Playing'), { timeout: 5_000 });
  });

  it('next skips to the next track on the simulated group, and playerctl shows it', async () => {
    const before = simGroup().track!.name;
    await pc('next');
    await vi.waitFor(() => expect(simGroup().track!.name).not.toBe(before), { timeout: 5_000 });
    const now = simGroup().track!.name;
    await vi.waitFor(async () => expect(await pc('metadata', 'title')).toBe(now), { timeout: 5_000 });
  });

  it('volume 0.3 sets the group volume to 30, and reads back as 0.3', async () => {
    await pc('volume', '0.3');
    await vi.waitFor(() => expect(simGroup().volume).toBe(30), { timeout: 5_000 });
    await vi.waitFor(async () => expect(Number(await pc('volume'))).toBeCloseTo(0.3, 5), { timeout: 5_000 });
  });

  it('playerctl --follow sees a track change made by another controller', async () => {
    const follow = followPlayerctl(bus, ['-p', PLAYER, 'metadata', 'title']);
    try {
      const first = simGroup().track!.name;
      await vi.waitFor(() => expect(follow.lines).toContain(first), { timeout: 5_000 });
      // "Another controller" (the Sonos app) skips on the speaker itself.
      expect(harness.sim.control.playback(simGroup().id, 'skipToNextTrack')).toBe(true);
      await vi.waitFor(() => expect(simGroup().track!.name).not.toBe(first), { timeout: 5_000 });
      const next = simGroup().track!.name;
      await vi.waitFor(() => expect(follow.lines.at(-1)).toBe(next), { timeout: 5_000 });
    } finally {
      follow.child.kill('SIGTERM');
    }
  });

  it('follows the hotkey group: choosing another group in Settings changes what MPRIS speaks for', async () => {
    const radio = Object.values(harness.controller.snapshot().groups).find((g) => !g.actions.canSkip);
    expect(radio, 'the simulated household has a radio station').toBeDefined();
    harness.controller.updateSettings({ hotkeyTargetPlayerId: radio!.coordinatorId });
    try {
      await vi.waitFor(
        async () =>
          expect(await pc('metadata', 'title')).toBe(
            radio!.nowPlaying!.title ?? radio!.nowPlaying!.container,
          ),
        { timeout: 5_000 },
      );
      // A station cannot skip: CanGoNext is false and Next does nothing (MPRIS: "should have no effect").
      const stream = harness.sim
        .state()
        .groups.find((g) => g.coordinatorId === radio!.coordinatorId)!.streamInfo;
      // playerctl itself reads CanGoNext and refuses, as a desktop's media key would be ignored.
      const result = await playerctl(bus, ['-p', PLAYER, 'next']);
      expect(result.code).not.toBe(0);
      // Sent anyway, straight over D-Bus: it is answered and changes nothing.
      expect(await dbusSend(bus, MPRIS_NAME, 'org.mpris.MediaPlayer2.Player.Next')).toBe(0);
      await new Promise((done) => setTimeout(done, 300));
      expect(
        harness.sim.state().groups.find((g) => g.coordinatorId === radio!.coordinatorId)!.streamInfo,
      ).toBe(stream);
    } finally {
      harness.controller.updateSettings({ hotkeyTargetPlayerId: null });
    }
  });
});
