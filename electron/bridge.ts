// The one object the preload exposes to every page as `window.bosun`, grouped by domain (like
// Gitify's preload). It is built from two primitives so the same code runs in Electron's preload and
// in the Playwright harness: `invoke` (a request that answers an IpcEnvelope) and `subscribe`.
// Errors arrive as {error} and are rethrown here as real Errors (Podman Desktop's decodeError).
import type { IpcChannel, IpcEnvelope, IpcEvent, IpcEvents, IpcPayload, IpcResult } from './ipcContract.js';

export type Invoke = (channel: IpcChannel, payload?: unknown) => Promise<unknown>;
export type Subscribe = (event: IpcEvent, listener: (payload: unknown) => void) => () => void;

export function decodeEnvelope<T>(envelope: unknown): T {
  const e = envelope as IpcEnvelope<T> | undefined;
  if (e && typeof e === 'object' && 'error' in e) {
    const err = new Error(e.error.message);
    err.name = e.error.name;
    throw err;
  }
  if (e && typeof e === 'object' && 'result' in e) return e.result;
  throw new Error('The Bosun app answered something unexpected; restart it.');
}

export function buildBridge(invoke: Invoke, subscribe: Subscribe) {
  function call<C extends IpcChannel>(channel: C, ...payload: IpcPayload<C> extends void ? [] : [IpcPayload<C>]): Promise<IpcResult<C>> {
    return invoke(channel, ...payload).then((e) => decodeEnvelope<IpcResult<C>>(e));
  }
  function on<E extends IpcEvent>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
    return subscribe(event, (p) => listener(p as IpcEvents[E]));
  }
  return {
    status: {
      get: () => call('status:get'),
      onChange: (listener: (s: IpcEvents['status:changed']) => void) => on('status:changed', listener),
    },
    signIn: {
      withPassword: (username: string, secret: string, org?: string) => call('signin:password', { username, secret, ...(org ? { org } : {}) }),
      withBrowser: (org?: string) => call('signin:device-start', org ? { org } : {}),
      cancelBrowser: () => call('signin:device-cancel'),
      openVerificationPage: (url: string) => call('signin:open-verification', { url }),
      onDevicePrompt: (listener: (p: IpcEvents['signin:device-prompt']) => void) => on('signin:device-prompt', listener),
    },
    session: {
      signOut: () => call('session:sign-out'),
      switchOrg: () => call('session:switch-org'),
    },
    permissions: { get: () => call('permissions:get') },
    diagnostics: { get: () => call('diagnostics:get'), copyForIt: () => call('diagnostics:copy') },
    app: { openLogs: () => call('logs:open'), about: () => call('about:get'), closeWindow: () => call('window:close') },
  };
}

export type BosunBridge = ReturnType<typeof buildBridge>;
