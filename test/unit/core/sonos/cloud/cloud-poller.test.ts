import { describe, expect, it } from 'vitest';
import { HouseholdModel } from '../../../../../main/core/household/household-model';
import { createLogger } from '../../../../../main/core/logger';
import { CloudPoller, type CloudPollerOptions } from '../../../../../main/core/sonos/cloud/cloud-poller';
import { ManualClock } from '../../../../support/manual-clock';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function setup(options: { local?: string[]; localPlayers?: string[]; signedIn?: boolean } = {}) {
  const clock = new ManualClock();
  const model = new HouseholdModel();
  const calls: string[] = [];
  let volume = 20;
  const client: CloudPollerOptions['client'] = {
    households: async () => (
      calls.push('households'),
      [
        { id: 'H1', name: null },
        { id: 'H2', name: null },
      ]
    ),
    groups: async (householdId) => {
      calls.push(`groups ${householdId}`);
      return {
        groups: [
          {
            id: `${householdId}:G1`,
            name: 'Kitchen + 1',
            coordinatorId: `${householdId}-P1`,
            playerIds: [`${householdId}-P1`, `${householdId}-P2`],
            playbackState: 'PLAYBACK_STATE_PLAYING',
          },
          {
            id: `${householdId}:G2`,
            name: 'Den',
            coordinatorId: `${householdId}-P3`,
            playerIds: [`${householdId}-P3`],
          },
        ],
        players: [1, 2, 3].map((n) => ({ id: `${householdId}-P${n}`, name: `Room ${n}` })),
      };
    },
    groupVolume: async (id) => (calls.push(`groupVolume ${id}`), { volume, muted: false }),
    playbackStatus: async (id) => (
      calls.push(`playback ${id}`),
      { playbackState: 'PLAYBACK_STATE_PLAYING', positionMillis: 1000 }
    ),
    metadata: async (id) => (calls.push(`metadata ${id}`), { streamInfo: 'Radio One' }),
    playerVolume: async (id) => (calls.push(`playerVolume ${id}`), { volume: 7, muted: true }),
    favorites: async (id) => (
      calls.push(`favorites ${id}`),
      { version: 'v1', items: [{ id: '3', name: 'P3', service: { name: 'Sveriges Radio' } }] }
    ),
    playlists: async (id) => (
      calls.push(`playlists ${id}`),
      { version: 'p1', playlists: [{ id: 'SQ:1', name: 'Dinner', trackCount: 12 }] }
    ),
  };
  let households = ['H1', 'H2'];
  const poller = new CloudPoller({
    client,
    model,
    auth: { isSignedIn: () => options.signedIn ?? true, householdIds: () => households },
    logger: createLogger(() => {}),
    isLocal: (id) => (options.local ?? []).includes(id),
    hasLocalPlayer: (id) => (options.localPlayers ?? []).includes(id),
    onHouseholds: (list) => (households = list.map((h) => h.id)),
    clock,
  });
  return { clock, model, calls, poller, setVolume: (v: number) => (volume = v) };
}

describe('cloud poller', () => {
  it('polls nothing while the popover is closed', async () => {
    const { clock, calls } = setup();
    await clock.advanceAsync(60_000);
    expect(calls).toEqual([]);
  });

  it('polls at once when the popover opens, then every 5 seconds, and stops when it closes', async () => {
    const { clock, calls, poller, model, setVolume } = setup({ local: ['H2'] });
    poller.setVisible(true);
    await flush();
    expect(calls[0]).toBe('households');
    // Only the household without a local connection.
    expect(calls.filter((c) => c.startsWith('groups'))).toEqual(['groups H1']);
    expect(calls).toContain('playerVolume H1-P1');
    expect(calls).not.toContain('playerVolume H1-P3'); // alone in its group: the group's volume is its own
    const snapshot = model.snapshot();
    expect(snapshot.groups['H1:G1']).toMatchObject({
      volume: 20,
      playback: 'playing',
      nowPlaying: { title: 'Radio One' },
    });
    expect(snapshot.players['H1-P1']).toMatchObject({ volume: 7, muted: true, connection: 'cloud' });
    expect(snapshot.players['H1-P3']).toMatchObject({ volume: 20, connection: 'cloud' });
    expect(snapshot.households.H2).toBeUndefined();
    // The lists are read on the first round after the popover opens, not on every round.
    expect(snapshot.households.H1).toMatchObject({
      favorites: { version: 'v1', items: [{ id: '3', name: 'P3', service: 'Sveriges Radio' }] },
      playlists: { version: 'p1', items: [{ id: 'SQ:1', name: 'Dinner', trackCount: 12 }] },
    });
    expect(calls.filter((c) => c.startsWith('favorites'))).toEqual(['favorites H1']);

    const rounds = poller.rounds;
    setVolume(44);
    await clock.advanceAsync(4_999);
    expect(poller.rounds).toBe(rounds);
    await clock.advanceAsync(1);
    await flush();
    expect(poller.rounds).toBe(rounds + 1);
    expect(model.snapshot().groups['H1:G1']?.volume).toBe(44);
    expect(calls.filter((c) => c.startsWith('favorites') || c.startsWith('playlists'))).toHaveLength(2);

    poller.setVisible(false);
    expect(clock.pending()).toEqual([]);
    await clock.advanceAsync(60_000);
    expect(poller.rounds).toBe(rounds + 1);
  });

  it('does nothing when signed out, and takes cloud-only households out on forget()', async () => {
    const signedOut = setup({ signedIn: false });
    signedOut.poller.setVisible(true);
    await flush();
    expect(signedOut.calls).toEqual([]);

    const { poller, model } = setup();
    await poller.pollNow();
    expect(Object.keys(model.snapshot().households).sort()).toEqual(['H1', 'H2']);
    poller.forget();
    expect(model.snapshot().households).toEqual({});
  });

  it('on forget() keeps a LAN household whose speakers are only briefly unreachable', async () => {
    // H1 has a local connection to P1 that happens to be down right now (isLocal is false).
    const { poller, model } = setup({ localPlayers: ['H1-P1'] });
    await poller.pollNow();
    expect(model.snapshot().players['H1-P2']?.connection).toBe('cloud');
    poller.forget();
    const snapshot = model.snapshot();
    expect(Object.keys(snapshot.households)).toEqual(['H1']);
    // What only the cloud reached is no longer shown as reachable through it.
    expect(snapshot.players['H1-P2']?.connection).toBe('offline');
  });
});
