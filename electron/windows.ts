// The app's windows: one per page, created on demand, reused while open, always with the secure web
// preferences and the preload. Pages are the built files in dist/ui (see scripts/build.mjs).
import { join } from 'node:path';
import type { PageName } from './handlers.js';
import { SECURE_WEB_PREFERENCES } from './securityRestrictions.js';

export interface BrowserWindowLike {
  loadFile(path: string): Promise<void>;
  show(): void;
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): void;
  on(event: 'closed', listener: () => void): void;
  webContents: { id: number; send(channel: string, payload: unknown): void };
}
export type CreateWindow = (options: {
  width: number;
  height: number;
  title: string;
  show: boolean;
  resizable: boolean;
  autoHideMenuBar: boolean;
  webPreferences: typeof SECURE_WEB_PREFERENCES & { preload: string };
}) => BrowserWindowLike;

const PAGES: Record<PageName, { title: string; width: number; height: number }> = {
  signin: { title: 'Sign in to Bosun', width: 460, height: 620 },
  permissions: { title: 'Organization permissions', width: 640, height: 700 },
  diagnostics: { title: 'Bosun diagnostics', width: 720, height: 640 },
  about: { title: 'About Bosun', width: 460, height: 420 },
};

export class WindowManager {
  private readonly open = new Map<PageName, BrowserWindowLike>();

  constructor(
    private readonly create: CreateWindow,
    private readonly uiDir: string,
    private readonly preloadPath: string,
  ) {}

  show(page: PageName): void {
    const existing = this.open.get(page);
    if (existing && !existing.isDestroyed()) {
      existing.show();
      existing.focus();
      return;
    }
    const spec = PAGES[page];
    const win = this.create({
      ...spec,
      show: false,
      resizable: true,
      autoHideMenuBar: true,
      webPreferences: { ...SECURE_WEB_PREFERENCES, preload: this.preloadPath },
    });
    this.open.set(page, win);
    win.on('closed', () => this.open.delete(page));
    win.once('ready-to-show', () => win.show());
    void win.loadFile(join(this.uiDir, `${page}.html`));
  }

  closeBySender(senderId: number): void {
    for (const win of this.open.values()) if (!win.isDestroyed() && win.webContents.id === senderId) win.close();
  }

  broadcast(channel: string, payload: unknown): void {
    for (const win of this.open.values()) if (!win.isDestroyed()) win.webContents.send(channel, payload);
  }

  closeAll(): void {
    for (const win of this.open.values()) if (!win.isDestroyed()) win.close();
    this.open.clear();
  }
}
