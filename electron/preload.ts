// The preload: runs sandboxed with context isolation, and exposes exactly one object, `window.bosun`
// (see bridge.ts). No Node API, no ipcRenderer and no secret reaches a page.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.js';
import { IPC_EVENTS, type IpcEvent } from './ipcContract.js';

const bridge = buildBridge(
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (event: IpcEvent, listener) => {
    if (!IPC_EVENTS.includes(event)) throw new Error(`unknown event ${event}`);
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
);
contextBridge.exposeInMainWorld('bosun', bridge);
