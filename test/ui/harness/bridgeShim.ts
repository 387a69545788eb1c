// Injected into each page before its scripts: the same `window.bosun` the preload builds
// (electron/bridge.ts), carried over Playwright's binding instead of Electron's IPC.
import { buildBridge } from '../../../electron/bridge.js';
import type { IpcChannel, IpcEvent } from '../../../electron/ipcContract.js';

type Listener = (payload: unknown) => void;
const w = window as unknown as {
  __bosunInvoke(channel: IpcChannel, payload: unknown): Promise<unknown>;
  __bosunEmit(event: IpcEvent, payload: unknown): void;
  bosun: unknown;
};
const listeners = new Map<IpcEvent, Set<Listener>>();
w.__bosunEmit = (event, payload) => listeners.get(event)?.forEach((l) => l(payload));
w.bosun = Object.freeze(
  buildBridge(
    (channel, payload) => w.__bosunInvoke(channel, payload),
    (event, listener) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  ),
);
