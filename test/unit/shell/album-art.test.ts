import { describe, expect, it } from 'vitest';
import { fetchArt } from '../../../main/shell/album-art';

const image = (bytes: number, headers: Record<string, string> = {}) =>
  (async () =>
    new Response(new Uint8Array(bytes), {
      headers: { 'content-type': 'image/jpeg', ...headers },
    })) as unknown as typeof fetch;

describe('fetchArt', () => {
  it('fetches https images', async () => {
    expect((await fetchArt('https://art.example/a.jpg', { fetch: image(10) }))?.length).toBe(10);
  });

  it('refuses other schemes without fetching', async () => {
    let called = false;
    const spy = (async () => {
      called = true;
      return new Response('');
    }) as unknown as typeof fetch;
    expect(await fetchArt('http://192.168.1.5:1400/getaa', { fetch: spy })).toBeNull();
    expect(await fetchArt('file:///etc/passwd', { fetch: spy })).toBeNull();
    expect(called).toBe(false);
  });

  it('caps the size, whatever the server declares', async () => {
    expect(await fetchArt('https://a.example/x', { fetch: image(2_000), maxBytes: 1_000 })).toBeNull();
    expect(
      await fetchArt('https://a.example/x', { fetch: image(10, { 'content-length': '99999999' }) }),
    ).toBeNull();
  });

  it('refuses non-images, errors and timeouts', async () => {
    expect(
      await fetchArt('https://a.example/x', { fetch: image(10, { 'content-type': 'text/html' }) }),
    ).toBeNull();
    const failing = (async () => {
      throw new Error('ECONNRESET');
    }) as unknown as typeof fetch;
    expect(await fetchArt('https://a.example/x', { fetch: failing })).toBeNull();
    const slow = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(new Error('aborted'))),
      )) as unknown as typeof fetch;
    expect(await fetchArt('https://a.example/x', { fetch: slow, timeoutMs: 20 })).toBeNull();
  });
});
