/**
 * Desktop notifications when the track changes: only for the groups the user chose, only once the track has
 * been stable for about a second (skipping through five songs gives one notification), never for what was
 * already playing at start, never while the popover is open, silent, and a click opens the popover. One per group
 * at a time: a new track replaces the group's last notification (same `id`, and the old one is closed where
 * closing works), so the notification centre does not fill up with a playlist.
 */
import type { Group, HouseholdSnapshot, NowPlaying, Settings } from '../contract/model';

export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
  close(): void;
}

export interface NotificationContent {
  title: string;
  body: string;
  silent: true;
  /** macOS and Windows: the same id replaces the notification shown before (notification.md). */
  id: string;
  groupId: string;
  icon?: unknown;
}

/** All track notifications sit together in the notification centre. */
export const NOTIFICATION_GROUP = 'now-playing';

export interface TrackNotifierDeps {
  createNotification(content: NotificationContent): NotificationLike;
  /** Album art as an image for the notification, or null; fetched in main, size-capped. */
  loadArt(url: string): Promise<unknown>;
  settings(): Settings;
  popoverVisible(): boolean;
  onClick(): void;
  stableMs?: number;
}

function trackKey(now: NowPlaying | null): string | null {
  if (!now || (!now.title && !now.container)) return null;
  return [now.title, now.artist, now.album, now.container].join('\u0000');
}

export function notificationText(group: Group): { title: string; body: string } {
  const now = group.nowPlaying!;
  const title = now.title ?? now.container ?? 'Now playing';
  const detail = [now.artist, now.album].filter(Boolean).join(' — ');
  return { title, body: detail ? `${detail} · ${group.name}` : group.name };
}

export class TrackNotifier {
  private readonly shown = new Map<string, string | null>();
  private readonly latest = new Map<string, string | null>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private snapshot: HouseholdSnapshot | null = null;
  /** Electron keeps only a weak reference to a shown notification: hold it, or its click may never arrive. */
  private readonly showing = new Set<NotificationLike>();
  /** The notification on screen for each group (by coordinator). */
  private readonly latestShown = new Map<string, NotificationLike>();

  constructor(private readonly deps: TrackNotifierDeps) {}

  /** Called with the household after every change. Groups are followed by coordinator (group ids change). */
  update(snapshot: HouseholdSnapshot): void {
    this.snapshot = snapshot;
    for (const group of Object.values(snapshot.groups)) {
      const key = group.coordinatorId;
      const track = trackKey(group.nowPlaying);
      if (!this.latest.has(key)) {
        // What plays when we first see a group is not news.
        this.latest.set(key, track);
        this.shown.set(key, track);
        continue;
      }
      if (this.latest.get(key) === track) continue;
      this.latest.set(key, track);
      clearTimeout(this.timers.get(key));
      const timer = setTimeout(() => {
        this.timers.delete(key);
        void this.fire(key);
      }, this.deps.stableMs ?? 1_000);
      timer.unref?.();
      this.timers.set(key, timer);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.showing.clear();
    this.latestShown.clear();
  }

  /** Notifications shown and not yet clicked or closed (kept alive on purpose). */
  get shownCount(): number {
    return this.showing.size;
  }

  private async fire(coordinatorId: string): Promise<void> {
    const track = this.latest.get(coordinatorId) ?? null;
    if (track === null || track === this.shown.get(coordinatorId)) return;
    this.shown.set(coordinatorId, track);
    const group = Object.values(this.snapshot?.groups ?? {}).find((g) => g.coordinatorId === coordinatorId);
    if (!group?.nowPlaying || !this.wanted(group)) return;
    const art = group.nowPlaying.artUrl
      ? await this.deps.loadArt(group.nowPlaying.artUrl).catch(() => null)
      : null;
    const previous = this.latestShown.get(coordinatorId);
    if (previous) {
      this.forget(coordinatorId, previous);
      previous.close();
    }
    const notification = this.deps.createNotification({
      ...notificationText(group),
      silent: true,
      id: `track-${coordinatorId}`,
      groupId: NOTIFICATION_GROUP,
      ...(art ? { icon: art } : {}),
    });
    this.showing.add(notification);
    this.latestShown.set(coordinatorId, notification);
    notification.on('click', () => {
      this.forget(coordinatorId, notification);
      this.deps.onClick();
    });
    notification.on('close', () => this.forget(coordinatorId, notification));
    // An unsigned macOS build, or a user who turned notifications off: nothing was shown, nothing to hold.
    notification.on('failed', () => this.forget(coordinatorId, notification));
    notification.show();
  }

  private forget(coordinatorId: string, notification: NotificationLike): void {
    this.showing.delete(notification);
    if (this.latestShown.get(coordinatorId) === notification) this.latestShown.delete(coordinatorId);
  }

  private wanted(group: Group): boolean {
    const { notifications } = this.deps.settings();
    if (!notifications.enabled || this.deps.popoverVisible()) return false;
    if (group.playback !== 'playing' && group.playback !== 'buffering') return false;
    return (
      notifications.playerIds === null || group.playerIds.some((id) => notifications.playerIds!.includes(id))
    );
  }
}
