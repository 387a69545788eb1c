// The only fake in the shell's main-process tests (test/unit/electron, test/integration/electron): the
// `electron` module's objects, injected through the constructors of the tray and the IPC wrapper.
import type { IpcMainLike, IpcSenderEvent } from '../../electron/ipcMain.js';
import type { MenuItemTemplate, TrayElectron, TrayLike } from '../../electron/tray.js';

/** The ui directory the fake app's windows load their pages from; FakeIpcMain calls come from a page in it. */
export const FAKE_UI_DIR = '/app/dist/ui';

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`); // Electron throws too
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke does: calls the handler with a sender event. */
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h({ sender: { id: 7 }, senderFrame: { url: 'file:///app/dist/ui/signin.html' } }, ...args);
  }
}

export class FakeTray implements TrayLike {
  image: string;
  tooltip = '';
  menu: MenuItemTemplate[] = [];
  destroyed = false;
  constructor(icon: string) {
    this.image = icon;
  }
  setImage(icon: string) {
    this.image = icon;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown) {
    this.menu = menu as MenuItemTemplate[];
  }
  destroy() {
    this.destroyed = true;
  }
}

export function fakeTrayElectron(platform: NodeJS.Platform = 'linux'): TrayElectron & { trays: FakeTray[] } {
  const trays: FakeTray[] = [];
  return {
    trays,
    platform,
    createTray: (icon) => {
      const t = new FakeTray(icon);
      trays.push(t);
      return t;
    },
    buildMenu: (template) => template,
  };
}

export function memoryLog() {
  const lines: string[] = [];
  return { lines, info: (m: string) => void lines.push(`info ${m}`), warn: (m: string) => void lines.push(`warn ${m}`) };
}
