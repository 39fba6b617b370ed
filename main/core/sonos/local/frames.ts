/**
 * Frames on the local websocket are JSON arrays `[header, body]`. Real players are loose with types (ids and
 * versions are sometimes numbers) and add fields over time, so parsing is lenient about extras and strict about
 * what we use. Anything malformed becomes `null` for the caller to log and drop — never an exception.
 */
import * as v from 'valibot';
import { baseNamespace } from '../constants';

/** A string, or a number players sometimes send instead. */
const Text = v.pipe(v.union([v.string(), v.number()]), v.transform(String));

export const HeaderSchema = v.looseObject({
  namespace: v.string(),
  householdId: v.optional(Text),
  locationId: v.optional(Text),
  groupId: v.optional(Text),
  playerId: v.optional(Text),
  cmdId: v.optional(Text),
  response: v.optional(v.string()),
  command: v.optional(v.string()),
  success: v.optional(v.boolean()),
  type: v.optional(v.string()),
  name: v.optional(v.string()),
});
export type Header = v.InferOutput<typeof HeaderSchema>;

export interface ParsedFrame {
  kind: 'reply' | 'event';
  /** Namespace without its version suffix (`groupVolume`), for matching. */
  namespace: string;
  header: Header;
  body: Record<string, unknown>;
}

/** Biggest frame we accept; a groups body for a large household is ~100 KB. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export function parseFrame(data: string): ParsedFrame | null {
  if (data.length > MAX_FRAME_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (!Array.isArray(json) || json.length < 1 || json.length > 2) return null;
  const header = v.safeParse(HeaderSchema, json[0]);
  if (!header.success) return null;
  const rawBody: unknown = json[1] ?? {};
  if (typeof rawBody !== 'object' || rawBody === null || Array.isArray(rawBody)) return null;
  const h = header.output;
  // Replies carry `success` and `response`; events carry `name`. Errors come back in the `global` namespace.
  const kind = h.success !== undefined || h.response !== undefined ? 'reply' : 'event';
  return { kind, namespace: baseNamespace(h.namespace), header: h, body: rawBody as Record<string, unknown> };
}

export interface CommandTarget {
  householdId: string;
  groupId?: string;
  playerId?: string;
}

export function encodeCommand(
  namespace: string,
  command: string,
  target: CommandTarget,
  cmdId: string,
  body: Record<string, unknown> = {},
): string {
  const header: Record<string, string> = { namespace, command, householdId: target.householdId, cmdId };
  if (target.groupId !== undefined) header.groupId = target.groupId;
  if (target.playerId !== undefined) header.playerId = target.playerId;
  return JSON.stringify([header, body]);
}

// -------------------------------------------------------------------------------------------------------------
// Bodies we read. Loose objects: unknown fields are kept out of the way, not rejected.

const Bool = v.boolean();
const Num = v.pipe(v.number(), v.finite());

export const VolumeBodySchema = v.looseObject({
  volume: v.pipe(
    Num,
    v.transform((n) => Math.min(100, Math.max(0, Math.round(n)))),
  ),
  muted: v.optional(Bool),
  fixed: v.optional(Bool),
});

export const PlaybackStatusBodySchema = v.looseObject({
  playbackState: v.string(),
  positionMillis: v.optional(Num),
  playModes: v.optional(
    v.looseObject({
      repeat: v.optional(Bool),
      repeatOne: v.optional(Bool),
      shuffle: v.optional(Bool),
      crossfade: v.optional(Bool),
    }),
  ),
  availablePlaybackActions: v.optional(
    v.looseObject({
      canPlay: v.optional(Bool),
      canPause: v.optional(Bool),
      canSkip: v.optional(Bool),
      canSkipBack: v.optional(Bool),
      canSkipToPrevious: v.optional(Bool),
      canSeek: v.optional(Bool),
      canShuffle: v.optional(Bool),
      canRepeat: v.optional(Bool),
      canRepeatOne: v.optional(Bool),
      canCrossfade: v.optional(Bool),
    }),
  ),
});

const NamedSchema = v.looseObject({ name: v.optional(v.string()) });
const ImageSchema = v.looseObject({ url: v.optional(v.string()) });
const ServiceSchema = v.looseObject({ name: v.optional(v.string()), id: v.optional(Text) });

export const TrackSchema = v.looseObject({
  name: v.optional(v.string()),
  type: v.optional(v.string()),
  imageUrl: v.optional(v.string()),
  images: v.optional(v.array(ImageSchema)),
  album: v.optional(NamedSchema),
  artist: v.optional(NamedSchema),
  service: v.optional(ServiceSchema),
  durationMillis: v.optional(Num),
});

export const ContainerSchema = v.looseObject({
  name: v.optional(v.string()),
  type: v.optional(v.string()),
  imageUrl: v.optional(v.string()),
  images: v.optional(v.array(ImageSchema)),
  service: v.optional(ServiceSchema),
});

export const MetadataStatusBodySchema = v.looseObject({
  container: v.optional(ContainerSchema),
  currentItem: v.optional(v.looseObject({ track: v.optional(TrackSchema) })),
  streamInfo: v.optional(v.string()),
});

export const GroupsBodySchema = v.looseObject({
  groups: v.array(
    v.looseObject({
      id: Text,
      name: v.optional(v.string()),
      coordinatorId: Text,
      playerIds: v.array(Text),
      playbackState: v.optional(v.string()),
    }),
  ),
  players: v.array(
    v.looseObject({
      id: Text,
      name: v.optional(v.string()),
      websocketUrl: v.optional(v.string()),
      softwareVersion: v.optional(Text),
      apiVersion: v.optional(Text),
      capabilities: v.optional(v.array(v.string())),
    }),
  ),
});

export const GlobalErrorBodySchema = v.looseObject({
  errorCode: v.string(),
  reason: v.optional(v.string()),
  /** `playerSetError` (a regroup refused) names the players it is about. */
  playerIds: v.optional(v.array(Text)),
});

/** `favoritesList` (rest.favorites.json): `version` is a string; items need only `id` and `name`. */
export const FavoritesBodySchema = v.looseObject({
  version: v.optional(Text),
  items: v.array(
    v.looseObject({
      id: Text,
      name: v.string(),
      description: v.optional(v.string()),
      imageUrl: v.optional(v.string()),
      images: v.optional(v.array(ImageSchema)),
      service: v.optional(ServiceSchema),
    }),
  ),
});

/** `playlistsList` from Sonos' OpenAPI description: `{version, playlists[{id, name, type, trackCount}]}`. */
export const PlaylistsBodySchema = v.looseObject({
  version: v.optional(Text),
  playlists: v.array(
    v.looseObject({
      id: Text,
      name: v.string(),
      type: v.optional(v.string()),
      trackCount: v.optional(Num),
    }),
  ),
});

/** `versionChanged` events of `favorites:1` and `playlists:1` carry only the new version. */
export const VersionChangedBodySchema = v.looseObject({ version: Text });

export const HomeTheaterBodySchema = v.looseObject({
  nightMode: v.optional(Bool),
  enhanceDialog: v.optional(Bool),
});

export const CoordinatorChangedBodySchema = v.looseObject({
  groupStatus: v.string(),
  groupName: v.optional(v.string()),
  websocketUrl: v.optional(v.string()),
  playerId: v.optional(Text),
});

export const LocalInfoSchema = v.looseObject({
  householdId: Text,
  playerId: Text,
  groupId: v.optional(Text),
  websocketUrl: v.optional(v.string()),
  restUrl: v.optional(v.string()),
  device: v.optional(
    v.looseObject({
      name: v.optional(v.string()),
      modelDisplayName: v.optional(v.string()),
      softwareVersion: v.optional(Text),
    }),
  ),
});
export type LocalInfo = v.InferOutput<typeof LocalInfoSchema>;

export function readBody<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> | null {
  const result = v.safeParse(schema, body);
  return result.success ? result.output : null;
}
