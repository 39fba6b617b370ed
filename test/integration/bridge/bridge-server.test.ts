/** The bridge's HTTP side against requests no browser sends: it answers them and keeps serving. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../main/bridge/bridge-server';
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
