/**
 * The art proxy against real servers on loopback: a "player" serving its own art over http and https (pinned
 * certificate), and an "internet" art host on 127.0.0.2 — which these tests, and only they, count as public — with
 * redirects to everywhere an attacker would like the app to go.
 */
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../../main/core/art/addresses';
import { ArtProxy, type ArtProxyOptions, type ArtSource } from '../../../main/core/art/art-proxy';
import { memoryPinStore, TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { createAuthority, issuePlayerCertificate } from '../../simulator/certs';
import { loopbackLookup } from '../../support/loopback-lookup';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PLAYER_ID = 'RINCON_000E58A0000001400';

let playerHttp: Server;
let playerHttps: Server;
let internet: Server;
let plainInternet: Server;
let ca: string;
let playerFingerprint: string;
const port = (server: Server) => (server.address() as AddressInfo).port;

function image(res: ServerResponse, body: Buffer = PNG, type = 'image/png'): void {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}

async function listen(server: Server, host: string): Promise<Server> {
  await new Promise<void>((done) => server.listen(0, host, done));
  return server;
}

beforeAll(async () => {
  const authority = await createAuthority();
  ca = authority.cert;
  const player = await issuePlayerCertificate(authority, `${PLAYER_ID}.sonos.local`);
  playerFingerprint = player.fingerprint256;
  const art = await issuePlayerCertificate(authority, 'art.example.test');
  playerHttp = await listen(
    createHttpServer((req, res) => (req.url?.startsWith('/getaa') ? image(res) : res.writeHead(404).end())),
    '127.0.0.1',
  );
  playerHttps = await listen(
    createHttpsServer({ cert: player.cert, key: player.key }, (req, res) =>
      req.url === '/art/radio.svg'
        ? image(res, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')
        : req.url === '/elsewhere'
          ? res.writeHead(302, { location: 'https://art.example.test/cover.png' }).end()
          : res.writeHead(404).end(),
    ),
    '127.0.0.1',
  );
  plainInternet = await listen(
    createHttpServer((_req, res) => image(res)),
    '127.0.0.2',
  );
  internet = await listen(
    createHttpsServer({ cert: art.cert, key: art.key }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://art.example.test');
      const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
      const redirect = (location: string) => res.writeHead(302, { location }).end();
      if (url.pathname === '/cover.png') return image(res);
      if (hop) return Number(hop[1]) === 0 ? image(res) : redirect(`/hop/${Number(hop[1]) - 1}`);
      if (url.pathname === '/to-http')
        return redirect(`http://art.example.test:${port(plainInternet)}/x.png`);
      if (url.pathname === '/to-loopback')
        return redirect(`https://127.0.0.1:${port(playerHttps)}/art/radio.svg`);
      if (url.pathname === '/to-lan-name')
        return redirect(`https://lan.example.test:${port(internet)}/cover.png`);
      if (url.pathname === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<h1>not art</h1>');
      }
      if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.alloc(3 * 1024 * 1024));
      }
      if (url.pathname === '/big-declared') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': '99999999' });
        return res.write(PNG);
      }
      if (url.pathname === '/slow') return; // never answers
      res.writeHead(404).end();
    }),
    '127.0.0.2',
  );
});

afterAll(() => {
  for (const server of [playerHttp, playerHttps, internet, plainInternet]) {
    server.closeAllConnections();
    server.close();
  }
});

function proxy(options: Partial<ArtProxyOptions> & { systemCasOnly?: boolean } = {}): {
  art: ArtProxy;
  refused: string[];
} {
  const { systemCasOnly, ...rest } = options;
  const refused: string[] = [];
  const art = new ArtProxy({
    trust: new TlsTrust(memoryPinStore({ [PLAYER_ID]: playerFingerprint })),
    lookup: loopbackLookup({
      'art.example.test': '127.0.0.2',
      'cdn.example.test': '127.0.0.2',
      'lan.example.test': '127.0.0.1',
    }),
    // Here 127.0.0.2 stands in for the internet; everything else (127.0.0.1 included) is as local as ever.
    isPublic: (address) => address === '127.0.0.2',
    ...(systemCasOnly ? {} : { ca }),
    timeoutMs: 1_500,
    onRefused: (_url, reason) => refused.push(reason),
    ...rest,
  });
  return { art, refused };
}

const player: ArtSource = { playerId: PLAYER_ID, host: '127.0.0.1' };
const cloudOnly: ArtSource = { playerId: PLAYER_ID, host: null };

async function served(art: ArtProxy, url: string, source: ArtSource = player) {
  const path = art.pathFor(url, source);
  return path ? art.serve(path) : null;
}

describe('album art from the player itself', () => {
  it('http from the player’s own address (another port, like :1400) is fetched and served', async () => {
    const { art } = proxy();
    const url = `http://127.0.0.1:${port(playerHttp)}/getaa?s=1&u=x-file-cifs%3a%2f%2fnas%2fa.flac`;
    const path = art.pathFor(url, player)!;
    expect(path).toMatch(/^\/art\/[A-Za-z0-9_-]{22}$/);
    // The same art keeps its path: the popover does not reload it with every update.
    expect(art.pathFor(url, player)).toBe(path);
    expect(await art.serve(path)).toEqual({ type: 'image/png', body: PNG });
  });

  it('http from any other address gets no path at all', () => {
    const { art } = proxy();
    expect(art.pathFor(`http://127.0.0.2:${port(plainInternet)}/x.png`, player)).toBeNull();
    expect(art.pathFor(`http://127.0.0.1:${port(playerHttp)}/getaa`, cloudOnly)).toBeNull();
    expect(art.pathFor('file:///etc/passwd', player)).toBeNull();
    expect(art.pathFor('ftp://127.0.0.1/x', player)).toBeNull();
    expect(art.pathFor('not a url', player)).toBeNull();
  });

  it('https from the player’s address needs the player’s pinned certificate, and follows no redirect', async () => {
    const good = proxy();
    const radio = `https://127.0.0.1:${port(playerHttps)}/art/radio.svg`;
    expect((await served(good.art, radio))?.type).toBe('image/svg+xml');
    const stranger = proxy({ trust: new TlsTrust(memoryPinStore({ [PLAYER_ID]: 'AA:BB' })) });
    expect(await served(stranger.art, radio)).toBeNull();
    expect(stranger.refused).toEqual(['the player presented another certificate']);
    expect(await served(good.art, `https://127.0.0.1:${port(playerHttps)}/elsewhere`)).toBeNull();
    expect(good.refused).toEqual(['a player’s own art does not redirect']);
  });
});

describe('album art from the internet', () => {
  it('https on a public address is fetched, its name resolved once and checked', async () => {
    const { art } = proxy();
    expect(await served(art, `https://art.example.test:${port(internet)}/cover.png`, cloudOnly)).toEqual({
      type: 'image/png',
      body: PNG,
    });
  });

  it('refuses names that resolve to a local address, and the player’s neighbours over https', async () => {
    const { art, refused } = proxy();
    expect(await served(art, `https://lan.example.test:${port(internet)}/cover.png`)).toBeNull();
    expect(refused).toEqual(['lan.example.test is a local address (127.0.0.1)']);
    // 127.0.0.1 is the player's address, but only the player's own certificate counts there: another source is
    // judged as the internet, where loopback is refused.
    expect(await served(art, `https://127.0.0.1:${port(playerHttps)}/art/radio.svg`, cloudOnly)).toBeNull();
  });

  it('follows up to three https redirects to public addresses, and refuses the rest', async () => {
    const { art, refused } = proxy();
    const at = (path: string) => `https://art.example.test:${port(internet)}${path}`;
    expect((await served(art, at('/hop/3'), cloudOnly))?.body).toEqual(PNG);
    expect(await served(art, at('/hop/4'), cloudOnly)).toBeNull();
    expect(await served(art, at('/to-http'), cloudOnly)).toBeNull();
    expect(await served(art, at('/to-loopback'), cloudOnly)).toBeNull();
    expect(await served(art, at('/to-lan-name'), cloudOnly)).toBeNull();
    expect(refused).toEqual([
      'too many redirects',
      'a redirect that leaves https',
      '127.0.0.1 is a local address (127.0.0.1)',
      'lan.example.test is a local address (127.0.0.1)',
    ]);
  });

  it('takes only images, of at most maxBytes whatever is declared, within the time limit', async () => {
    const { art, refused } = proxy({ maxBytes: 1024 * 1024 });
    const at = (path: string) => `https://art.example.test:${port(internet)}${path}`;
    expect(await served(art, at('/html'), cloudOnly)).toBeNull();
    expect(await served(art, at('/big'), cloudOnly)).toBeNull();
    expect(await served(art, at('/big-declared'), cloudOnly)).toBeNull();
    const started = Date.now();
    expect(await served(art, at('/slow'), cloudOnly)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(refused).toEqual([
      'not an image (text/html)',
      'larger than 1048576 bytes',
      'larger than 1048576 bytes',
    ]);
  });

  it('refuses certificates it cannot verify (no CA given), like any https client', async () => {
    const { art } = proxy({ systemCasOnly: true });
    expect(await served(art, `https://art.example.test:${port(internet)}/cover.png`, cloudOnly)).toBeNull();
  });

  it('serves only the paths it handed out, and forgets the oldest beyond its limit', async () => {
    const { art } = proxy({ maxEntries: 2 });
    expect(await art.serve('/art/made-up-token')).toBeNull();
    expect(await art.serve('/index.html')).toBeNull();
    const first = art.pathFor(`https://art.example.test:${port(internet)}/hop/0`, cloudOnly)!;
    art.pathFor(`https://art.example.test:${port(internet)}/hop/1`, cloudOnly);
    art.pathFor(`https://art.example.test:${port(internet)}/hop/2`, cloudOnly);
    expect(await art.serve(first)).toBeNull();
  });
});

describe('public addresses', () => {
  it('are everything but local, private and special ranges', () => {
    for (const address of ['8.8.8.8', '151.101.1.69', '2606:4700::6810:85e5', '::ffff:8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.20',
      '169.254.10.10',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:192.168.1.1',
      '::ffff:127.0.0.1',
      '[::1]',
      'fe80::1%eth0',
      'localhost',
      'not an address',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });
});
