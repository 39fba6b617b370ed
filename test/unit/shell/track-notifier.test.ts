import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdSnapshot, NowPlaying, Settings } from '../../../main/contract/model';
import { DEFAULT_SETTINGS } from '../../../main/core/store/data-store';
import {
  NOTIFICATION_GROUP,
  TrackNotifier,
  type NotificationContent,
} from '../../../main/shell/track-notifier';
import {
  app,
  isMac,
  Notification,
  PROFILES,
  resetElectronFake,
  settle,
  type ProfileName,
} from '../../fakes/electron';
import { sampleGroup, sampleSnapshot } from '../../support/samples';

const track = (title: string, artUrl: string | null = null): NowPlaying => ({
  title,
  artist: 'Artist',
  album: 'Album',
  container: null,
  service: 'Spotify',
  artUrl,
  durationMs: 1000,
});

function household(
  now: NowPlaying | null,
  overrides: Partial<ReturnType<typeof sampleGroup>> = {},
): HouseholdSnapshot {
  const snapshot = sampleSnapshot();
  const group = sampleGroup({ nowPlaying: now, ...overrides });
  snapshot.groups = { [group.id]: group };
  return snapshot;
}

function notifier(settings: Partial<Settings> = {}, popoverVisible = false) {
  const clicks: number[] = [];
  const shown: NotificationContent[] = [];
  const n = new TrackNotifier({
    createNotification: (content) => {
      shown.push(content);
      return new Notification(content as never);
    },
    loadArt: async (url) => ({ image: url }),
    settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
    popoverVisible: () => popoverVisible,
    onClick: () => clicks.push(1),
  });
  return { n, shown, clicks };
}

describe('TrackNotifier', () => {
  beforeEach(() => {
    resetElectronFake();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('says nothing about what was already playing, then one silent notification per settled change', async () => {
    const { n, shown, clicks } = notifier();
    n.update(household(track('First')));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(shown).toEqual([]);
    n.update(household(track('Second', 'https://art.example/2.jpg')));
    await vi.advanceTimersByTimeAsync(999);
    expect(shown).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toEqual([
      {
        title: 'Second',
        body: 'Artist — Album · Kitchen',
        silent: true,
        id: 'track-RINCON_000E58A0000001400',
        groupId: NOTIFICATION_GROUP,
        icon: { image: 'https://art.example/2.jpg' },
      },
    ]);
    expect(Notification.instances.at(-1)!.shown).toBe(true);
    expect(n.shownCount).toBe(1);
    Notification.instances.at(-1)!.click();
    expect(clicks).toEqual([1]);
    expect(n.shownCount).toBe(0);
  });

  it('rapid skips give one notification, for the track that stayed', async () => {
    const { n, shown } = notifier();
    n.update(household(track('A')));
    for (const title of ['B', 'C', 'D', 'E']) {
      n.update(household(track(title)));
      await vi.advanceTimersByTimeAsync(300);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(shown.map((s) => s.title)).toEqual(['E']);
  });

  it('skipping away and back within a second is no news', async () => {
    const { n, shown } = notifier();
    n.update(household(track('A')));
    n.update(household(track('B')));
    await vi.advanceTimersByTimeAsync(200);
    n.update(household(track('A')));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(shown).toEqual([]);
  });

  it('respects the settings, the popover and the playback state', async () => {
    const cases: [Partial<Settings>, boolean, Partial<ReturnType<typeof sampleGroup>>][] = [
      [{ notifications: { enabled: false, playerIds: null } }, false, {}],
      [{ notifications: { enabled: true, playerIds: ['RINCON_SOMEONE_ELSE'] } }, false, {}],
      [{}, true, {}],
      [{}, false, { playback: 'paused' }],
    ];
    for (const [settings, visible, overrides] of cases) {
      const { n, shown } = notifier(settings, visible);
      n.update(household(track('A'), overrides));
      n.update(household(track('B'), overrides));
      await vi.advanceTimersByTimeAsync(1_500);
      expect(shown).toEqual([]);
    }
    const chosen = notifier({ notifications: { enabled: true, playerIds: ['RINCON_000E58A0000001400'] } });
    chosen.n.update(household(track('A')));
    chosen.n.update(household(track('B')));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(chosen.shown.map((s) => s.title)).toEqual(['B']);
  });

  it('follows a group through an id change (same coordinator)', async () => {
    const { n, shown } = notifier();
    n.update(household(track('A')));
    n.update(household(track('B'), { id: 'RINCON_000E58A0000001400:99' }));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(shown.map((s) => s.title)).toEqual(['B']);
  });
});

describe.each(PROFILES)('TrackNotifier on %s', (profile: ProfileName) => {
  beforeEach(() => {
    resetElectronFake(profile);
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  async function playThrough(n: TrackNotifier, titles: string[]): Promise<void> {
    n.update(household(track('Start')));
    for (const title of titles) {
      n.update(household(track(title)));
      await vi.advanceTimersByTimeAsync(1_500);
      await settle();
    }
  }

  it('keeps one notification per group on screen, however many tracks played (a signed, installed app)', async () => {
    app.isPackaged = true;
    const { n } = notifier();
    await playThrough(n, ['One', 'Two', 'Three']);
    expect(Notification.center.map((x) => x.options.title)).toEqual(['Three']);
    expect(n.shownCount).toBe(1);
  });

  it('lets go of notifications that failed or closed (an unsigned macOS build fails every one)', async () => {
    const { n } = notifier();
    await playThrough(n, ['One', 'Two']);
    if (isMac()) {
      expect(Notification.center).toEqual([]);
      expect(n.shownCount).toBe(0);
    } else {
      expect(n.shownCount).toBe(1);
      Notification.center[0]!.dismiss();
      expect(n.shownCount).toBe(0);
    }
  });
});
