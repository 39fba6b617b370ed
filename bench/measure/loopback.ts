/**
 * The physical floor: a bare `ws` echo over TLS on 127.0.0.1, measured in the same run as everything else so the
 * other numbers can be read as ratios of it on a noisy machine.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createAuthority, issuePlayerCertificate } from '../../test/simulator/certs';
import { summary } from '../stats';

const FRAME = JSON.stringify([
  {
    namespace: 'groupVolume:1',
    command: 'setVolume',
    householdId: 'Sonos_Bench',
    groupId: 'RINCON_B:1',
    cmdId: '1',
  },
  { volume: 42 },
]);

export async function measureLoopback(rounds = 2_000): Promise<{ p50: number; p99: number }> {
  const authority = await createAuthority();
  const cert = await issuePlayerCertificate(authority, 'bench.sonos.local');
  const server = createServer({ cert: cert.cert, key: cert.key });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data.toString())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`wss://127.0.0.1:${port}/`, {
    ca: authority.cert,
    checkServerIdentity: (() => undefined) as never,
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const once = (): Promise<number> =>
    new Promise((resolve) => {
      const start = performance.now();
      client.once('message', () => resolve(performance.now() - start));
      client.send(FRAME);
    });
  // Paced like the intent → frame measurement (3 ms apart), so the two are timed the same way.
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));
  for (let i = 0; i < 200; i++) {
    await once();
    await pause();
  }
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    samples.push(await once());
    await pause();
  }
  client.terminate();
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const { p50, p99 } = summary(samples);
  return { p50, p99 };
}
