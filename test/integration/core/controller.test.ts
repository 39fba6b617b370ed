import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdSnapshot } from '../../../main/contract/model';
import { Controller } from '../../../main/core/controller';
import { AppError } from '../../../main/core/errors';
import { silentLogger } from '../../../main/core/logger';
import type { PlayerInfo } from '../../../main/core/sonos/local/player-info';
import { DataStore, memoryBackend } from '../../../main/core/store/data-store';
import { simGroupOf, simPlayer, startHarness, type Harness } from '../../support/core-harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

const groupWith = (snapshot: HouseholdSnapshot, playerId: string) =>
  Object.values(snapshot.groups).find((g) => g.playerIds.includes(playerId))!;

describe('core against the simulator: the household', () => {
  it('is complete without waiting for a group whose speaker is switched off', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3' });
    const { sim, controller } = harness;
    const away = sim.players[2]!.id;
    await sim.control.takeOffline(away);
    const snapshot = await controller.whenComplete(4_000);
    expect(snapshot.players[away]?.connection).toBe('offline');
    const reachable = groupWith(snapshot, sim.players[0]!.id);
    expect(reachable.volume).not.toBeNull();
  });

  it('builds the whole household from one typed address', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const state = sim.state();
    expect(Object.keys(snapshot.players).sort()).toEqual(state.players.map((p) => p.id).sort());
    expect(Object.keys(snapshot.groups).sort()).toEqual(state.groups.map((g) => g.id).sort());
    for (const g of state.groups) {
      expect(snapshot.groups[g.id]).toMatchObject({
        name: g.name,
        coordinatorId: g.coordinatorId,
        volume: g.volume,
        muted: g.muted,
        playback: 'playing',
      });
      expect(snapshot.groups[g.id]!.nowPlaying?.title).toBeTruthy();
    }
    for (const p of state.players) {
      expect(snapshot.players[p.id]).toMatchObject({
        name: p.name,
        volume: p.volume,
        connection: 'connected',
      });
    }
    expect(snapshot.households[sim.householdId]).toMatchObject({ transport: 'local' });
  });

  it('sees another controller’s changes as events', async () => {
    harness = await startHarness({ players: 2, groups: '1+2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const [first] = sim.players;
    const group = groupWith(snapshot, first!.id);
    sim.control.setPlayerVolume(first!.id, 61);
    sim.control.setGroupVolume(group.id, 44);
    sim.control.playback(group.id, 'pause');
    await vi.waitFor(() => {
      const now = controller.snapshot();
      expect(now.groups[group.id]).toMatchObject({ volume: 44, playback: 'paused' });
    });
    // The group change scaled members; the player volume we see is the player's, not our guess.
    await vi.waitFor(() =>
      expect(controller.snapshot().players[first!.id]!.volume).toBe(simPlayer(sim, first!.id).volume),
    );
  });
});

describe('core against the simulator: every command', () => {
  it('group volume (absolute and relative), mute and player volume land on the players', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const [a, b, c] = sim.players;
    const pair = groupWith(snapshot, a!.id);

    await controller.setGroupVolume(pair.id, 42);
    expect(simGroupOf(sim, a!.id).volume).toBe(42);
    await controller.adjustGroupVolume(pair.id, -2);
    expect(simGroupOf(sim, a!.id).volume).toBe(40);
    await controller.setGroupMute(pair.id, true);
    expect(simGroupOf(sim, a!.id).muted).toBe(true);
    await controller.setGroupVolume(pair.id, 41);
    expect(simGroupOf(sim, a!.id).muted).toBe(false);

    await controller.setPlayerVolume(b!.id, 17);
    expect(simPlayer(sim, b!.id).volume).toBe(17);
    await controller.adjustPlayerVolume(c!.id, 3);
    expect(simPlayer(sim, c!.id).volume).toBe(snapshot.players[c!.id]!.volume! + 3);
    await controller.setPlayerMute(c!.id, true);
    expect(simPlayer(sim, c!.id).muted).toBe(true);
    await vi.waitFor(() => expect(controller.snapshot().players[c!.id]!.muted).toBe(true));
  });

  it('play, pause, toggle, next and previous change the player', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const group = Object.values(snapshot.groups)[0]!;
    await controller.playback(group.id, 'pause');
    expect(simGroupOf(sim, group.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PAUSED');
    await controller.playback(group.id, 'play');
    expect(simGroupOf(sim, group.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PLAYING');
    await controller.playback(group.id, 'togglePlayPause');
    expect(simGroupOf(sim, group.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PAUSED');
    await controller.playback(group.id, 'togglePlayPause');
    expect(simGroupOf(sim, group.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PLAYING');

    const before = simGroupOf(sim, group.coordinatorId).track?.name;
    await controller.playback(group.id, 'skipToNextTrack');
    const after = simGroupOf(sim, group.coordinatorId).track?.name;
    expect(after).not.toBe(before);
    await vi.waitFor(() => expect(controller.snapshot().groups[group.id]!.nowPlaying?.title).toBe(after));
    await controller.playback(group.id, 'skipToPreviousTrack');
    expect(simGroupOf(sim, group.coordinatorId).track?.name).toBe(before);
  });

  it('says clearly when a target does not exist', async () => {
    harness = await startHarness({ players: 1 });
    await harness.controller.whenComplete(5_000);
    await expect(harness.controller.setGroupVolume('RINCON_NOPE:1', 5)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(harness.controller.setPlayerMute('RINCON_NOPE', true)).rejects.toBeInstanceOf(AppError);
  });
});

describe('core against the simulator: coalescing', () => {
  it('120 slider values in 2 s against a player that holds back: the last value lands, one in flight', async () => {
    harness = await startHarness({ players: 2, groups: '1+2', holdBackMs: 260, applyDelayMs: 21 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const group = Object.values(snapshot.groups)[0]!;
    const received: number[] = [];
    sim.onCommand((command) => {
      if (command.namespace.startsWith('groupVolume') && command.command === 'setVolume') {
        received.push(Number(command.body.volume));
      }
    });
    const values = Array.from({ length: 120 }, (_, i) => Math.round(50 + 40 * Math.sin(i / 9)));
    const pending: Promise<void>[] = [];
    for (const value of values) {
      pending.push(controller.setGroupVolume(group.id, value));
      // The slider shows the user's value at once.
      expect(controller.snapshot().groups[group.id]!.volume).toBe(value);
      await new Promise((resolve) => setTimeout(resolve, 1000 / 60));
    }
    await Promise.all(pending);
    // Like hardware, the player applies a volume ~21 ms after it acknowledges it.
    await vi.waitFor(() => expect(simGroupOf(sim, group.coordinatorId).volume).toBe(values.at(-1)));
    expect(received.at(-1), `received ${received.join(',')}`).toBe(values.at(-1));
    expect(received.length).toBeLessThan(20);
    expect(controller.stats().maxInFlight).toBe(1);
    await vi.waitFor(() => expect(controller.snapshot().groups[group.id]!.volume).toBe(values.at(-1)));
  });
});

describe('core against the simulator: faults', () => {
  it('a dropped socket reconnects, resubscribes and keeps up with changes', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [a, b] = sim.players;
    sim.control.dropSockets(a!.id);
    sim.control.dropSockets(b!.id);
    await vi.waitFor(() => expect(simPlayer(sim, a!.id).openSockets).toBeGreaterThan(0));
    await vi.waitFor(() => expect(controller.snapshot().players[a!.id]!.connection).toBe('connected'));
    sim.control.setPlayerVolume(a!.id, 77);
    sim.control.setPlayerVolume(b!.id, 66);
    await vi.waitFor(() => {
      const players = controller.snapshot().players;
      expect(players[a!.id]!.volume).toBe(77);
      expect(players[b!.id]!.volume).toBe(66);
    });
  });

  it('a speaker whose socket drops is looked for again (it may have a new address)', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const rescans = vi.spyOn(controller.discovery, 'rescan');
    sim.control.dropSockets(sim.players[0]!.id);
    await vi.waitFor(() => expect(rescans).toHaveBeenCalled());
  });

  it('a moved coordinator re-routes the command once and it lands', async () => {
    harness = await startHarness({ players: 2, groups: '1+2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const [a, b] = sim.players;
    const group = groupWith(snapshot, a!.id);
    const newId = sim.control.moveCoordinator(group.id, b!.id);
    await controller.setGroupVolume(group.id, 23);
    expect(sim.state().groups.find((g) => g.id === newId)!.volume).toBe(23);
    await vi.waitFor(() =>
      expect(controller.snapshot().groups[newId]).toMatchObject({ coordinatorId: b!.id, volume: 23 }),
    );
    expect(controller.snapshot().groups[group.id]).toBeUndefined();
  });

  it('a regroup gives new ids; the popover follows and commands use the new ids', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3' });
    const { sim, controller } = harness;
    const before = await controller.whenComplete(5_000);
    const ids = sim.control.regroup('1,2+3');
    await vi.waitFor(() => expect(Object.keys(controller.snapshot().groups).sort()).toEqual([...ids].sort()));
    const after = controller.snapshot();
    for (const id of Object.keys(before.groups)) expect(after.groups[id]).toBeUndefined();
    const [, b, c] = sim.players;
    const pair = groupWith(after, b!.id);
    expect(pair.playerIds.sort()).toEqual([b!.id, c!.id].sort());
    await controller.setGroupVolume(pair.id, 12);
    expect(simGroupOf(sim, b!.id).volume).toBe(12);
  });

  it('ignores garbage, partial, oversized, binary and wrongly shaped frames', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const [a] = sim.players;
    for (const kind of ['text', 'partial', 'oversized', 'binary', 'wrong-shape'] as const) {
      expect(sim.control.sendGarbage(a!.id, kind)).toBeGreaterThan(0);
    }
    const group = Object.values(snapshot.groups)[0]!;
    await controller.setGroupVolume(group.id, 9);
    expect(simGroupOf(sim, a!.id).volume).toBe(9);
    expect(controller.snapshot().players[a!.id]!.connection).toBe('connected');
    expect(harness.logs.some((r) => r.message.includes('dropped a frame'))).toBe(true);
  });

  it('refuses a changed certificate until the user trusts it again', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [a] = sim.players;
    const pinned = harness.store.getPin(a!.id);
    expect(pinned).toBe(a!.fingerprint256);
    const { fingerprint256 } = await sim.control.rotateCertificate(a!.id);
    await vi.waitFor(() => expect(controller.snapshot().players[a!.id]!.connection).toBe('untrusted'));
    expect(controller.snapshot().players[a!.id]!.problem?.code).toBe('untrusted-certificate');
    expect(controller.diagnostics().players[0]!.tls).toEqual({
      status: 'changed',
      fingerprint: fingerprint256,
    });
    expect(harness.store.getPin(a!.id)).toBe(pinned);

    controller.trustCertificate(a!.id, fingerprint256);
    expect(harness.store.getPin(a!.id)).toBe(fingerprint256);
    await vi.waitFor(() => expect(controller.snapshot().players[a!.id]!.connection).toBe('connected'));
  });

  it('trusts only the certificate the user was shown, not one presented after it', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [a] = sim.players;
    const pinned = harness.store.getPin(a!.id);
    const shown = await sim.control.rotateCertificate(a!.id);
    await vi.waitFor(() =>
      expect(controller.diagnostics().players[0]!.tls.fingerprint).toBe(shown.fingerprint256),
    );
    // The speaker swaps again before the user clicks Trust: the click is for the certificate they saw.
    const next = await sim.control.rotateCertificate(a!.id);
    controller.rescan();
    await vi.waitFor(() =>
      expect(controller.diagnostics().players[0]!.tls.fingerprint).toBe(next.fingerprint256),
    );
    expect(() => controller.trustCertificate(a!.id, shown.fingerprint256)).toThrow(/different certificate/);
    expect(harness.store.getPin(a!.id)).toBe(pinned);
    expect(controller.diagnostics().players[0]!.tls.status).toBe('changed');
  });

  it('keeps the user’s last volume while a player is offline and lands it when it is back', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [, b] = sim.players;
    await sim.control.takeOffline(b!.id);
    // First the socket drops, then reconnecting is refused: wait for the refusal.
    await vi.waitFor(() => {
      const player = controller.snapshot().players[b!.id]!;
      expect(player.connection).toBe('offline');
      expect(player.problem?.message).toMatch(/refused|switched on/i);
    });
    await expect(controller.setPlayerVolume(b!.id, 55)).rejects.toMatchObject({ code: 'unreachable' });
    await expect(controller.setPlayerVolume(b!.id, 56)).rejects.toMatchObject({ code: 'unreachable' });
    expect(controller.snapshot().players[b!.id]!.volume).toBe(56);
    await sim.control.bringOnline(b!.id);
    await vi.waitFor(() => expect(simPlayer(sim, b!.id).volume).toBe(56), { timeout: 5_000 });
  });

  it('"authentication on" households refuse local control and say why', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    sim.control.setLocalAuth(true);
    const group = Object.values(snapshot.groups)[0]!;
    await expect(controller.setGroupVolume(group.id, 3)).rejects.toMatchObject({ code: 'refused' });
    expect(controller.snapshot().players[group.coordinatorId]).toMatchObject({ connection: 'refused' });
    expect(controller.snapshot().players[group.coordinatorId]!.problem?.message).toMatch(/Sign in/);
  });
});

describe('stopping', () => {
  it('a command cut off by stop() is not retried or replayed afterwards', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const groupId = Object.keys(snapshot.groups)[0]!;
    sim.control.delayReplies(2_000);
    const execute = vi.spyOn(controller.network, 'execute');
    const cut = controller.setGroupVolume(groupId, 12);
    await vi.waitFor(() => expect(execute).toHaveBeenCalledTimes(1));
    controller.stop();
    // The socket closing rejects the command; after a stop that must not become "made when it is back".
    await expect(cut).rejects.toMatchObject({ code: 'unreachable' });
    await expect(cut).rejects.not.toThrow(/when it is back/);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(execute).toHaveBeenCalledTimes(1);
    await expect(controller.setGroupVolume(groupId, 13)).rejects.toBeInstanceOf(AppError);
  });
});

describe('stopping, with discovery on its way', () => {
  it('a player found after stop() is neither connected nor remembered', async () => {
    let answer: (info: PlayerInfo) => void = () => {};
    const store = new DataStore(memoryBackend());
    const controller = new Controller({
      store,
      logger: silentLogger,
      hostsOnly: ['kitchen.invalid:1443'],
      discovery: { networkPollMs: 0 },
      fetchInfo: () => new Promise<PlayerInfo>((resolve) => (answer = resolve)),
    });
    controller.start();
    controller.stop();
    answer({
      playerId: 'RINCON_LATE01400',
      householdId: 'Sonos_HH',
      name: 'Kitchen',
      model: null,
      softwareVersion: null,
      host: 'kitchen.invalid:1443',
      websocketUrl: 'wss://kitchen.invalid:1443/websocket/api',
      fingerprint: 'AA:BB',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.knownPlayers().size).toBe(0);
    expect(controller.network.hasPlayer('RINCON_LATE01400')).toBe(false);
  });
});
