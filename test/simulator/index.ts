/**
 * The Sonos simulator: a household of players (one TLS websocket server each, like hardware) and the Sonos cloud
 * (OAuth + Control REST), all on 127.0.0.1, plus a control API for tests. `startSimulator` runs it in-process;
 * `npm run sim` (cli.ts) runs it as a process. See README.md in this folder.
 */
import { getaaPath, RADIO_ART_PATH } from './art';
import { createAuthority, issuePlayerCertificate } from './certs';
import { CloudServer, type CloudRequest } from './cloud-server';
import { createControl, type SimulatorControl, type SimulatorState } from './control';
import { startControlServer } from './control-server';
import { roomName } from './devices';
import { EventHub } from './event-hub';
import type { FrameContext } from './frames';
import { HoldBackQueues } from './hold-back';
import { Household } from './household';
import { OAuthStore } from './oauth-store';
import { resolveOptions, type OAuthMode, type PlayerAddress, type SimulatorOptions } from './options';
import { PlayerServer, type ReceivedCommand, type SentEvent } from './player-server';
import { Random, householdIdFrom, locationIdFrom, playerIdFrom } from './random';

export type { SimulatorOptions, OAuthClient, OAuthMode, PlayerAddress } from './options';
export type { SimulatorControl, SimulatorState, PlayerRef } from './control';
export type { CloudFailure, CloudFailMode, CloudRequest } from './cloud-server';
export type { GarbageKind, ReceivedCommand, SentEvent } from './player-server';
export type { PlaybackAction, PlaybackState } from './household';
export { SONOS_API_KEY, SONOS_SUBPROTOCOL } from './player-server';
export { DEFAULT_CLIENT } from './options';

/** Exactly what `npm run sim` prints as its first line. */
export interface SimulatorInfo {
  householdId: string;
  players: { id: string; name: string; host: string; wss: string }[];
  cloud: { authBase: string; apiBase: string };
  control: string;
}

export interface SimulatedPlayer {
  id: string;
  name: string;
  port: number;
  /** `127.0.0.1:PORT` */
  host: string;
  wss: string;
  /** The current certificate (changes after `control.rotateCertificate`). */
  certPem: string;
  /** As Node prints it: `getPeerCertificate().fingerprint256`. */
  fingerprint256: string;
}

export interface Simulator {
  info: SimulatorInfo;
  householdId: string;
  locationId: string;
  /** Live view: cert fields follow certificate rotations. */
  players: SimulatedPlayer[];
  /** The CA that signs every player certificate. */
  caPem: string | null;
  state(): SimulatorState;
  control: SimulatorControl;
  /** Called synchronously when a player receives a frame; returns the unsubscribe function. */
  onCommand(listener: (command: ReceivedCommand) => void): () => void;
  /** Called synchronously when a player writes an event frame to a socket; returns the unsubscribe function. */
  onEvent(listener: (event: SentEvent) => void): () => void;
  /** Every cloud/OAuth request so far, oldest first. */
  cloudRequests(): CloudRequest[];
  /** Closes every server and timer; ports are free when it resolves. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const opts = resolveOptions(options);
  const log = options.log ?? (() => undefined);
  const random = new Random(opts.seed);
  const householdId = householdIdFrom(random);
  const locationId = locationIdFrom(random);
  const ids = new Set<string>();
  const players = Array.from({ length: opts.players }, (_, index) => {
    let id = playerIdFrom(random);
    while (ids.has(id)) id = playerIdFrom(random);
    ids.add(id);
    return {
      id,
      name: roomName(index),
      volume: random.int(10, 40),
      serialSuffix: random.chars('ABCDEFGHJK', 1),
    };
  });
  const household = new Household({
    householdId,
    locationId,
    players,
    groups: opts.groups,
    trackMs: opts.trackMs,
    playing: opts.playing,
    groupCounter: random.int(100_000_000, 1_900_000_000),
  });

  const flags = {
    localAuth: false,
    oauthMode: opts.oauthMode as OAuthMode,
    extraDelayMs: 0,
    cloudFailure: () => cloud.failureMode,
  };
  const servers = new Map<string, PlayerServer>();
  const addresses = new Map<string, PlayerAddress>(
    players.map((p, index) => [
      p.id,
      options.playerAddress?.(index) ?? { bind: '127.0.0.1', port: 0, advertise: () => '127.0.0.1' },
    ]),
  );
  /** `address:port` a player reports now. */
  const hostOf = (id: string): string =>
    `${addresses.get(id)?.advertise() ?? '127.0.0.1'}:${servers.get(id)?.port ?? 0}`;
  const frames: FrameContext = {
    household,
    websocketUrl: (id) => `wss://${hostOf(id)}/websocket/api`,
    restUrl: (id) => `https://${hostOf(id)}/api`,
    // Each coordinator serves its group's art at its own address: the playlist over http (a second port, like a
    // real player's :1400), the station's logo over https on its own port.
    artUrl: (index, coordinatorId) => {
      const id = coordinatorId ?? household.players()[0]?.id ?? '';
      const server = servers.get(id);
      const address = addresses.get(id)?.advertise() ?? '127.0.0.1';
      return index < 0
        ? `https://${address}:${server?.port ?? 0}${RADIO_ART_PATH}`
        : `http://${address}:${server?.artPort ?? 0}${getaaPath(index)}`;
    },
  };
  const queues = new HoldBackQueues(() => opts.holdBackMs);
  const hub = new EventHub(household);
  const oauth = new OAuthStore({
    clients: opts.clients,
    ttlSeconds: opts.tokenTtlSeconds,
    rotateRefreshTokens: opts.rotateRefreshTokens,
  });
  const cloud = new CloudServer({
    household,
    frames,
    oauth,
    queues,
    settings: {
      latencyMs: () => opts.latencyMs + flags.extraDelayMs,
      applyDelayMs: () => opts.applyDelayMs,
      oauthMode: () => flags.oauthMode,
    },
    log,
  });
  const listeners = new Set<(command: ReceivedCommand) => void>();
  const eventListeners = new Set<(event: SentEvent) => void>();

  const authority = await createAuthority();
  const certificates = await Promise.all(
    players.map((p) => issuePlayerCertificate(authority, `${p.id}.sonos.local`)),
  );
  for (const [index, player] of household.players().entries()) {
    const certificate = certificates[index];
    if (!certificate) throw new Error('missing certificate');
    const server = new PlayerServer({
      player,
      frames,
      queues,
      certificate,
      settings: {
        latencyMs: () => opts.latencyMs,
        eventDelayMs: () => opts.eventDelayMs,
        applyDelayMs: () => opts.applyDelayMs,
        localAuth: () => flags.localAuth,
      },
      hold: (fn) => hub.hold(fn),
      onEvent: (event) => {
        for (const listener of [...eventListeners]) listener(event);
      },
      onCommand: (command) => {
        for (const listener of [...listeners]) {
          try {
            listener(command);
          } catch (error) {
            log(`onCommand listener failed: ${String(error)}`);
          }
        }
      },
      log,
    });
    servers.set(player.id, server);
    hub.add(server);
  }

  const running: { stop: () => Promise<void> }[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      queues.stop();
      hub.stop();
      household.dispose();
      await Promise.all([...running.map((r) => r.stop()), ...[...servers.values()].map((s) => s.stop())]);
    })();
    return stopping;
  };

  try {
    await cloud.start();
    running.push({ stop: () => cloud.stop() });
    await Promise.all(
      [...servers].map(([id, server]) => {
        const address = addresses.get(id)!;
        return server.listen(address.port, address.bind);
      }),
    );
    const { control, state } = createControl({
      household,
      servers,
      cloud,
      oauth,
      authority,
      rebootMs: opts.rebootMs,
      flags,
    });
    const info: SimulatorInfo = {
      householdId,
      players: household.players().map((p) => ({
        id: p.id,
        name: p.name,
        host: hostOf(p.id),
        wss: `wss://${hostOf(p.id)}/websocket/api`,
      })),
      cloud: { authBase: cloud.base, apiBase: `${cloud.base}/control/api/v1` },
      control: '',
    };
    const controlServer = await startControlServer(
      control,
      state,
      () => info,
      () => authority.cert,
    );
    running.push({ stop: controlServer.close });
    info.control = controlServer.url;

    const simulatedPlayers: SimulatedPlayer[] = household.players().map((p) => {
      const server = servers.get(p.id);
      if (!server) throw new Error('missing server');
      return {
        id: p.id,
        name: p.name,
        port: server.port,
        host: hostOf(p.id),
        wss: `wss://${hostOf(p.id)}/websocket/api`,
        get certPem() {
          return server.certificate.cert;
        },
        get fingerprint256() {
          return server.certificate.fingerprint256;
        },
      };
    });
    log(`simulator up: ${opts.players} players, seed ${opts.seed}`);
    return {
      info,
      householdId,
      locationId,
      players: simulatedPlayers,
      caPem: authority.cert,
      state,
      control,
      onCommand(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onEvent(listener) {
        eventListeners.add(listener);
        return () => eventListeners.delete(listener);
      },
      cloudRequests: () => cloud.requests(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
