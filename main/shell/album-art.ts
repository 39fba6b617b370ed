/**
 * Album art for notifications, fetched in main (the renderer never touches the network): https only, a few
 * seconds at most, and never more than `maxBytes` read, whatever the server claims.
 */
export async function fetchArt(
  url: string,
  options: { maxBytes?: number; timeoutMs?: number; fetch?: typeof globalThis.fetch } = {},
): Promise<Buffer | null> {
  if (!/^https:\/\//i.test(url)) return null;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      redirect: 'follow',
    });
    if (!response.ok || !response.body) return null;
    if (!/^image\//i.test(response.headers.get('content-type') ?? '')) return null;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) return null;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  } catch {
    return null;
  }
}
