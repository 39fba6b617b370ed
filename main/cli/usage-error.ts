/** Exit codes of `tray-for-sonos`, and the error that means "you typed it wrong" (exit 2). */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3 } as const;

export class UsageError extends Error {}
