/**
 * The bridge against clients no browser would be: malformed requests, a page that floods it with requests, and one
 * that stops reading. It answers what it can, keeps its memory bounded, and keeps serving.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  BRIDGE_PATH,
  MAX_BUFFERED_BYTES,
  MAX_IN_FLIGHT,
  startBridgeServer,
  type BridgeServer,
} from '../../../main/bridge/bridge-server';
import type { AppCore } from '../../../main/core/app-core';
import { createLogger, type LogRecord } from '../../../main/core/logger';

let bridge: BridgeServer | null = null;
afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

/** Sends `request` byte for byte and returns the status line of the answer. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}

describe('bridge server', () => {
  it('answers malformed request targets with 400 or 403 and keeps serving the page', async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'tfs-r-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
    const logs: LogRecord[] = [];
    // No page connects in this test, so the core is never reached.
    bridge = await startBridgeServer({
      core: {} as AppCore,
      rendererDir,
      logger: createLogger((record) => logs.push(record)),
    });
    const host = `Host: 127.0.0.1:${bridge.port}\r\n`;
    expect(await raw(bridge.port, `GET // HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toBe(
      'HTTP/1.1 400 Bad Request',
    );
    const upgrade =
      `GET // HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await raw(bridge.port, upgrade)).toBe('HTTP/1.1 403 Forbidden');
    expect(logs.some((r) => r.message === 'bridge refused a connection')).toBe(true);
    const page = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>ok</title>');
  });
});

/** A core whose router answers as `handle` says; nothing else is used by the bridge's socket side. */
function fakeCore(handle: (channel: unknown) => Promise<unknown>): AppCore {
  return {
    router: { handle },
    subscribe: () => () => {},
    setPopoverVisible: () => {},
  } as unknown as AppCore;
}

async function startWith(core: AppCore, logs: LogRecord[]): Promise<BridgeServer> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'tfs-r-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
  return startBridgeServer({ core, rendererDir, logger: createLogger((record) => logs.push(record)) });
}

function page(server: BridgeServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}?token=${server.token}`, {
    headers: { origin: `http://127.0.0.1:${server.port}` },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const invoke = (id: number) => JSON.stringify({ type: 'invoke', id, channel: 'settings:get', payload: null });

describe('bridge sockets', () => {
  it('runs at most MAX_IN_FLIGHT requests of one page at a time and answers the rest at once', async () => {
    let calls = 0;
    const logs: LogRecord[] = [];
    // Requests that never finish: what a page flooding a slow core leaves behind.
    bridge = await startWith(
      fakeCore(() => {
        calls += 1;
        return new Promise(() => {});
      }),
      logs,
    );
    const ws = await page(bridge);
    const answers: { id: number; result: { ok: boolean; error?: { code: string } } }[] = [];
    ws.on('message', (data) => answers.push(JSON.parse(data.toString())));
    for (let id = 1; id <= 1_000; id++) ws.send(invoke(id));
    await vi.waitFor(() => expect(answers).toHaveLength(1_000 - MAX_IN_FLIGHT));
    expect(calls).toBe(MAX_IN_FLIGHT);
    expect(answers.every((a) => a.result.ok === false && a.result.error?.code === 'unexpected')).toBe(true);
    expect(answers[0]!.id).toBe(MAX_IN_FLIGHT + 1);
    expect(logs.filter((l) => /too many requests/.test(l.message))).toHaveLength(1);
    ws.terminate();
  });

  it('closes a page that stops reading once its unsent answers pass the limit', async () => {
    const logs: LogRecord[] = [];
    const big = 'x'.repeat(256 * 1024);
    bridge = await startWith(
      fakeCore(async () => ({ ok: true, value: big })),
      logs,
    );
    const ws = await page(bridge);
    // Stop reading: the answers pile up in the bridge's send buffer.
    const socket = (ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    let id = 0;
    const sendMore = setInterval(() => {
      for (let i = 0; i < 8 && ws.readyState === WebSocket.OPEN; i++) ws.send(invoke(++id));
    }, 5);
    try {
      await vi.waitFor(() => expect(logs.some((l) => /stopped reading/.test(l.message))).toBe(true), {
        timeout: 10_000,
      });
    } finally {
      clearInterval(sendMore);
    }
    // What it held back is bounded by the limit (plus the one answer that crossed it), not by the flood.
    const closing = logs.find((l) => /stopped reading/.test(l.message))!;
    expect(closing.fields?.buffered as number).toBeLessThan(MAX_BUFFERED_BYTES + big.length + 1024);
    expect(id * big.length).toBeGreaterThan(MAX_BUFFERED_BYTES);
    socket.resume();
    await vi.waitFor(() => expect(ws.readyState).toBe(WebSocket.CLOSED));
    // Other pages are still served.
    const next = await page(bridge);
    const answer = new Promise<string>((resolve) => next.once('message', (data) => resolve(data.toString())));
    next.send(invoke(1));
    expect(JSON.parse(await answer)).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
    next.terminate();
  });
});
