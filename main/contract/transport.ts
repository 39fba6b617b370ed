/**
 * The two Electron IPC channels that carry the contract in `ipc.ts`. Everything rides on these so that an unknown
 * contract channel gets a typed error reply instead of Electron's "no handler registered". Kept apart from `ipc.ts`
 * so the preload can import it without pulling the schemas into its bundle.
 */
export const TRANSPORT = { invoke: 'tray-for-sonos:invoke', event: 'tray-for-sonos:event' } as const;
