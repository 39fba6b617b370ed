/** Every call a test may want to check, in order, across the whole fake. */
export interface Call {
  target: string;
  method: string;
  args: unknown[];
}

export const calls: Call[] = [];

export function record(target: string, method: string, args: unknown[]): void {
  calls.push({ target, method, args });
}

export function callsTo(target: string, method?: string): Call[] {
  return calls.filter((call) => call.target === target && (method === undefined || call.method === method));
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}
