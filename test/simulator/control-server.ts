/**
 * The HTTP control API (`info.control`): `GET /state`, `GET /info`, `GET /ca`, and `POST /<method>` for every method of
 * SimulatorControl with its arguments as a JSON object (`POST /setGroupVolume {"groupId": "…", "volume": 30}`).
 * Answers `{"ok": true, "result": …}`, or 400/404 `{"ok": false, "error": "…"}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CloudFailure } from './cloud-server';
import type { PlayerRef, SimulatorControl, SimulatorState } from './control';
import type { PlaybackAction } from './household';
import { listenLocal, readBody, sendJson, sendText } from './http-util';
import type { OAuthMode } from './options';
import type { GarbageKind } from './player-server';

type Args = Record<string, unknown>;

function str(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

function num(args: Args, name: string): number {
  const value = args[name];
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
}

function bool(args: Args, name: string): boolean {
  const value = args[name];
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  return value;
}

function player(args: Args, name = 'playerId'): PlayerRef {
  const value = args[name];
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new TypeError(`${name} must be an id or number`);
  return value;
}

/** Each route unpacks its JSON arguments and calls the in-process control method of the same name. */
function routes(control: SimulatorControl): Record<string, (args: Args) => unknown> {
  return {
    dropSockets: (a) => control.dropSockets(player(a)),
    takeOffline: (a) => control.takeOffline(player(a)),
    bringOnline: (a) => control.bringOnline(player(a)),
    reboot: (a) => control.reboot(player(a), a['downMs'] === undefined ? undefined : num(a, 'downMs')),
    rotateCertificate: (a) => control.rotateCertificate(player(a)),
    sendGarbage: (a) => control.sendGarbage(player(a), str(a, 'kind') as GarbageKind),
    delayReplies: (a) => control.delayReplies(num(a, 'ms')),
    moveCoordinator: (a) => control.moveCoordinator(str(a, 'groupId'), player(a)),
    regroup: (a) => {
      const groups = a['groups'];
      if (typeof groups !== 'string' && !Array.isArray(groups))
        throw new TypeError('groups must be "1+2,3" or [[1,2],[3]]');
      return control.regroup(groups as string | number[][]);
    },
    setPlayerVolume: (a) => control.setPlayerVolume(player(a), num(a, 'volume')),
    setGroupVolume: (a) => control.setGroupVolume(str(a, 'groupId'), num(a, 'volume')),
    setMute: (a) => {
      const id = a['groupId'] ?? a['playerId'] ?? a['id'];
      if (typeof id !== 'string' && typeof id !== 'number')
        throw new TypeError('groupId or playerId is required');
      return control.setMute(id, bool(a, 'muted'));
    },
    playback: (a) => control.playback(str(a, 'groupId'), str(a, 'action') as PlaybackAction),
    setPlayModes: (a) => {
      const modes = a['playModes'];
      if (typeof modes !== 'object' || modes === null || Array.isArray(modes))
        throw new TypeError('playModes must be an object');
      return control.setPlayModes(str(a, 'groupId'), modes as Record<string, boolean>);
    },
    seek: (a) => control.seek(str(a, 'groupId'), num(a, 'positionMillis')),
    playSource: (a) => {
      const source = str(a, 'source');
      if (source !== 'playlist' && source !== 'radio' && source !== 'connect')
        throw new TypeError('source must be playlist, radio or connect');
      return control.playSource(str(a, 'groupId'), source);
    },
    loadFavorite: (a) => control.loadFavorite(str(a, 'groupId'), str(a, 'favoriteId')),
    addFavorite: (a) => {
      const kind = a['kind'];
      if (kind !== undefined && kind !== 'station' && kind !== 'playlist')
        throw new TypeError('kind must be station or playlist');
      return control.addFavorite(str(a, 'name'), kind);
    },
    removeFavorite: (a) => control.removeFavorite(str(a, 'favoriteId')),
    addPlaylist: (a) =>
      control.addPlaylist(str(a, 'name'), a['trackCount'] === undefined ? undefined : num(a, 'trackCount')),
    removePlaylist: (a) => control.removePlaylist(str(a, 'playlistId')),
    setHomeTheater: (a) => {
      const options: { nightMode?: boolean; enhanceDialog?: boolean } = {};
      if (a['nightMode'] !== undefined) options.nightMode = bool(a, 'nightMode');
      if (a['enhanceDialog'] !== undefined) options.enhanceDialog = bool(a, 'enhanceDialog');
      return control.setHomeTheater(player(a), options);
    },
    setSoftwareVersion: (a) => control.setSoftwareVersion(player(a), str(a, 'version')),
    failCloud: (a) => {
      const failure: CloudFailure = { mode: str(a, 'mode') as CloudFailure['mode'] };
      if (a['count'] !== undefined) failure.count = num(a, 'count');
      return control.failCloud(failure);
    },
    expireAllTokens: () => control.expireAllTokens(),
    revokeRefreshTokens: () => control.revokeRefreshTokens(),
    setLocalAuth: (a) => control.setLocalAuth(bool(a, 'enabled')),
    setOAuthMode: (a) => control.setOAuthMode(str(a, 'mode') as OAuthMode),
  };
}

export async function startControlServer(
  control: SimulatorControl,
  state: () => SimulatorState,
  info: () => unknown,
  caPem: () => string | null,
): Promise<{ url: string; close: () => Promise<void> }> {
  const table = routes(control);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && path === '/state') return sendJson(res, 200, state());
    if (req.method === 'GET' && path === '/info') return sendJson(res, 200, info());
    // A process that started `npm run sim` can fetch the CA to verify players instead of pinning on first use.
    if (req.method === 'GET' && path === '/ca') {
      const pem = caPem();
      return pem === null
        ? sendJson(res, 404, { ok: false, error: 'no CA' })
        : sendText(res, 200, pem, 'application/x-pem-file');
    }
    const route = req.method === 'POST' ? table[path.slice(1)] : undefined;
    if (!route) return sendJson(res, 404, { ok: false, error: `no control endpoint ${req.method} ${path}` });
    let args: Args = {};
    try {
      const text = await readBody(req);
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new TypeError('body must be a JSON object');
      args = parsed as Args;
      const result = await route(args);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (error) {
      sendJson(res, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  const { port, close } = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, close };
}
