/**
 * The attacks of the security review, on loopback: a device on the LAN answers discovery as a player of its own
 * household and then sends `groups` frames about ours. A socket speaks only for the household its player was found
 * in; addresses a player reports are used only when they point somewhere a speaker can be.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HouseholdModel } from '../../../main/core/household/household-model';
import { createLogger, type LogRecord } from '../../../main/core/logger';
import { LocalNetwork } from '../../../main/core/sonos/local/local-network';
import { memoryPinStore, TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { loopbackLookup } from '../../support/loopback-lookup';
import { startHarness, type Harness } from '../../support/core-harness';
import { startRawPlayer, type RawPlayer } from '../../support/raw-player';

const ROGUE = 'RINCON_R0GUE0000000001400';
const ROGUE_HH = 'Sonos_RogueHousehold.RogueSuffix';

const groupsFrame = (householdId: string, body: { groups: object[]; players: object[] }): string =>
  JSON.stringify([
    { namespace: 'groups:1', householdId, locationId: 'lc_x', name: 'groups', type: 'groups' },
    { _objectType: 'groups', partial: false, ...body },
  ]);

let harness: Harness | null = null;
const raws: RawPlayer[] = [];
const networks: LocalNetwork[] = [];
afterEach(async () => {
  for (const network of networks.splice(0)) network.stop();
  await Promise.all(raws.splice(0).map((r) => r.close()));
  await harness?.stop();
  harness = null;
});

describe('a player’s socket speaks only for its own household', () => {
  it('a device of another household can neither empty our household nor redirect our commands', async () => {
    harness = await startHarness({ players: 2, groups: '1+2' });
    const { sim, controller, logs } = harness;
    const before = await controller.whenComplete(5_000);
    const [a, b] = sim.players;
    const group = Object.values(before.groups)[0]!;
    const rogue = await startRawPlayer({ autoPong: true });
    raws.push(rogue);
    // What discovery reports after the device answered /players/local/info as a player of its own household.
    controller.network.addPlayer({
      playerId: ROGUE,
      householdId: ROGUE_HH,
      websocketUrl: rogue.url,
      name: 'X',
    });
    await vi.waitFor(() => expect(rogue.sockets()).toHaveLength(1));

    // 1. Our household, emptied.
    rogue.broadcast(groupsFrame(sim.householdId, { groups: [], players: [] }));
    // 2. Our players, at the rogue's address.
    rogue.broadcast(
      groupsFrame(sim.householdId, {
        groups: [{ id: group.id, name: group.name, coordinatorId: a!.id, playerIds: [a!.id, b!.id] }],
        players: [
          { id: a!.id, name: a!.name, websocketUrl: rogue.url },
          { id: b!.id, name: b!.name, websocketUrl: rogue.url },
        ],
      }),
    );
    // 3. Its own household claiming our players, at its address.
    rogue.broadcast(
      groupsFrame(ROGUE_HH, {
        groups: [{ id: `${ROGUE}:1`, name: 'Mine', coordinatorId: ROGUE, playerIds: [ROGUE, a!.id, b!.id] }],
        players: [
          { id: ROGUE, name: 'X', websocketUrl: rogue.url },
          { id: a!.id, name: 'Stolen', websocketUrl: rogue.url },
          { id: b!.id, name: 'Stolen', websocketUrl: rogue.url },
        ],
      }),
    );
    // Its own household is its own business: that frame was read (its group shows), so the others were too.
    await vi.waitFor(() => expect(controller.model.groupRecord(`${ROGUE}:1`)).toBeDefined());

    const after = controller.snapshot();
    expect(after.groups[group.id]?.playerIds).toEqual([a!.id, b!.id]);
    expect(controller.model.groupRecord(`${ROGUE}:1`)?.playerIds).toEqual([ROGUE]);
    for (const p of [a!, b!]) {
      expect(after.players[p.id]).toMatchObject({ householdId: sim.householdId, connection: 'connected' });
      expect(after.players[p.id]?.name).not.toBe('Stolen');
      expect(controller.network.connectionInfo(p.id)?.address).toBe(p.wss);
    }
    // Commands still go to our speakers, none to the rogue.
    await controller.setGroupVolume(group.id, 33);
    expect(sim.state().groups[0]!.volume).toBe(33);
    expect(rogue.frames.filter((f) => f.includes('setVolume'))).toEqual([]);
    // Dropped and said once, not once per frame.
    const warned = logs.filter((l) => /dropped frames naming another household/.test(l.message));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.fields).toMatchObject({ playerId: ROGUE, householdId: sim.householdId });
    const claimed = logs.filter((l) => /ignored a player listed by another household/.test(l.message));
    expect(claimed.map((l) => l.fields?.listed)).toEqual([a!.id, b!.id]);
  });

  it('ignores volume and playback events about groups and players of another household', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const before = await controller.whenComplete(5_000);
    const group = Object.values(before.groups)[0]!;
    const victim = sim.players[0]!;
    const rogue = await startRawPlayer({ autoPong: true });
    raws.push(rogue);
    controller.network.addPlayer({
      playerId: ROGUE,
      householdId: ROGUE_HH,
      websocketUrl: rogue.url,
      name: 'X',
    });
    await vi.waitFor(() => expect(rogue.sockets()).toHaveLength(1));
    // Headers naming its own household, targets in ours.
    const event = (namespace: string, target: object, body: object): string =>
      JSON.stringify([{ namespace, householdId: ROGUE_HH, name: namespace, ...target }, body]);
    rogue.broadcast(event('groupVolume:1', { groupId: group.id }, { volume: 1, muted: true, fixed: true }));
    rogue.broadcast(event('playerVolume:1', { playerId: victim.id }, { volume: 2, muted: true }));
    rogue.broadcast(event('playback:1', { groupId: group.id }, { playbackState: 'PLAYBACK_STATE_IDLE' }));
    rogue.broadcast(event('playbackMetadata:1', { groupId: group.id }, { streamInfo: 'pwned' }));
    rogue.broadcast(groupsFrame(ROGUE_HH, { groups: [], players: [{ id: ROGUE, name: 'Marker' }] }));
    await vi.waitFor(() => expect(controller.model.playerRecord(ROGUE)?.sonosName).toBe('Marker'));
    const after = controller.snapshot();
    expect(after.groups[group.id]).toMatchObject({
      volume: before.groups[group.id]!.volume,
      muted: before.groups[group.id]!.muted,
      fixedVolume: false,
      playback: before.groups[group.id]!.playback,
      nowPlaying: before.groups[group.id]!.nowPlaying,
    });
    expect(after.players[victim.id]).toMatchObject({
      volume: before.players[victim.id]!.volume,
      muted: false,
    });
  });
});

describe('addresses a player reports in a groups body', () => {
  const HH = 'Sonos_ReportingHousehold.Suffix';
  const REPORTER = 'RINCON_REP0RTER000001400';
  const id = (n: number): string => `RINCON_L1STED00000${n}01400`;

  async function reporterAt(urlOf: (player: RawPlayer) => string, names: Record<string, string> = {}) {
    const reporter = await startRawPlayer({ autoPong: true });
    raws.push(reporter);
    const logs: LogRecord[] = [];
    const model = new HouseholdModel();
    const lookup = loopbackLookup(names);
    const network = new LocalNetwork({
      model,
      trust: new TlsTrust(memoryPinStore()),
      logger: createLogger((r) => logs.push(r), { level: 'debug' }),
      connection: { backoffInitialMs: 5_000, backoffMaxMs: 5_000, lookup },
    });
    networks.push(network);
    network.addPlayer({ playerId: REPORTER, householdId: HH, websocketUrl: urlOf(reporter), name: 'R' });
    await vi.waitFor(() => expect(network.isOpen(REPORTER)).toBe(true));
    return { reporter, network, model, logs };
  }

  const reported = (urls: string[]) =>
    groupsFrame(HH, {
      groups: urls.map((_, n) => ({ id: `${id(n)}:1`, coordinatorId: id(n), playerIds: [id(n)] })),
      players: [
        { id: REPORTER, name: 'R' },
        ...urls.map((websocketUrl, n) => ({ id: id(n), name: `P${n}`, websocketUrl })),
      ],
    });

  it('from a player on loopback: wss to loopback is used; ws, ws+unix, public and names are not', async () => {
    const { reporter, network, model, logs } = await reporterAt((r) => r.url);
    const urls = [
      'ws://127.0.0.1:9/websocket/api',
      'ws+unix:///tmp/tfs-not-a-player.sock',
      'wss://8.8.8.8:1443/websocket/api',
      'wss://speaker.example.test:1443/websocket/api',
      'wss://user:pass@127.0.0.1:9/websocket/api',
      'wss://127.0.0.1:9/websocket/api',
      'wss://[::1]:9/websocket/api',
    ];
    reporter.broadcast(reported(urls));
    await vi.waitFor(() => expect(model.playerRecord(id(6))).toBeDefined());
    for (const n of [0, 1, 2, 3, 4]) {
      expect(model.playerRecord(id(n))?.websocketUrl, urls[n]).toBeNull();
      expect(network.connectionInfo(id(n)), urls[n]).toBeNull();
    }
    for (const n of [5, 6]) {
      expect(model.playerRecord(id(n))?.websocketUrl).toBe(urls[n]);
      expect(network.connectionInfo(id(n))?.address).toBe(urls[n]);
    }
    // Each refusal said once, with the reason.
    const refused = logs.filter((l) => /refused an address/.test(l.message));
    expect(refused).toHaveLength(5);
    reporter.broadcast(reported(urls));
    reporter.broadcast(groupsFrame(HH, { groups: [], players: [{ id: REPORTER, name: 'Again' }] }));
    await vi.waitFor(() => expect(model.playerRecord(REPORTER)?.sonosName).toBe('Again'));
    expect(logs.filter((l) => /refused an address/.test(l.message))).toHaveLength(5);
  });

  it('from a player reached by name (not loopback): loopback is refused, its own address is used', async () => {
    const { reporter, network, model } = await reporterAt(
      (r) => r.url.replace('127.0.0.1', 'speaker.example.test'),
      { 'speaker.example.test': '127.0.0.1' },
    );
    const port = new URL(reporter.url).port;
    const urls = [
      'wss://127.0.0.1:9/websocket/api',
      'wss://localhost:9/websocket/api',
      `wss://speaker.example.test:${port}/websocket/api`,
    ];
    reporter.broadcast(reported(urls));
    await vi.waitFor(() => expect(model.playerRecord(id(2))).toBeDefined());
    expect(model.playerRecord(id(0))?.websocketUrl).toBeNull();
    expect(model.playerRecord(id(1))?.websocketUrl).toBeNull();
    expect(network.connectionInfo(id(0))).toBeNull();
    expect(network.connectionInfo(id(2))?.address).toBe(urls[2]);
  });
});
