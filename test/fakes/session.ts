/** A fake Electron session that records the hardening applied to it. */
export function fakeSession() {
  let request:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  let check: ((contents: unknown, permission: string) => boolean) | null = null;
  const headerListeners: ((details: unknown, callback: (response: unknown) => void) => void)[] = [];
  return {
    setPermissionRequestHandler(handler: typeof request) {
      request = handler;
    },
    setPermissionCheckHandler(handler: typeof check) {
      check = handler;
    },
    webRequest: {
      onHeadersReceived(listener: (details: unknown, callback: (response: unknown) => void) => void) {
        headerListeners.push(listener);
      },
    },
    /** What a page asking for `permission` would be told. */
    askPermission(permission: string): boolean {
      let granted = true;
      request?.(null, permission, (answer) => (granted = answer));
      return granted;
    },
    checkPermission(permission: string): boolean {
      return check ? check(null, permission) : true;
    },
    headerListeners,
  };
}
