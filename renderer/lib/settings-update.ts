/** How main applies a `SettingsUpdate`, for showing a change before main confirms it. */
import type { Settings, SettingsUpdate } from '../../main/contract/model';

/** `settings` with `update` applied the way main applies it: nested objects merge one level deep. */
export function withUpdate(settings: Settings, update: SettingsUpdate): Settings {
  const { hotkeys, notifications, updates, ...flat } = update;
  const given = Object.fromEntries(
    Object.entries(flat).filter(([, value]) => value !== undefined),
  ) as Partial<Settings>;
  return {
    ...settings,
    ...given,
    hotkeys: {
      volumeUp: hotkeys?.volumeUp === undefined ? settings.hotkeys.volumeUp : hotkeys.volumeUp,
      volumeDown: hotkeys?.volumeDown === undefined ? settings.hotkeys.volumeDown : hotkeys.volumeDown,
    },
    notifications: {
      enabled: notifications?.enabled ?? settings.notifications.enabled,
      playerIds:
        notifications?.playerIds === undefined ? settings.notifications.playerIds : notifications.playerIds,
    },
    updates: {
      automatic: updates?.automatic ?? settings.updates.automatic,
      prerelease: updates?.prerelease ?? settings.updates.prerelease,
    },
  };
}
