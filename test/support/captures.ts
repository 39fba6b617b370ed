import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const CAPTURES = resolve(import.meta.dirname, '../fixtures/captures');

export function captureText(path: string): string {
  return readFileSync(resolve(CAPTURES, path), 'utf8');
}

export function captureJson<T = unknown>(path: string): T {
  return JSON.parse(captureText(path)) as T;
}

/** The 13 frames of the real websocket session, one string per frame. */
export function sessionFrames(): string[] {
  return captureText('local/ws.session.events.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '');
}
