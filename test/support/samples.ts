/** Valid contract values for tests, each a fresh object so a test can change it freely. */
import type {
  ShellStatus,
  AccountState,
  Diagnostics,
  Group,
  HouseholdSnapshot,
  Player,
  Settings,
  UpdateState,
} from '../../main/contract/model';

export const HOUSEHOLD_ID = 'Sonos_TestHousehold.TestSuffix';

export function samplePlayer(overrides: Partial<Player> = {}): Player {
  return {
    id: 'RINCON_000E58A0000001400',
    householdId: HOUSEHOLD_ID,
    name: 'Kitchen',
    sonosName: 'Kitchen',
    volume: 35,
    muted: false,
    fixedVolume: false,
    connection: 'connected',
    problem: null,
    homeTheater: null,
    ...overrides,
  };
}

export function sampleGroup(overrides: Partial<Group> = {}): Group {
  return {
    id: 'RINCON_000E58A0000001400:12',
    householdId: HOUSEHOLD_ID,
    name: 'Kitchen',
    coordinatorId: 'RINCON_000E58A0000001400',
    playerIds: ['RINCON_000E58A0000001400'],
    volume: 35,
    muted: false,
    fixedVolume: false,
    playback: 'playing',
    actions: {
      canPlay: true,
      canPause: true,
      canSkip: true,
      canSkipBack: true,
      canSeek: true,
      canShuffle: true,
      canRepeat: true,
      canRepeatOne: true,
      canCrossfade: false,
    },
    nowPlaying: {
      title: 'Off the Wall',
      artist: 'Michael Jackson',
      album: 'Off the Wall',
      container: 'R&B-mix',
      service: 'Spotify',
      artUrl: 'https://i.scdn.co/image/ab67616d0000b2732b74bf21c7e4f56758610949',
      durationMs: 246000,
    },
    positionMs: 133000,
    positionAt: 1_700_000_000_000,
    playModes: { shuffle: false, repeat: 'off', crossfade: false },
    ...overrides,
  };
}

export function sampleSnapshot(): HouseholdSnapshot {
  const player = samplePlayer();
  const group = sampleGroup();
  return {
    revision: 3,
    discovery: 'idle',
    households: {
      [HOUSEHOLD_ID]: { id: HOUSEHOLD_ID, name: null, transport: 'local', favorites: null, playlists: null },
    },
    groups: { [group.id]: group },
    players: { [player.id]: player },
  };
}

export function sampleSettings(): Settings {
  return {
    hotkeyVolumeStep: 5,
    hotkeys: { volumeUp: 'CommandOrControl+Alt+Up', volumeDown: 'CommandOrControl+Alt+Down' },
    hotkeyTargetPlayerId: null,
    notifications: { enabled: true, playerIds: null },
    launchAtLogin: false,
    manualHosts: ['192.168.1.20', 'kitchen.local:1443'],
    skipVirtualInterfaces: false,
    preferCloud: false,
    updates: { automatic: true, prerelease: false },
    mediaKeys: true,
    xwayland: false,
  };
}

export function sampleAccountState(): AccountState {
  return {
    status: 'signedOut',
    client: { clientId: null, redirectUri: null, hasSecret: false },
    storage: 'encrypted',
    canEncrypt: true,
    authorizeUrl: null,
    pendingExpiresAt: null,
    expiresAt: null,
    households: [],
    error: null,
  };
}

export function sampleDiagnostics(): Diagnostics {
  return {
    app: { version: '0.1.0', electron: null, node: '20.20.2', os: 'linux x64' },
    players: [
      {
        id: 'RINCON_000E58A0000001400',
        name: 'Kitchen',
        host: '127.0.0.1:41443',
        foundBy: ['manual'],
        connection: 'connected',
        lastError: null,
        tls: { status: 'pinned', fingerprint: 'AB:CD' },
      },
    ],
    hotkeys: [
      {
        action: 'volumeUp',
        accelerator: 'CommandOrControl+Alt+Up',
        registered: true,
        state: 'registered',
        problem: null,
      },
    ],
    account: { status: 'signedOut', lastTransport: 'local' },
  };
}

export function sampleUpdateState(): UpdateState {
  return {
    status: 'idle',
    currentVersion: '0.1.0',
    availableVersion: null,
    progress: null,
    lastCheckedAt: 1_700_000_000_000,
    error: null,
    unsupported: null,
  };
}

export function sampleShellStatus(overrides: Partial<ShellStatus> = {}): ShellStatus {
  return {
    window: true,
    platform: 'linux',
    displayServer: 'wayland',
    mediaKeys: 'mpris',
    mpris: 'org.mpris.MediaPlayer2.tray_for_sonos',
    signInScheme: { registered: true, reason: null },
    ...overrides,
  };
}
