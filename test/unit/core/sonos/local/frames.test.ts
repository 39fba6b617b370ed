import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  GroupsBodySchema,
  LocalInfoSchema,
  MAX_FRAME_BYTES,
  MetadataStatusBodySchema,
  parseFrame,
  PlaybackStatusBodySchema,
  readBody,
  VolumeBodySchema,
} from '../../../../../main/core/sonos/local/frames';
import { captureJson, captureText, sessionFrames } from '../../../../support/captures';

describe('parseFrame on real captures', () => {
  const frames = sessionFrames().map((text) => parseFrame(text));

  it('parses every frame of the captured session', () => {
    expect(frames).toHaveLength(13);
    expect(frames.every((f) => f !== null)).toBe(true);
  });

  it('tells replies (response/success) from events (name/type) and strips the namespace version', () => {
    expect(frames.map((f) => `${f!.kind}:${f!.namespace}:${f!.header.type}`)).toEqual([
      'reply:playback:none',
      'event:playback:playbackStatus',
      'reply:playbackMetadata:none',
      'event:playbackMetadata:metadataStatus',
      'reply:groupVolume:none',
      'event:groupVolume:groupVolume',
      'reply:playerVolume:none',
      'event:playerVolume:playerVolume',
      'reply:groups:none',
      'event:groups:groups',
      'reply:favorites:none',
      'event:favorites:versionChanged',
      'reply:global:globalError',
    ]);
    expect(frames[12]!.header.success).toBe(false);
  });

  it('reads the bodies we use from the captured events', () => {
    expect(readBody(PlaybackStatusBodySchema, frames[1]!.body)?.playbackState).toBe('PLAYBACK_STATE_PLAYING');
    expect(readBody(MetadataStatusBodySchema, frames[3]!.body)?.currentItem?.track?.artist?.name).toBe(
      'Michael Jackson',
    );
    expect(readBody(VolumeBodySchema, frames[5]!.body)).toMatchObject({
      volume: 5,
      muted: false,
      fixed: false,
    });
    expect(readBody(VolumeBodySchema, frames[7]!.body)?.volume).toBe(2);
    const groups = readBody(GroupsBodySchema, frames[9]!.body);
    expect(groups?.groups.map((g) => g.name)).toEqual(['Flyttbar + 1', 'Elsas Sovrum', 'Sovrum']);
    expect(groups?.players).toHaveLength(4);
  });

  it('reads the REST groups and local info captures', () => {
    expect(readBody(GroupsBodySchema, captureJson('local/rest.groups.json'))?.groups[2]?.playbackState).toBe(
      'PLAYBACK_STATE_PLAYING',
    );
    const info = readBody(LocalInfoSchema, captureJson('local/rest.players_local_info.json'));
    expect(info?.playerId).toMatch(/^RINCON_/);
    expect(info?.householdId).toMatch(/^Sonos_/);
  });
});

describe('parseFrame on bad input', () => {
  it.each([
    ['not json', 'hello'],
    ['truncated', captureText('local/ws.groups.groups.event.json').slice(0, 200)],
    ['an object', '{"namespace":"groups:1"}'],
    ['empty array', '[]'],
    ['three items', '[{"namespace":"x"},{},{}]'],
    ['header without namespace', '[{"type":"groups"},{}]'],
    ['body is an array', '[{"namespace":"groups:1"},[]]'],
    ['body is a string', '[{"namespace":"groups:1"},"x"]'],
    ['namespace is a number', '[{"namespace":5},{}]'],
  ])('returns null for %s', (_name, text) => {
    expect(parseFrame(text)).toBeNull();
  });

  it('returns null for an oversized frame without parsing it', () => {
    expect(parseFrame(`[{"namespace":"x"},{"pad":"${'a'.repeat(MAX_FRAME_BYTES)}"}]`)).toBeNull();
  });

  it('accepts numbers where players usually send strings', () => {
    const frame = parseFrame('[{"namespace":"groupVolume:1","groupId":12,"cmdId":7,"success":true},{}]');
    expect(frame?.header.groupId).toBe('12');
    expect(frame?.header.cmdId).toBe('7');
  });

  it('rounds and clamps volumes instead of rejecting them', () => {
    expect(readBody(VolumeBodySchema, { volume: 120.4 })?.volume).toBe(100);
    expect(readBody(VolumeBodySchema, { volume: -3 })?.volume).toBe(0);
    expect(readBody(VolumeBodySchema, { volume: 'loud' })).toBeNull();
    expect(readBody(VolumeBodySchema, { volume: Number.NaN })).toBeNull();
  });
});

describe('encodeCommand', () => {
  it('writes [header, body] with the ids the namespace needs', () => {
    const text = encodeCommand('groupVolume:1', 'setVolume', { householdId: 'HH', groupId: 'G:1' }, '9', {
      volume: 30,
    });
    expect(JSON.parse(text)).toEqual([
      { namespace: 'groupVolume:1', command: 'setVolume', householdId: 'HH', groupId: 'G:1', cmdId: '9' },
      { volume: 30 },
    ]);
    const player = JSON.parse(
      encodeCommand('playerVolume:1', 'getVolume', { householdId: 'HH', playerId: 'P' }, '1'),
    );
    expect(player[0]).not.toHaveProperty('groupId');
    expect(player[0].playerId).toBe('P');
  });
});
