/**
 * Album art for track notifications, through the same art proxy as the popover (main/core/art): a notification
 * shows the art of a group, so the rules of that group's coordinator apply (its own address for http art, the
 * public internet for https).
 */
import type { ArtImage, ArtProxy, ArtSource } from '../core/art/art-proxy';
import type { Controller } from '../core/controller';

/** The coordinator of the group now showing `url`, as the source the proxy judges the URL by. */
export function artSourceFor(
  controller: Pick<Controller, 'snapshot' | 'playerHost'>,
  url: string,
): ArtSource {
  const group = Object.values(controller.snapshot().groups).find((g) => g.nowPlaying?.artUrl === url);
  return group
    ? { playerId: group.coordinatorId, host: controller.playerHost(group.coordinatorId) }
    : { playerId: null, host: null };
}

export function loadNotificationArt(
  art: Pick<ArtProxy, 'fetch'>,
  controller: Pick<Controller, 'snapshot' | 'playerHost'>,
  url: string,
): Promise<ArtImage | null> {
  return art.fetch(url, artSourceFor(controller, url));
}
