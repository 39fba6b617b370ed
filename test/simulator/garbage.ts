/**
 * Malformed frames a player can be made to send (`control.sendGarbage`), for the client's robustness tests: not
 * JSON, a truncated groups event, ~2 MiB of valid JSON, binary bytes, and an object where an array belongs.
 */
import { randomBytes } from 'node:crypto';
import { eventHeader, groupsBody, type FrameContext } from './frames';

export type GarbageKind = 'text' | 'partial' | 'oversized' | 'binary' | 'wrong-shape';
export const GARBAGE_KINDS: readonly GarbageKind[] = [
  'text',
  'partial',
  'oversized',
  'binary',
  'wrong-shape',
];

export function garbage(kind: GarbageKind, frames: FrameContext): string | Buffer {
  const header = eventHeader(frames, 'groups', {});
  const text = JSON.stringify([header, groupsBody(frames, { rest: false })]);
  switch (kind) {
    case 'text':
      return 'this is not JSON';
    case 'partial':
      return text.slice(0, Math.floor(text.length / 2));
    case 'oversized':
      // Valid JSON of about 2 MiB in a namespace no client subscribes to.
      return JSON.stringify([
        { ...header, namespace: 'global', name: 'padding', type: 'padding' },
        { _objectType: 'padding', data: 'x'.repeat(2 * 1024 * 1024) },
      ]);
    case 'binary':
      return randomBytes(64);
    case 'wrong-shape':
      return JSON.stringify({ header, body: {} });
  }
}
