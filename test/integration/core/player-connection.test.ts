/**
 * PlayerConnection against small TLS websocket servers of our own, for what the simulator is too polite to do:
 * never answering pings or commands, and checking what our client sends in the handshake.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import { SONOS_LOCAL_API_KEY, SONOS_WS_SUBPROTOCOL } from '../../../main/core/sonos/constants';
import { PlayerConnection } from '../../../main/core/sonos/local/player-connection';
import { memoryPinStore, TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { startRawPlayer, type RawPlayer } from '../../support/raw-player';

/** A player that accepts the socket and then says nothing: no pongs, no replies. */
const quietPlayer = () => startRawPlayer({ autoPong: false });
type Quiet = RawPlayer;

let player: Quiet | null = null;
let connection: PlayerConnection | null = null;
afterEach(async () => {
  connection?.stop();
  await player?.close();
  player = null;
  connection = null;
});

function connect(url: string, options: Partial<ConstructorParameters<typeof PlayerConnection>[0]> = {}) {
  connection = new PlayerConnection({
    url,
    playerId: 'RINCON_QUIET01400',
    trust: new TlsTrust(memoryPinStore()),
    logger: silentLogger,
    backoffInitialMs: 50,
    backoffMaxMs: 200,
    ...options,
  });
  connection.start();
  return connection;
}

describe('PlayerConnection', () => {
  it('opens from Node with the API key and subprotocol and without an Origin header', async () => {
    player = await quietPlayer();
    const c = connect(player.url);
    await vi.waitFor(() => expect(c.state).toBe('open'));
    const [headers] = player.headers;
    expect(headers!['x-sonos-api-key']).toBe(SONOS_LOCAL_API_KEY);
    expect(headers!['sec-websocket-protocol']).toBe(SONOS_WS_SUBPROTOCOL);
    expect(headers!.origin).toBeUndefined();
  });

  it('times out a command the player never answers, with a clear error, and sends a cmdId', async () => {
    player = await quietPlayer();
    const c = connect(player.url, { commandTimeoutMs: 150 });
    await vi.waitFor(() => expect(c.state).toBe('open'));
    await expect(
      c.send('groupVolume:1', 'getVolume', { householdId: 'HH', groupId: 'G:1' }),
    ).rejects.toMatchObject({
      code: 'timeout',
      message: 'The speaker did not answer in time.',
      maybeDelivered: true,
    });
    expect(JSON.parse(player.frames[0]!)[0]).toMatchObject({ command: 'getVolume', cmdId: '1' });
  });

  it('drops a socket whose player stops answering pings, reconnects and resubscribes', async () => {
    player = await quietPlayer();
    const c = connect(player.url, { keepAliveMs: 100 });
    c.subscribe({
      namespace: 'playerVolume:1',
      target: { householdId: 'HH', playerId: 'RINCON_QUIET01400' },
    });
    await vi.waitFor(() => expect(c.state).toBe('open'));
    await vi.waitFor(() => expect(player!.headers.length).toBeGreaterThanOrEqual(2), { timeout: 3_000 });
    // The new socket subscribes right after it opens.
    await vi.waitFor(() =>
      expect(player!.frames.filter((f) => f.includes('"subscribe"')).length).toBeGreaterThanOrEqual(2),
    );
  });

  it('rejects pending commands when the socket closes, and reports the player unreachable', async () => {
    player = await quietPlayer();
    const c = connect(player.url, { commandTimeoutMs: 5_000 });
    await vi.waitFor(() => expect(c.state).toBe('open'));
    const pending = c.send('playback:1', 'play', { householdId: 'HH', groupId: 'G:1' });
    for (const client of player.wss.clients) client.terminate();
    // It was sent, so the player may have acted on it before the socket went.
    await expect(pending).rejects.toMatchObject({ code: 'unreachable', maybeDelivered: true });
    await vi.waitFor(() => expect(['backoff', 'connecting', 'open']).toContain(c.state));
    // Not sent at all: certainly not carried out.
    c.stop();
    await expect(c.send('playback:1', 'play', { householdId: 'HH', groupId: 'G:1' })).rejects.toMatchObject({
      code: 'unreachable',
      maybeDelivered: false,
    });
  });

  it('backs off with jitter between attempts while nothing listens', async () => {
    const delays: number[] = [];
    const c = connect('wss://127.0.0.1:9/websocket/api', {
      backoffInitialMs: 100,
      backoffMaxMs: 400,
      random: () => 0,
    });
    c.on('state', (state) => {
      if (state === 'backoff') delays.push(Date.now());
    });
    await vi.waitFor(() => expect(delays.length).toBeGreaterThanOrEqual(4), { timeout: 3_000 });
    const gaps = delays.slice(1).map((t, i) => t - delays[i]!);
    // random() = 0 gives half of 100, 200, 400, 400 … plus connect time.
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[2]).toBeGreaterThanOrEqual(190);
    expect(c.lastError?.code).toBe('unreachable');
  });
  it('does not reset the backoff for a player that accepts and drops every socket at once', async () => {
    player = await quietPlayer();
    let holdMs = 0;
    player.wss.on('connection', (ws) => void setTimeout(() => ws.close(), holdMs));
    const opens: number[] = [];
    const c = connect(player.url, {
      backoffInitialMs: 100,
      backoffMaxMs: 400,
      stableAfterMs: 300,
      random: () => 0,
    });
    c.on('state', (state) => {
      if (state === 'open') opens.push(Date.now());
    });
    await vi.waitFor(() => expect(opens.length).toBeGreaterThanOrEqual(4), { timeout: 5_000 });
    const gaps = opens.slice(1).map((t, i) => t - opens[i]!);
    // Half of 100, 200, 400 with random() = 0: the waits grow although each attempt "opened".
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(190);
    // A socket that stays open long enough counts as healthy: the next wait starts small again.
    holdMs = 400;
    const before = opens.length;
    await vi.waitFor(() => expect(opens.length).toBeGreaterThanOrEqual(before + 2), { timeout: 5_000 });
    const afterStable = opens.at(-1)! - opens.at(-2)!;
    expect(afterStable).toBeLessThan(400 + 190);
  });
});
