import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONOS_API_KEY, SONOS_SUBPROTOCOL, type Simulator } from '../../simulator';
import {
  handshakeStatus,
  httpsGetJson,
  skipNameCheck,
  startFastSimulator,
  TestSocket,
} from './ws-test-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startFastSimulator({ players: 2 });
});
afterAll(() => sim.stop());

function peerCertificate(
  port: number,
  options: { ca: string; verifyName: boolean },
): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: options.ca,
      ...(options.verifyName ? {} : { checkServerIdentity: () => undefined }),
    });
    socket.once('secureConnect', () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('player TLS', () => {
  it('signs each player its own certificate with a CA, naming a device rather than 127.0.0.1', async () => {
    expect(sim.caPem).toContain('BEGIN CERTIFICATE');
    const ca = new X509Certificate(sim.caPem ?? '');
    expect(ca.subject).toMatch(/Sonos Device Authentication Root CA/);
    const [first, second] = sim.players;
    if (!first || !second) throw new Error('two players expected');
    expect(first.fingerprint256).not.toBe(second.fingerprint256);
    for (const player of sim.players) {
      const cert = new X509Certificate(player.certPem);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subject).toContain(`CN=${player.id}.sonos.local`);
      expect(cert.checkIP('127.0.0.1')).toBeUndefined();
      const peer = await peerCertificate(player.port, { ca: sim.caPem ?? '', verifyName: false });
      expect(peer.fingerprint256).toBe(player.fingerprint256);
    }
  });

  it('fails a default hostname check, like real players do', async () => {
    const port = sim.players[0]?.port ?? 0;
    await expect(peerCertificate(port, { ca: sim.caPem ?? '', verifyName: true })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('is not trusted without the CA', async () => {
    const port = sim.players[0]?.port ?? 0;
    const other = await startFastSimulator({ players: 1, seed: 7 });
    try {
      // Both CAs share a subject name, so OpenSSL finds "the" issuer and then rejects its signature.
      await expect(peerCertificate(port, { ca: other.caPem ?? '', verifyName: false })).rejects.toMatchObject(
        {
          code: expect.stringMatching(/CERT_SIGNATURE_FAILURE|UNABLE_TO_VERIFY_LEAF_SIGNATURE/),
        },
      );
    } finally {
      await other.stop();
    }
  });
});

describe('websocket handshake', () => {
  const base = () => ({ ca: sim.caPem ?? '', checkServerIdentity: skipNameCheck });
  const wss = () => sim.players[0]?.wss ?? '';

  it('accepts the API key with the Sonos subprotocol', async () => {
    const socket = await TestSocket.open(sim, 1);
    expect(socket.ws.protocol).toBe(SONOS_SUBPROTOCOL);
    socket.close();
  });

  it('answers 401 without an API key and 403 with a wrong one', async () => {
    expect(await handshakeStatus(wss(), [SONOS_SUBPROTOCOL], base())).toBe(401);
    expect(
      await handshakeStatus(wss(), [SONOS_SUBPROTOCOL], {
        ...base(),
        headers: { 'X-Sonos-Api-Key': 'nope' },
      }),
    ).toBe(403);
  });

  it('answers 403 when an Origin header is present, even with the right key', async () => {
    const status = await handshakeStatus(wss(), [SONOS_SUBPROTOCOL], {
      ...base(),
      headers: { 'X-Sonos-Api-Key': SONOS_API_KEY },
      origin: 'http://127.0.0.1:5173',
    });
    expect(status).toBe(403);
  });

  it('refuses a handshake without the Sonos subprotocol', async () => {
    const headers = { 'X-Sonos-Api-Key': SONOS_API_KEY };
    expect(await handshakeStatus(wss(), ['v2.other'], { ...base(), headers })).toBe(400);
    expect(await handshakeStatus(wss(), [], { ...base(), headers })).toBe(400);
  });

  it('serves the websocket only at /websocket/api', async () => {
    const url = wss().replace('/websocket/api', '/websocket/other');
    expect(
      await handshakeStatus(url, [SONOS_SUBPROTOCOL], {
        ...base(),
        headers: { 'X-Sonos-Api-Key': SONOS_API_KEY },
      }),
    ).toBe(404);
  });
});

describe('GET /api/v1/players/local/info', () => {
  it('answers with this player’s ids and 127.0.0.1 URLs', async () => {
    const player = sim.players[1];
    if (!player) throw new Error('player 2 expected');
    const { status, body } = await httpsGetJson(sim, 2, '/api/v1/players/local/info', {
      'X-Sonos-Api-Key': SONOS_API_KEY,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      _objectType: 'discoveryInfo',
      householdId: sim.householdId,
      locationId: sim.locationId,
      playerId: player.id,
      deviceId: player.id.slice(7, 19),
      groupId: sim.state().players[1]?.groupId,
      websocketUrl: player.wss,
      restUrl: `https://${player.host}/api`,
      credentialTypeAllowed: 'API_KEY',
      device: { _objectType: 'deviceInfo', id: player.id, name: player.name, websocketUrl: player.wss },
    });
  });

  it('answers 400 with the captured body without a valid key', async () => {
    const expected = {
      _objectType: 'globalError',
      errorCode: 'ERROR_API_KEY_VALIDATION_FAILED',
      reason: 'Invalid api key',
    };
    const missing = await httpsGetJson(sim, 1, '/api/v1/players/local/info');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(expected);
    const wrong = await httpsGetJson(sim, 1, '/api/v1/players/local/info', { 'X-Sonos-Api-Key': 'wrong' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual(expected);
  });
});
