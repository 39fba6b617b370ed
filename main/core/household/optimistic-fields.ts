/**
 * Values the user can set, each with what we show, what the player last confirmed, and an optimistic hold: a value
 * the user just chose is shown until the player echoes it or a grace period ends, so a slider does not jump back to
 * an intermediate value while commands are still landing, and a failure brings the confirmed value back at once.
 */
import type { PlaybackState, RepeatMode } from '../../contract/model';

export type GroupFieldKind = 'groupVolume' | 'groupMuted' | 'playback' | 'shuffle' | 'repeat' | 'crossfade';
export type PlayerFieldKind = 'playerVolume' | 'playerMuted' | 'nightMode' | 'enhanceDialog';
export type FieldKind = GroupFieldKind | PlayerFieldKind;
export type FieldValue = number | boolean | PlaybackState | RepeatMode;

export const GROUP_FIELDS: readonly GroupFieldKind[] = [
  'groupVolume',
  'groupMuted',
  'playback',
  'shuffle',
  'repeat',
  'crossfade',
];
export const PLAYER_FIELDS: readonly PlayerFieldKind[] = [
  'playerVolume',
  'playerMuted',
  'nightMode',
  'enhanceDialog',
];

export function isPlayerField(kind: FieldKind): kind is PlayerFieldKind {
  return (PLAYER_FIELDS as readonly string[]).includes(kind);
}

interface Field<T> {
  shown: T;
  confirmed: T;
  hold: { target: T; token: number; releasedAt: number | null; timer: NodeJS.Timeout | null } | null;
}

export interface OptimisticFieldsOptions {
  now: () => number;
  /** How long a released hold waits for the player's echo before showing the last confirmed value. */
  holdGraceMs: number;
  /** The shown value of a field changed (`previous` is what was shown before; undefined if nothing was). */
  changed: (kind: FieldKind, id: string, previous: unknown) => void;
}

export class OptimisticFields {
  private readonly fields = new Map<string, Field<unknown>>();
  private tokens = 0;

  constructor(private readonly options: OptimisticFieldsOptions) {}

  has(kind: FieldKind, id: string): boolean {
    return this.fields.has(`${kind}:${id}`);
  }

  shown<T>(kind: FieldKind, id: string): T | undefined {
    return this.fields.get(`${kind}:${id}`)?.shown as T | undefined;
  }

  confirmed<T>(kind: FieldKind, id: string): T | undefined {
    return this.fields.get(`${kind}:${id}`)?.confirmed as T | undefined;
  }

  /**
   * Shows `value` now and keeps showing it while commands land. Returns the hold's token: only a release with it
   * ends this hold, so an older intent finishing cannot end a newer intent's hold on the same field.
   */
  hold<T>(kind: FieldKind, id: string, value: T): number {
    const key = `${kind}:${id}`;
    const existing = this.fields.get(key) as Field<T> | undefined;
    const previous = existing?.shown;
    const field = existing ?? { shown: value, confirmed: value, hold: null };
    if (field.hold?.timer) clearTimeout(field.hold.timer);
    const token = ++this.tokens;
    field.hold = { target: value, token, releasedAt: null, timer: null };
    field.shown = value;
    this.fields.set(key, field as Field<unknown>);
    this.options.changed(kind, id, previous);
    return token;
  }

  /**
   * The last command for this value finished. On success the held value stays until the player echoes it (or the
   * grace period ends); on failure the last confirmed value comes back at once.
   */
  release(kind: FieldKind, id: string, succeeded: boolean, token?: number): void {
    const field = this.fields.get(`${kind}:${id}`);
    if (!field?.hold) return;
    if (token !== undefined && field.hold.token !== token) return;
    if (field.hold.timer) clearTimeout(field.hold.timer);
    if (!succeeded || field.confirmed === field.hold.target) {
      field.hold = null;
      this.showConfirmed(kind, id, field);
      return;
    }
    field.hold.releasedAt = this.options.now();
    const timer = setTimeout(() => {
      if (!field.hold || field.hold.releasedAt === null) return;
      field.hold = null;
      this.showConfirmed(kind, id, field);
    }, this.options.holdGraceMs);
    timer.unref?.();
    field.hold.timer = timer;
  }

  /** What the player says now. While held, only the player's echo of the final value ends the hold. */
  confirm<T>(kind: FieldKind, id: string, value: T): void {
    const key = `${kind}:${id}`;
    const field = this.fields.get(key) as Field<T> | undefined;
    if (!field) {
      this.fields.set(key, { shown: value, confirmed: value, hold: null });
      this.options.changed(kind, id, undefined);
      return;
    }
    field.confirmed = value;
    if (field.hold) {
      if (field.hold.releasedAt === null || value !== field.hold.target) return;
      if (field.hold.timer) clearTimeout(field.hold.timer);
      field.hold = null;
    }
    if (field.shown !== value) {
      const previous = field.shown;
      field.shown = value;
      this.options.changed(kind, id, previous);
    }
  }

  /** A regrouped group's new id takes over its fields; a command still on its way keeps its hold. */
  carry(kinds: readonly FieldKind[], from: string, to: string): void {
    for (const kind of kinds) {
      const field = this.fields.get(`${kind}:${from}`);
      if (!field) continue;
      this.fields.set(`${kind}:${to}`, {
        shown: field.shown,
        confirmed: field.confirmed,
        hold:
          field.hold && field.hold.releasedAt === null
            ? { target: field.hold.target, token: field.hold.token, releasedAt: null, timer: null }
            : null,
      });
    }
  }

  drop(kinds: readonly FieldKind[], id: string): void {
    for (const kind of kinds) {
      const field = this.fields.get(`${kind}:${id}`);
      if (field?.hold?.timer) clearTimeout(field.hold.timer);
      this.fields.delete(`${kind}:${id}`);
    }
  }

  dispose(): void {
    for (const field of this.fields.values()) if (field.hold?.timer) clearTimeout(field.hold.timer);
  }

  private showConfirmed(kind: FieldKind, id: string, field: Field<unknown>): void {
    if (field.shown === field.confirmed) return;
    const previous = field.shown;
    field.shown = field.confirmed;
    this.options.changed(kind, id, previous);
  }
}
