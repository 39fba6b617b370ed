import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A handle on the garbage collector without starting node with --expose-gc. */
export function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

export function heapMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
