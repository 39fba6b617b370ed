/**
 * The simulated Control REST API for rooms and music: the paths of Sonos' OpenAPI description, the same gates as
 * the players (a station cannot seek or shuffle), the same household (a cloud command sends local events), and no
 * `homeTheater` (it is not in the cloud API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { api, signIn } from './cloud-test-client';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 4, groups: '1+2,4,3' });
  token = (await signIn(sim)).access_token;
});
afterAll(async () => {
  await sim.stop();
});

const queue = () => sim.state().groups[0]!;
const station = () => sim.state().groups.find((g) => g.source === 'radio')!;
const post = (path: string, body: unknown) => api(sim, token, 'POST', path, body);

describe('cloud rooms and music', () => {
  it('play modes, seek and seekRelative on a queue; refused on a station', async () => {
    expect(
      (await post(`/groups/${queue().id}/playback/playMode`, { playModes: { shuffle: true } })).status,
    ).toBe(200);
    expect(queue().playModes.shuffle).toBe(true);
    await post(`/groups/${queue().id}/playback/pause`, {});
    expect((await post(`/groups/${queue().id}/playback/seek`, { positionMillis: 30_000 })).status).toBe(200);
    await post(`/groups/${queue().id}/playback/seekRelative`, { deltaMillis: 5_000 });
    expect(queue().positionMillis).toBe(35_000);
    const refused = await post(`/groups/${station().id}/playback/playMode`, { playModes: { shuffle: true } });
    expect(refused).toMatchObject({ status: 400, json: { errorCode: 'ERROR_DISALLOWED_BY_POLICY' } });
    const seek = await post(`/groups/${station().id}/playback/seek`, { positionMillis: 1 });
    expect(seek).toMatchObject({ status: 400, json: { errorCode: 'ERROR_DISALLOWED_BY_POLICY' } });
    const missing = await post(`/groups/${queue().id}/playback/playMode`, {});
    expect(missing).toMatchObject({ status: 400, json: { errorCode: 'ERROR_MISSING_PARAMETERS' } });
  });

  it('favorites and playlists: listed per household, loaded into a group, and local subscribers hear it', async () => {
    const favorites = await api(sim, token, 'GET', `/households/${sim.householdId}/favorites`);
    expect(favorites.json).toMatchObject({ version: sim.state().favorites.version });
    const playlists = await api(sim, token, 'GET', `/households/${sim.householdId}/playlists`);
    const list = (playlists.json as { playlists: { id: string; name: string }[] }).playlists;
    const socket = await TestSocket.open(sim, 1);
    try {
      await socket.subscribe('playbackMetadata:1', { groupId: queue().id });
      const event = socket.nextEvent('metadataStatus');
      const loaded = await post(`/groups/${queue().id}/playlists`, {
        playlistId: list[0]!.id,
        action: 'REPLACE',
        playOnCompletion: true,
      });
      expect(loaded.status).toBe(200);
      expect((await event)[1]['container']).toMatchObject({ name: list[0]!.name });
      const station = sim.state().favorites.items.find((f) => f.kind === 'STREAM')!;
      await post(`/groups/${queue().id}/favorites`, {
        favoriteId: station.id,
        action: 'REPLACE',
        playOnCompletion: true,
      });
      expect(queue()).toMatchObject({ source: 'radio', container: station.name });
      const unknown = await post(`/groups/${queue().id}/favorites`, { favoriteId: 'nope' });
      expect(unknown).toMatchObject({ status: 400, json: { errorCode: 'ERROR_INVALID_OBJECT_ID' } });
    } finally {
      socket.close();
    }
  });

  it('modifyGroupMembers, setGroupMembers and createGroup; a stale group id answers 410', async () => {
    const [a, b, c, d] = sim.players.map((p) => p.id);
    const old = queue().id;
    const modified = await post(`/groups/${old}/groups/modifyGroupMembers`, {
      playerIdsToAdd: [c],
      playerIdsToRemove: [],
    });
    expect(modified.status).toBe(200);
    const group = (modified.json as { group: { id: string; playerIds: string[]; name: string } }).group;
    expect(group).toMatchObject({ playerIds: [a, b, c], name: 'Living Room + 2' });
    expect((await post(`/groups/${old}/groups/setGroupMembers`, { playerIds: [a] })).status).toBe(410);
    await post(`/groups/${group.id}/groups/setGroupMembers`, { playerIds: [a] });
    expect(sim.state().groups.find((g) => g.coordinatorId === a)?.playerIds).toEqual([a]);
    const created = await post(`/households/${sim.householdId}/groups/createGroup`, { playerIds: [d, b] });
    expect(created.status).toBe(200);
    expect(sim.state().groups.find((g) => g.coordinatorId === d)).toMatchObject({
      playerIds: [d, b],
      source: 'none',
    });
    const missing = await post(`/groups/${sim.state().groups[0]!.id}/groups/modifyGroupMembers`, {
      playerIdsToAdd: [],
    });
    expect(missing).toMatchObject({ status: 400, json: { errorCode: 'ERROR_MISSING_PARAMETERS' } });
  });

  it('has no home-theater resource: that namespace is local only', async () => {
    const amp = sim.players[3]!.id;
    const answer = await api(sim, token, 'GET', `/players/${amp}/homeTheater/options`);
    expect(answer.status).toBe(404);
  });
});
