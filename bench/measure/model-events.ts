/**
 * 100k player events through the household model for 32 players in 16 groups: from the frame's text to the patch
 * the popover would receive (parse, validate, apply, flush). Heap growth is measured after forced collections.
 */
import { HouseholdModel } from '../../main/core/household/household-model';
import { silentLogger } from '../../main/core/logger';
import { parseFrame } from '../../main/core/sonos/local/frames';
import { LocalNetwork } from '../../main/core/sonos/local/local-network';
import { memoryPinStore, TlsTrust } from '../../main/core/sonos/local/tls-trust';
import { collectGarbage, heapMb } from '../../test/support/gc';
import { captureJson } from '../../test/support/captures';
import { round, summary } from '../stats';

const HH = 'Sonos_BenchHousehold.BenchSuffix';

export async function measureModelEvents(
  events = 100_000,
): Promise<{ p50: number; p99: number; heapGrowthMb: number }> {
  const gc = collectGarbage();
  const players = Array.from({ length: 32 }, (_, i) => `RINCON_${String(i).padStart(12, '0')}01400`);
  const groups = Array.from({ length: 16 }, (_, i) => ({
    id: `${players[i * 2]}:1`,
    coordinatorId: players[i * 2]!,
    playerIds: [players[i * 2]!, players[i * 2 + 1]!],
  }));
  const model = new HouseholdModel();
  let patches = 0;
  model.onPatch(() => (patches += 1));
  // Closed loopback port: the network tries to connect and fails quietly; we feed frames ourselves.
  const network = new LocalNetwork({
    model,
    trust: new TlsTrust(memoryPinStore()),
    logger: silentLogger,
    connection: { backoffInitialMs: 60_000, backoffMaxMs: 60_000 },
  });
  const header = (namespace: string, type: string, ids: object) =>
    ({ namespace, householdId: HH, locationId: 'lc_bench', name: type, type, ...ids }) as const;
  // Found as discovery would find it: its socket speaks for this household (and the others, once listed, too).
  network.addPlayer({
    playerId: players[0]!,
    householdId: HH,
    websocketUrl: 'wss://127.0.0.1:9/websocket/api',
    name: players[0]!,
  });
  network.ingest(players[0]!, {
    kind: 'event',
    namespace: 'groups',
    header: header('groups:1', 'groups', {}),
    body: {
      groups: groups.map((g) => ({ ...g, name: g.coordinatorId })),
      players: players.map((id) => ({ id, name: id, websocketUrl: 'wss://127.0.0.1:9/websocket/api' })),
    },
  });
  const [, metadata] = captureJson<[unknown, Record<string, unknown>]>(
    'local/ws.playbackMetadata.metadataStatus.event.json',
  );
  const [, playback] = captureJson<[unknown, Record<string, unknown>]>(
    'local/ws.playback.playbackStatus.event.json',
  );
  const frameText = (i: number): string => {
    const group = groups[i % groups.length]!;
    const player = players[i % players.length]!;
    switch (i % 4) {
      case 0:
        return JSON.stringify([
          header('groupVolume:1', 'groupVolume', { groupId: group.id }),
          { _objectType: 'groupVolume', volume: i % 101, muted: false, fixed: false },
        ]);
      case 1:
        return JSON.stringify([
          header('playerVolume:1', 'playerVolume', { playerId: player }),
          { _objectType: 'playerVolume', volume: (i * 3) % 101, muted: i % 7 === 0, fixed: false },
        ]);
      case 2:
        return JSON.stringify([
          header('playback:1', 'playbackStatus', { groupId: group.id }),
          { ...playback, positionMillis: i },
        ]);
      default:
        return JSON.stringify([
          {
            ...header('playbackMetadata:1', 'metadataStatus', { groupId: group.id }),
            name: 'playbackMetadataStatus',
          },
          { ...metadata, currentItem: { track: { name: `Track ${i % 50}`, artist: { name: 'Bench' } } } },
        ]);
    }
  };
  const texts = Array.from({ length: 1_000 }, (_, i) => frameText(i));
  const one = async (text: string, playerId: string): Promise<number> => {
    const start = performance.now();
    const frame = parseFrame(text);
    if (frame) network.ingest(playerId, frame);
    await Promise.resolve();
    return performance.now() - start;
  };
  for (let i = 0; i < 5_000; i++) await one(texts[i % texts.length]!, players[0]!);
  gc();
  const heapBefore = heapMb();
  const samples = new Array<number>(events);
  for (let i = 0; i < events; i++)
    samples[i] = await one(texts[i % texts.length]!, players[i % players.length]!);
  gc();
  const heapGrowthMb = round(heapMb() - heapBefore, 2);
  network.stop();
  model.dispose();
  if (patches === 0) throw new Error('no patches: the events did not reach the model');
  const { p50, p99 } = summary(samples);
  return { p50, p99, heapGrowthMb };
}
