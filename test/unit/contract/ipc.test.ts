import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  eventChannels,
  invokeChannels,
  isEventChannel,
  isInvokeChannel,
  type EventChannel,
  type EventPayloadOf,
  type InvokeChannel,
  type RequestOf,
} from '../../../main/contract/ipc';
import { HostSchema } from '../../../main/contract/model';
import {
  sampleAccountState,
  sampleDiagnostics,
  sampleGroup,
  sampleSettings,
  sampleShellStatus,
  sampleSnapshot,
  sampleUpdateState,
} from '../../support/samples';

const GROUP = 'RINCON_000E58A0000001400:12';
const PLAYER = 'RINCON_000E58A0000001400';

/** Typed so the compiler fails when a channel is added without cases here. */
const requestCases: { [C in InvokeChannel]: { good: RequestOf<C>[]; bad: unknown[] } } = {
  'household:getSnapshot': { good: [undefined], bad: [{}, null, 'x'] },
  'group:setVolume': {
    good: [
      { groupId: GROUP, volume: 0 },
      { groupId: GROUP, volume: 100 },
    ],
    bad: [
      { groupId: GROUP, volume: 101 },
      { groupId: GROUP, volume: -1 },
      { groupId: GROUP, volume: 12.5 },
      { groupId: GROUP, volume: '30' },
      { groupId: '', volume: 30 },
      { volume: 30 },
      { groupId: GROUP, volume: 30, extra: true },
      undefined,
    ],
  },
  'group:adjustVolume': {
    good: [
      { groupId: GROUP, delta: -5 },
      { groupId: GROUP, delta: 100 },
    ],
    bad: [{ groupId: GROUP, delta: 101 }, { groupId: GROUP, delta: Number.NaN }, { groupId: GROUP }],
  },
  'group:setMute': {
    good: [{ groupId: GROUP, muted: true }],
    bad: [
      { groupId: GROUP, muted: 'yes' },
      { groupId: 7, muted: true },
    ],
  },
  'player:setVolume': {
    good: [{ playerId: PLAYER, volume: 42 }],
    bad: [
      { playerId: PLAYER, volume: Infinity },
      { groupId: GROUP, volume: 4 },
    ],
  },
  'player:adjustVolume': {
    good: [{ playerId: PLAYER, delta: 1 }],
    bad: [
      { playerId: PLAYER, delta: '+1' },
      { playerId: 'x'.repeat(300), delta: 1 },
    ],
  },
  'player:setMute': {
    good: [{ playerId: PLAYER, muted: false }],
    bad: [{ playerId: PLAYER, muted: 0 }, [PLAYER, false]],
  },
  'playback:command': {
    good: [
      { groupId: GROUP, action: 'play' },
      { groupId: GROUP, action: 'pause' },
      { groupId: GROUP, action: 'togglePlayPause' },
      { groupId: GROUP, action: 'skipToNextTrack' },
      { groupId: GROUP, action: 'skipToPreviousTrack' },
    ],
    bad: [{ groupId: GROUP, action: 'stop' }, { groupId: GROUP, action: 'seek' }, { action: 'play' }],
  },
  'group:setPlayModes': {
    good: [
      { groupId: GROUP, shuffle: true },
      { groupId: GROUP, repeat: 'one' },
      { groupId: GROUP, shuffle: false, repeat: 'off', crossfade: true },
    ],
    bad: [
      { groupId: GROUP },
      { groupId: GROUP, repeat: 'forever' },
      { groupId: GROUP, shuffle: 'on' },
      { groupId: GROUP, repeatOne: true },
    ],
  },
  'group:seek': {
    good: [
      { groupId: GROUP, positionMs: 0 },
      { groupId: GROUP, positionMs: 3_600_000 },
    ],
    bad: [
      { groupId: GROUP, positionMs: -1 },
      { groupId: GROUP, positionMs: 1.5 },
      { groupId: GROUP, positionMs: 25 * 3_600_000 },
      { groupId: GROUP, position: 10 },
    ],
  },
  'group:seekBy': {
    good: [
      { groupId: GROUP, deltaMs: -15_000 },
      { groupId: GROUP, deltaMs: 30_000 },
    ],
    bad: [
      { groupId: GROUP, deltaMs: '+15' },
      { groupId: GROUP, deltaMs: Number.POSITIVE_INFINITY },
    ],
  },
  'rooms:join': {
    good: [{ playerId: PLAYER, groupId: GROUP }],
    bad: [{ playerId: PLAYER }, { playerId: '', groupId: GROUP }],
  },
  'rooms:leave': { good: [{ playerId: PLAYER }], bad: [{ groupId: GROUP }, {}] },
  'rooms:groupAll': { good: [{ groupId: GROUP }], bad: [{}, { groupId: GROUP, playerIds: [] }] },
  'rooms:ungroupAll': { good: [{ householdId: 'Sonos_x' }], bad: [undefined, { householdId: 1 }] },
  'playback:pauseAll': { good: [undefined], bad: [{ groupId: GROUP }] },
  'playback:resumeAll': { good: [undefined], bad: [{ playerIds: [PLAYER] }] },
  'music:playFavorite': {
    good: [{ groupId: GROUP, favoriteId: '3' }],
    bad: [{ groupId: GROUP, favoriteId: '' }, { groupId: GROUP, favoriteId: 3 }, { favoriteId: '3' }],
  },
  'music:playPlaylist': {
    good: [{ groupId: GROUP, playlistId: 'SQ:12' }],
    bad: [{ groupId: GROUP }, { groupId: GROUP, playlistId: 'x'.repeat(300) }],
  },
  'music:refresh': { good: [{ householdId: 'Sonos_x' }], bad: [undefined] },
  'player:setHomeTheater': {
    good: [
      { playerId: PLAYER, nightMode: true },
      { playerId: PLAYER, enhanceDialog: false },
      { playerId: PLAYER, nightMode: false, enhanceDialog: true },
    ],
    bad: [{ playerId: PLAYER }, { playerId: PLAYER, nightMode: 'on' }, { playerId: PLAYER, bass: 3 }],
  },
  'speakers:rescan': { good: [undefined], bad: [{ force: true }] },
  'settings:get': { good: [undefined], bad: [[]] },
  'settings:update': {
    good: [
      {},
      { hotkeyVolumeStep: 20 },
      { notifications: { enabled: false } },
      { hotkeys: { volumeUp: null } },
      { manualHosts: ['10.0.0.2', '10.0.0.3:1443', '[fe80::1]:1443', 'living-room.local'] },
      { hotkeyTargetPlayerId: PLAYER, preferCloud: true, launchAtLogin: true },
      { mediaKeys: false, xwayland: true },
    ],
    bad: [
      { hotkeyVolumeStep: 0 },
      { hotkeyVolumeStep: 21 },
      { manualHosts: ['http://10.0.0.2'] },
      { manualHosts: ['10.0.0.2:99999'] },
      { manualHosts: ['300.1.1.1'] },
      { notifications: { enabled: 'yes' } },
      { hotkeys: { volumeUp: '<script>' } },
      { updates: { automatic: 'yes' } },
      { updates: { feedUrl: 'http://127.0.0.1/' } },
      { unknownSetting: true },
      { mediaKeys: 'off' },
      { xwayland: 1 },
      null,
    ],
  },
  'account:getState': { good: [undefined], bad: [0] },
  'account:configure': {
    good: [
      { clientId: 'my-key', clientSecret: 'my-secret', redirectUri: 'https://example.org/sonos/' },
      { clientId: 'my-key', redirectUri: 'https://example.org/sonos/' },
    ],
    bad: [
      { clientId: '', redirectUri: 'https://example.org/' },
      { clientId: 'k', redirectUri: 'not a url' },
      { clientId: 'k', clientSecret: '', redirectUri: 'https://example.org/' },
      { clientId: 'k', redirectUri: 'https://example.org/', accessToken: 'x' },
    ],
  },
  'account:signIn': { good: [undefined], bad: [{ clientId: 'x' }] },
  'account:cancelSignIn': { good: [undefined], bad: [true] },
  'account:submitCallback': {
    good: [
      { url: 'io.github.trayforsonos://oauth/callback?code=a&state=b' },
      { url: ' https://x.test/?code=1 ' },
    ],
    bad: [{ url: '' }, { url: 'x'.repeat(9000) }, { link: 'x' }],
  },
  'account:signOut': { good: [undefined], bad: ['now'] },
  'account:setInsecureStorage': { good: [{ allowed: true }], bad: [{ allowed: 'true' }, {}] },
  'diagnostics:get': { good: [undefined], bad: [{ verbose: true }] },
  'diagnostics:copyReport': { good: [undefined], bad: [1] },
  'diagnostics:trustCertificate': {
    good: [{ playerId: PLAYER, fingerprint: 'AB:CD:01' }],
    bad: [
      { playerId: PLAYER },
      { playerId: '', fingerprint: 'AB' },
      { playerId: PLAYER, fingerprint: 'not hex' },
    ],
  },
  'app:openLink': {
    good: [{ url: 'https://docs.sonos.com/docs/authorize' }],
    bad: [{ url: 'http://example.org' }, { url: 'file:///etc/passwd' }, { url: 'javascript:alert(1)' }],
  },
  'popover:hide': { good: [undefined], bad: [{ now: true }] },
  'updates:getState': { good: [undefined], bad: [{ url: 'https://example.org/latest.yml' }] },
  'updates:check': { good: [undefined], bad: [{ feed: 'http://127.0.0.1:1/' }] },
  'updates:install': { good: [undefined], bad: [{ file: '/tmp/evil.AppImage' }] },
  'app:getStatus': { good: [undefined], bad: [{ platform: 'linux' }] },
  'app:requestAccessibility': { good: [undefined], bad: [{ prompt: true }] },
};

const eventCases: { [E in EventChannel]: { good: EventPayloadOf<E>[]; bad: unknown[] } } = {
  'household:snapshot': {
    good: [sampleSnapshot()],
    bad: [
      { ...sampleSnapshot(), revision: -1 },
      { ...sampleSnapshot(), groups: { g: { ...sampleGroup(), volume: 120 } } },
      { ...sampleSnapshot(), discovery: 'maybe' },
      {},
    ],
  },
  'household:patch': {
    good: [
      { revision: 4, groups: { [GROUP]: sampleGroup({ volume: 50 }) } },
      { revision: 5, groups: { [GROUP]: null }, discovery: 'searching' },
    ],
    bad: [{ revision: 0 }, { revision: 4, groups: { [GROUP]: { id: GROUP } } }],
  },
  'settings:changed': {
    good: [sampleSettings()],
    bad: [
      { ...sampleSettings(), hotkeyVolumeStep: 50 },
      { ...sampleSettings(), manualHosts: 'x' },
    ],
  },
  'account:state': {
    good: [
      sampleAccountState(),
      {
        ...sampleAccountState(),
        status: 'needsReauth',
        error: {
          code: 'auth-refused',
          message: 'Sonos refused sign-in.',
          retryable: true,
          details: { code: 'invalid_grant', description: null, uri: null, technical: null },
        },
      },
    ],
    bad: [
      { ...sampleAccountState(), status: 'weird' },
      { ...sampleAccountState(), storage: 'cloud' },
      { ...sampleAccountState(), error: { code: 'nope', message: 'x', retryable: true, details: null } },
    ],
  },
  'diagnostics:changed': { good: [null], bad: [{}] },
  'popover:navigate': { good: [{ view: 'settings' }, { view: 'diagnostics' }], bad: [{ view: 'admin' }] },
  'popover:shown': { good: [null], bad: ['yes'] },
  'updates:state': {
    good: [
      sampleUpdateState(),
      { ...sampleUpdateState(), status: 'ready', availableVersion: '0.2.0-beta.1+build.5' },
      {
        ...sampleUpdateState(),
        error: { code: 'update-unverified', message: 'x', retryable: true, details: null },
      },
    ],
    bad: [
      // Only versions cross: never an address or a file.
      { ...sampleUpdateState(), availableVersion: 'https://127.0.0.1/tray-for-sonos-0.2.0.AppImage' },
      { ...sampleUpdateState(), availableVersion: '/tmp/tray-for-sonos-0.2.0.AppImage' },
      { ...sampleUpdateState(), availableVersion: '0.2' },
      { ...sampleUpdateState(), status: 'installing' },
      { ...sampleUpdateState(), progress: 101 },
      { ...sampleUpdateState(), unsupported: 'maybe' },
    ],
  },
  'app:status': {
    good: [
      sampleShellStatus(),
      sampleShellStatus({
        platform: 'darwin',
        displayServer: null,
        mediaKeys: 'needs-permission',
        mpris: null,
        signInScheme: {
          registered: false,
          reason: 'macOS lets only an installed copy open these addresses.',
        },
      }),
      sampleShellStatus({ window: false, platform: 'other', signInScheme: null, mediaKeys: 'unavailable' }),
    ],
    bad: [
      { ...sampleShellStatus(), mediaKeys: 'keyboard' },
      { ...sampleShellStatus(), displayServer: 'mir' },
      { ...sampleShellStatus(), signInScheme: { registered: 'no', reason: null } },
    ],
  },
};

describe('IPC contract', () => {
  it('has test cases for every channel and event', () => {
    expect(Object.keys(requestCases).sort()).toEqual(Object.keys(invokeChannels).sort());
    expect(Object.keys(eventCases).sort()).toEqual(Object.keys(eventChannels).sort());
  });

  for (const [channel, { good, bad }] of Object.entries(requestCases)) {
    const schema = invokeChannels[channel as InvokeChannel].request;
    it(`${channel}: accepts good requests and rejects bad ones`, () => {
      expect(bad.length).toBeGreaterThan(0);
      for (const payload of good) expect(v.safeParse(schema, payload).issues).toBeUndefined();
      for (const payload of bad)
        expect(v.safeParse(schema, payload).success, JSON.stringify(payload)).toBe(false);
    });
  }

  for (const [event, { good, bad }] of Object.entries(eventCases)) {
    const schema = eventChannels[event as EventChannel];
    it(`event ${event}: accepts good payloads and rejects bad ones`, () => {
      for (const payload of good) expect(v.safeParse(schema, payload).issues).toBeUndefined();
      for (const payload of bad)
        expect(v.safeParse(schema, payload).success, JSON.stringify(payload)).toBe(false);
    });
  }

  it('replies of every channel have a schema that accepts a realistic value', () => {
    const replies: { [C in InvokeChannel]?: unknown } = {
      'household:getSnapshot': sampleSnapshot(),
      'settings:get': sampleSettings(),
      'account:getState': sampleAccountState(),
      'diagnostics:get': sampleDiagnostics(),
      'diagnostics:copyReport': { text: 'report', copied: true },
      'app:getStatus': sampleShellStatus(),
      'group:setVolume': null,
    };
    for (const [channel, value] of Object.entries(replies)) {
      expect(v.safeParse(invokeChannels[channel as InvokeChannel].reply, value).issues).toBeUndefined();
    }
    expect(v.safeParse(invokeChannels['group:setVolume'].reply, undefined).success).toBe(false);
  });

  it('recognises channel names only for real own keys', () => {
    expect(isInvokeChannel('group:setVolume')).toBe(true);
    expect(isInvokeChannel('toString')).toBe(false);
    expect(isInvokeChannel('__proto__')).toBe(false);
    expect(isInvokeChannel(42)).toBe(false);
    expect(isEventChannel('household:patch')).toBe(true);
    expect(isEventChannel('household:getSnapshot')).toBe(false);
  });

  it('trims manual hosts and keeps ports in range', () => {
    expect(v.parse(HostSchema, '  10.0.0.9:1443 ')).toBe('10.0.0.9:1443');
    expect(v.safeParse(HostSchema, '10.0.0.9:0').success).toBe(false);
    expect(v.safeParse(HostSchema, '10.0.0.9:65535').success).toBe(true);
    expect(v.safeParse(HostSchema, 'bad host').success).toBe(false);
  });
});
