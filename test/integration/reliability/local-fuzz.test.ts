/**
 * Fuzz: thousands of malformed, random, truncated and oversized frames from a "player" into our real connection,
 * network and household model. Nothing may crash, no promise may be left rejected, and the household the popover
 * would draw must still be valid against the contract.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HouseholdSnapshotSchema } from '../../../main/contract/model';
import { HouseholdModel } from '../../../main/core/household/household-model';
import { silentLogger } from '../../../main/core/logger';
import { parseFrame } from '../../../main/core/sonos/local/frames';
import { LocalNetwork } from '../../../main/core/sonos/local/local-network';
import { TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { DataStore, memoryBackend } from '../../../main/core/store/data-store';
import { LOCAL_FRAMES, LONG, SEED } from '../../support/fuzz';
import { startRawPlayer, type RawPlayer } from '../../support/raw-player';

const HH = 'Sonos_FuzzHousehold.FuzzSuffix';
const A = 'RINCON_A0000000000001400';
const B = 'RINCON_B0000000000001400';
const GROUP = `${A}:1`;
const CLOSED = 'wss://127.0.0.1:9/websocket/api';

const groupsEvent = (extra: object = {}) =>
  JSON.stringify([
    { namespace: 'groups:1', householdId: HH, locationId: 'lc_x', name: 'groups', type: 'groups' },
    {
      _objectType: 'groups',
      groups: [{ _objectType: 'group', id: GROUP, name: 'Fuzz + 1', coordinatorId: A, playerIds: [A, B] }],
      players: [
        { _objectType: 'player', id: A, name: 'Alpha', websocketUrl: CLOSED },
        { _objectType: 'player', id: B, name: 'Beta', websocketUrl: CLOSED },
      ],
      partial: false,
      ...extra,
    },
  ]);

const NAMESPACES = [
  'groups:1',
  'groupVolume:1',
  'playerVolume:1',
  'playback:1',
  'playbackMetadata:1',
  'global',
  'groups',
  'favorites:1',
  'playlists:1',
  'homeTheater:1',
];
const TYPES = [
  'groups',
  'groupVolume',
  'playerVolume',
  'playbackStatus',
  'metadataStatus',
  'globalError',
  'groupCoordinatorChanged',
  'versionChanged',
  'homeTheaterOptions',
  'none',
];

const text = fc.string({ maxLength: 40 });
/** Names every object inherits: a player or group may be called anything (`toString` once broke the snapshot). */
const PROTO_IDS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
const id = fc.oneof(
  fc.constantFrom(HH, A, B, GROUP, '', ...PROTO_IDS),
  text,
  fc.integer(),
  fc.constant(null),
);
/** Mostly well-typed headers (so frames reach the model), sometimes junk (so the parser is tested too). */
const knownId = fc.constantFrom(HH, A, B, GROUP, `${B}:7`, 'RINCON_UNKNOWN01400', ...PROTO_IDS);
const sane = fc.record(
  {
    namespace: fc.constantFrom(...NAMESPACES),
    householdId: fc.constantFrom(HH, HH, 'Sonos_Other.Household'),
    // Mostly the group and players that exist, so that events reach the model; sometimes ones that do not.
    groupId: fc.oneof({ weight: 3, arbitrary: fc.constant(GROUP) }, { weight: 1, arbitrary: knownId }),
    playerId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(A, B) }, { weight: 1, arbitrary: knownId }),
    type: fc.constantFrom(...TYPES),
    name: fc.constantFrom(...TYPES),
    success: fc.boolean(),
  },
  { requiredKeys: ['namespace'] },
);
const junk = fc.record(
  {
    namespace: fc.oneof(fc.constantFrom(...NAMESPACES), text, fc.integer()),
    householdId: id,
    groupId: id,
    playerId: id,
    cmdId: fc.oneof(text, fc.nat(), fc.constant(null)),
    type: fc.oneof(fc.constantFrom(...TYPES), text),
    name: fc.oneof(fc.constantFrom(...TYPES), text),
    success: fc.oneof(fc.boolean(), text),
    response: fc.oneof(fc.constant('subscribe'), text),
  },
  { requiredKeys: [] },
);
const header = fc.oneof({ weight: 4, arbitrary: sane }, { weight: 1, arbitrary: junk });
const value = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  text,
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const somePlayers = fc.array(
  fc.record({
    id: knownId,
    name: fc.option(text, { nil: undefined }),
    websocketUrl: fc.constantFrom(CLOSED, 'nonsense', undefined),
  }),
  { maxLength: 4 },
);
const groupsBody = fc.record({
  groups: fc.array(
    fc.record({
      id: knownId,
      name: fc.option(text, { nil: undefined }),
      coordinatorId: knownId,
      playerIds: fc.array(knownId, { maxLength: 4 }),
    }),
    { maxLength: 3 },
  ),
  // Usually the household still holds the player we talk to; now and then it does not (it was removed).
  players: fc.oneof(
    {
      weight: 9,
      arbitrary: somePlayers.map((list) => [{ id: A, name: 'Alpha', websocketUrl: CLOSED }, ...list]),
    },
    { weight: 1, arbitrary: somePlayers },
  ),
});
const body = fc.oneof(
  groupsBody,
  fc.record(
    {
      volume: value,
      muted: value,
      fixed: value,
      playbackState: fc.oneof(
        fc.constantFrom('PLAYBACK_STATE_PLAYING', 'PLAYBACK_STATE_PAUSED', 'WHAT'),
        value,
      ),
      positionMillis: value,
      availablePlaybackActions: fc.oneof(fc.dictionary(text, value), value),
      playModes: fc.oneof(
        fc.dictionary(fc.constantFrom('repeat', 'repeatOne', 'shuffle', 'crossfade'), value),
        value,
      ),
      version: value,
      nightMode: value,
      enhanceDialog: value,
      currentItem: fc.oneof(
        fc.record({
          track: fc.dictionary(
            fc.constantFrom('name', 'artist', 'album', 'imageUrl', 'durationMillis'),
            value,
          ),
        }),
        value,
      ),
      container: fc.oneof(fc.dictionary(fc.constantFrom('name', 'type', 'imageUrl'), value), value),
      streamInfo: value,
      groups: fc.oneof(
        fc.array(
          fc.record({ id, coordinatorId: id, playerIds: fc.oneof(fc.array(id), value), name: value }),
          { maxLength: 3 },
        ),
        value,
      ),
      players: fc.oneof(
        fc.array(
          fc.record({
            id,
            name: value,
            websocketUrl: fc.constantFrom(CLOSED, 'nonsense', 42),
            capabilities: fc.oneof(fc.constant(['PLAYBACK', 'HT_PLAYBACK']), value),
          }),
          { maxLength: 3 },
        ),
        value,
      ),
      errorCode: fc.oneof(fc.constantFrom('ERROR_NO_PERMISSION', 'ERROR_INVALID_PARAMETER'), text),
      groupStatus: fc.oneof(fc.constantFrom('GROUP_STATUS_MOVED', 'GROUP_STATUS_GONE'), text),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const frame = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(header, body).map((f) => JSON.stringify(f)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(header, body)
      .map((f) => JSON.stringify(f))
      .chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.jsonValue().map((j) => JSON.stringify(j)) },
  { weight: 1, arbitrary: fc.tuple(header, body, body).map((f) => JSON.stringify(f)) },
);

describe(`fuzz: ${LOCAL_FRAMES} bad frames from a player`, () => {
  let player: RawPlayer;
  let network: LocalNetwork;
  let model: HouseholdModel;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  /** What discovery does when it finds the player (again). */
  const discover = (): void =>
    network.addPlayer({ playerId: A, householdId: HH, websocketUrl: player.url, name: 'Alpha' });

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    player = await startRawPlayer({ autoPong: true });
    // The app's store behind nicknames and pins, with a nickname set for one of the odd ids.
    const store = new DataStore(memoryBackend());
    store.setNickname('valueOf', 'Odd but named');
    model = new HouseholdModel({ nickname: (id) => store.nickname(id) });
    network = new LocalNetwork({
      model,
      trust: new TlsTrust(store),
      logger: silentLogger,
      connection: { backoffInitialMs: 20, backoffMaxMs: 100, commandTimeoutMs: 500 },
    });
    discover();
    await vi.waitFor(() => expect(player.sockets().length).toBe(1));
    player.broadcast(groupsEvent());
    await vi.waitFor(() => expect(model.group(GROUP)).not.toBeNull());
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    network.stop();
    await player.close();
  });

  it('parseFrame never throws on anything', () => {
    fc.assert(
      fc.property(frame, (text) => {
        parseFrame(text);
      }),
      { numRuns: LOCAL_FRAMES, seed: SEED },
    );
  });

  it(
    'the connection, network and model survive them all and the household stays valid',
    async () => {
      const frames = fc.sample(frame, { numRuns: LOCAL_FRAMES, seed: SEED });
      const broken: string[] = [];
      // Count what reaches the model, to be sure the fuzz goes deeper than the parser.
      const reached: Record<string, number> = {};
      for (const name of [
        'applyGroups',
        'applyGroupVolume',
        'applyPlayerVolume',
        'applyPlayback',
        'applyNowPlaying',
      ] as const) {
        const original = (model[name] as (...args: unknown[]) => unknown).bind(model);
        (model as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
          reached[name] = (reached[name] ?? 0) + 1;
          return original(...args);
        };
      }
      // A few oversized frames and binary ones too (not thousands: they are megabytes).
      frames.push(
        `[{"namespace":"groupVolume:1","groupId":"${GROUP}"},{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}]`,
      );
      frames.push(
        `[{"namespace":"groupVolume:1","groupId":"${GROUP}"},{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}]`,
      );
      for (let i = 0; i < frames.length; i += 100) {
        // The socket may close (an oversized frame), and a fuzzed groups list may drop the player from its own
        // household (we then let go of it); discovery finding it again is what brings it back.
        discover();
        await vi.waitFor(() => expect(player.sockets().length).toBeGreaterThan(0), { timeout: 5_000 });
        // Each batch starts from the real household, so that events about its group and players reach the model
        // (a fuzzed groups list soon replaces them with groups that events rarely name).
        player.broadcast(groupsEvent());
        for (const text of frames.slice(i, i + 100)) player.broadcast(text);
        for (const socket of player.sockets()) socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
        await new Promise((resolve) => setImmediate(resolve));
        // The popover may ask at any moment: the household must be valid after every batch, not just at the end.
        const midway = v.safeParse(HouseholdSnapshotSchema, model.snapshot());
        if (!midway.success) broken.push(`batch ${i / 100}: ${midway.issues[0]?.message ?? ''}`);
      }
      expect(broken).toEqual([]);
      // A sane world afterwards. A fuzzed groups list may have dropped the player from its own household (we then
      // let go of it, as we should); discovery finding it again brings it back.
      discover();
      await vi.waitFor(() => expect(network.isOpen(A)).toBe(true), { timeout: 5_000 });
      // Sent until applied: the socket may still be catching up or reconnecting after an oversized frame.
      await vi.waitFor(
        () => {
          player.broadcast(groupsEvent());
          player.broadcast(
            JSON.stringify([
              {
                namespace: 'groupVolume:1',
                householdId: HH,
                groupId: GROUP,
                name: 'groupVolume',
                type: 'groupVolume',
              },
              { _objectType: 'groupVolume', volume: 42, muted: false, fixed: false },
            ]),
          );
          expect(model.group(GROUP)?.volume).toBe(42);
        },
        { timeout: 10_000, interval: 200 },
      );
      // Most bad frames stop at the parser, as they should; enough must get through to exercise the model too.
      const total = Object.values(reached).reduce((sum, n) => sum + n, 0);
      expect(total).toBeGreaterThan(LOCAL_FRAMES / 50);
      for (const name of [
        'applyGroups',
        'applyGroupVolume',
        'applyPlayerVolume',
        'applyPlayback',
        'applyNowPlaying',
      ]) {
        expect(reached[name] ?? 0, name).toBeGreaterThan(0);
      }
      const snapshot = model.snapshot();
      const check = v.safeParse(HouseholdSnapshotSchema, snapshot);
      expect(check.issues?.map((i) => i.message) ?? []).toEqual([]);
      expect(model.player(A)?.name).toBe('Alpha');
      // Every player the model holds is in the snapshot as its own entry, odd names included.
      expect(Object.keys(snapshot.players).sort()).toEqual(model.playerIds().sort());
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(unhandled).toEqual([]);
    },
    LONG ? 600_000 : 120_000,
  );
});
