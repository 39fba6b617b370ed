import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator';
import { authorizeUrl } from './cloud-test-client';
import { startFastSimulator, TestSocket } from './ws-test-client';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const serverHandles = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout').length;

describe('startup', () => {
  it('starts 3 players, certificates included, in under a second', async () => {
    const started = performance.now();
    const sim = await startSimulator({ players: 3 });
    const elapsed = performance.now() - started;
    try {
      expect(elapsed).toBeLessThan(1000);
      const socket = await TestSocket.open(sim, 3);
      expect((await socket.request('groups:1', 'getGroups'))[0]['success']).toBe(true);
      socket.close();
    } finally {
      await sim.stop();
    }
  });

  it('runs 32 players, each answering getGroups with all 32', async () => {
    const sim = await startFastSimulator({ players: 32, groups: '1+2+3,4+5' });
    try {
      expect(new Set(sim.players.map((p) => p.port)).size).toBe(32);
      expect(sim.players.map((p) => p.name).slice(0, 10)).toEqual([
        'Living Room',
        'Kitchen',
        'Bedroom',
        'Office',
        'Dining Room',
        'Bathroom',
        'Patio',
        'Garage',
        'Room 9',
        'Room 10',
      ]);
      const sockets = await Promise.all(sim.players.map((_, i) => TestSocket.open(sim, i + 1)));
      const replies = await Promise.all(sockets.map((s) => s.request('groups:1', 'getGroups')));
      for (const [, body] of replies) {
        expect((body['players'] as unknown[]).length).toBe(32);
        expect((body['groups'] as unknown[]).length).toBe(29);
      }
      sockets.forEach((s) => s.close());
    } finally {
      await sim.stop();
    }
  });

  it('is reproducible from its seed', async () => {
    const a = await startFastSimulator({ seed: 1234 });
    const b = await startFastSimulator({ seed: 1234 });
    try {
      expect(a.householdId).toBe(b.householdId);
      expect(a.players.map((p) => p.id)).toEqual(b.players.map((p) => p.id));
      expect(a.state().groups.map((g) => g.id)).toEqual(b.state().groups.map((g) => g.id));
      expect(a.householdId).toMatch(/^Sonos_[A-Za-z0-9]{32}\.[A-Za-z0-9_]{20}$/);
      expect(a.locationId).toMatch(/^lc_[0-9a-f]{32}$/);
      for (const player of a.players) expect(player.id).toMatch(/^RINCON_[0-9A-F]{12}01400$/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('rejects impossible options', async () => {
    await expect(startSimulator({ players: 0 })).rejects.toThrow(RangeError);
    await expect(startSimulator({ players: 2, groups: '1+3' })).rejects.toThrow(/player number/);
    await expect(startSimulator({ players: 2, groups: '1+2,2' })).rejects.toThrow(/more than one group/);
  });
});

describe('info', () => {
  it('describes players, cloud and control with 127.0.0.1 URLs', async () => {
    const sim = await startFastSimulator({ players: 2 });
    try {
      expect(Object.keys(sim.info)).toEqual(['householdId', 'players', 'cloud', 'control']);
      expect(sim.info.players).toEqual(
        sim.players.map((p) => ({
          id: p.id,
          name: p.name,
          host: `127.0.0.1:${p.port}`,
          wss: `wss://127.0.0.1:${p.port}/websocket/api`,
        })),
      );
      expect(sim.info.cloud.authBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.info.cloud.apiBase).toBe(`${sim.info.cloud.authBase}/control/api/v1`);
      expect(sim.info.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await sim.stop();
    }
  });
});

describe('stop', () => {
  it('frees every port and handle, even with open sockets and a hanging authorize request, and is idempotent', async () => {
    const before = serverHandles();
    const sim = await startSimulator({ players: 3, trackMs: 50 });
    const socket = await TestSocket.open(sim, 1);
    const group = sim.state().groups[0]?.id ?? '';
    await socket.subscribe('playback:1', { groupId: group });
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, body: { volume: 5 } });
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, body: { volume: 6 } });
    sim.control.setOAuthMode('hang');
    const hanging = fetch(authorizeUrl(sim)).then(
      () => 'answered',
      () => 'cut',
    );
    const ports = [...sim.players.map((p) => p.port), Number(new URL(sim.info.control).port)];
    ports.push(Number(new URL(sim.info.cloud.authBase).port));

    await Promise.all([sim.stop(), sim.stop()]);
    await sim.stop();
    expect(await hanging).toBe('cut');
    expect(await socket.closed).toBe(1006);
    for (const port of ports) expect(await refused(port)).toBe(true);
    expect(serverHandles()).toBeLessThanOrEqual(before);
  });
});
