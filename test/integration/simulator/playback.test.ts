import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { startFastSimulator, TestSocket, type Body } from './ws-test-client';

let sim: Simulator;
let music: TestSocket;
let radio: TestSocket;
let musicGroup: string;
let radioGroup: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 2 });
  [musicGroup, radioGroup] = sim.state().groups.map((g) => g.id) as [string, string];
  music = await TestSocket.open(sim, 1);
  radio = await TestSocket.open(sim, 2);
});
afterAll(async () => {
  music.close();
  radio.close();
  await sim.stop();
});

const trackName = (body: Body) =>
  (body['currentItem'] as { track: { name: string } } | undefined)?.track.name;

describe('transport', () => {
  it('pauses, plays and toggles with a playbackStatus event each time', async () => {
    await music.subscribe('playback:1', { groupId: musicGroup });
    for (const [command, state] of [
      ['pause', 'PLAYBACK_STATE_PAUSED'],
      ['play', 'PLAYBACK_STATE_PLAYING'],
      ['togglePlayPause', 'PLAYBACK_STATE_PAUSED'],
      ['togglePlayPause', 'PLAYBACK_STATE_PLAYING'],
    ] as const) {
      const event = music.nextEvent('playbackStatus');
      const [header, body] = await music.request('playback:1', command, { groupId: musicGroup });
      expect(header).toMatchObject({
        namespace: 'playback:1',
        response: command,
        success: true,
        type: 'none',
      });
      expect(body).toEqual({});
      expect((await event)[1]['playbackState']).toBe(state);
      expect(sim.state().groups[0]?.playbackState).toBe(state);
    }
  });

  it('changes the track on skip: new metadata, position back to 0, the old position as previousPositionMillis', async () => {
    await music.subscribe('playbackMetadata:1', { groupId: musicGroup });
    const [, before] = await music.request('playbackMetadata:1', 'getMetadataStatus', {
      groupId: musicGroup,
    });
    const nextName = (before['nextItem'] as { track: { name: string } }).track.name;
    const metadata = music.nextEvent('metadataStatus');
    const status = music.nextEvent('playbackStatus');
    await music.request('playback:1', 'skipToNextTrack', { groupId: musicGroup });
    const [, after] = await metadata;
    expect(trackName(after)).toBe(nextName);
    expect(trackName(after)).not.toBe(trackName(before));
    const [, playback] = await status;
    expect(playback['positionMillis']).toBeLessThan(1000);
    expect(typeof playback['previousPositionMillis']).toBe('number');

    const back = music.nextEvent('metadataStatus');
    await music.request('playback:1', 'skipToPreviousTrack', { groupId: musicGroup });
    expect(trackName((await back)[1])).toBe(trackName(before));
    expect(sim.state().groups[0]?.track?.name).toBe(trackName(before));
  });

  it('advances to the next track on its own when a track ends', async () => {
    const quick = await startFastSimulator({ players: 1, trackMs: 250 });
    try {
      const socket = await TestSocket.open(quick, 1);
      const group = quick.state().groups[0]?.id ?? '';
      const [, [, first]] = await socket.subscribe('playbackMetadata:1', { groupId: group });
      const started = performance.now();
      const [, next] = await socket.nextEvent('metadataStatus', undefined, 3000);
      expect(performance.now() - started).toBeGreaterThan(100);
      expect(trackName(next)).not.toBe(trackName(first));
      expect((next['currentItem'] as { track: { durationMillis: number } }).track.durationMillis).toBe(250);
      socket.close();
    } finally {
      await quick.stop();
    }
  });

  it('does not advance while paused', async () => {
    const quick = await startFastSimulator({ players: 1, trackMs: 100, playing: false });
    try {
      const state = quick.state().groups[0];
      expect(state?.playbackState).toBe('PLAYBACK_STATE_PAUSED');
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(quick.state().groups[0]?.track).toEqual(state?.track);
    } finally {
      await quick.stop();
    }
  });
});

describe('a radio station', () => {
  it('has sparse metadata: a station container and streamInfo, no currentItem or nextItem', async () => {
    const [, body] = await radio.request('playbackMetadata:1', 'getMetadataStatus', { groupId: radioGroup });
    expect(body['_objectType']).toBe('metadataStatus');
    expect(body).not.toHaveProperty('currentItem');
    expect(body).not.toHaveProperty('nextItem');
    expect(body['container']).toMatchObject({
      _objectType: 'container',
      type: 'station',
      name: 'Loopback FM',
    });
    expect(typeof body['streamInfo']).toBe('string');
  });

  it('cannot skip: availablePlaybackActions say so and skip commands fail', async () => {
    const [, status] = await radio.request('playback:1', 'getPlaybackStatus', { groupId: radioGroup });
    expect(status['availablePlaybackActions']).toMatchObject({
      canSkip: false,
      canSkipBack: false,
      canSkipToPrevious: false,
      canPause: true,
      canPlay: true,
    });
    const [header, body] = await radio.request('playback:1', 'skipToNextTrack', { groupId: radioGroup });
    expect(header).toMatchObject({ namespace: 'global', success: false, type: 'globalError' });
    expect(body).toMatchObject({ errorCode: 'ERROR_DISALLOWED_BY_POLICY' });
  });

  it('reports IDLE when paused, as real players do for streams, and plays again', async () => {
    await radio.request('playback:1', 'pause', { groupId: radioGroup });
    expect(sim.state().groups[1]?.playbackState).toBe('PLAYBACK_STATE_IDLE');
    await radio.request('playback:1', 'play', { groupId: radioGroup });
    expect(sim.state().groups[1]?.playbackState).toBe('PLAYBACK_STATE_PLAYING');
  });

  it('changes streamInfo as the station moves on', async () => {
    const quick = await startFastSimulator({ players: 2, trackMs: 200 });
    try {
      const socket = await TestSocket.open(quick, 2);
      const group = quick.state().groups[1]?.id ?? '';
      const [, [, first]] = await socket.subscribe('playbackMetadata:1', { groupId: group });
      const [, next] = await socket.nextEvent('metadataStatus', undefined, 3000);
      expect(next['streamInfo']).not.toBe(first['streamInfo']);
      socket.close();
    } finally {
      await quick.stop();
    }
  });
});
