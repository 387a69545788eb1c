// Loads the built pages (dist/ui) in Debian's Chromium with a bridge backed by the real ShellHandlers
// and the real AgentCore: the same TypedIpcMain validates every call, only Electron's transport is
// replaced by a Playwright binding. Pages run under their own strict CSP.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { AgentCore } from '../../../src/agent/core.js';
import type { DoctorCheck } from '../../../src/core/doctor/doctorReport.js';
import { ShellHandlers, type OrgSettingsPort, type PageName, type PolicySourcesPort } from '../../../electron/handlers.js';
import type { IpcEvent, IpcEvents } from '../../../electron/ipcContract.js';
import { appPageSender, TypedIpcMain, type IpcMainLike, type IpcSenderEvent } from '../../../electron/ipcMain.js';
import { statusView } from '../../../electron/statusView.js';

const root = join(import.meta.dirname, '../../..');
export const UI_DIR = join(root, 'dist/ui');
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface ShellHarnessDeps {
  core: AgentCore;
  orgSettings: OrgSettingsPort;
  policySources: PolicySourcesPort;
  doctorChecks: () => Promise<DoctorCheck[]>;
}

export class ShellHarness {
  readonly opened: string[] = [];
  readonly copied: string[] = [];
  readonly shown: PageName[] = [];
  readonly logLines: string[] = [];
  private handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  private pages = new Set<Page>();
  private unsubscribe: () => void = () => undefined;
  private onOpen: ((url: string) => void) | undefined;

  private constructor(
    readonly context: BrowserContext,
    private readonly dir: string,
    private readonly shim: string,
  ) {}

  static async start(deps: ShellHarnessDeps): Promise<ShellHarness> {
    if (!existsSync(join(UI_DIR, 'signin.html'))) throw new Error(`${UI_DIR} is missing: run \`npm run build\` first`);
    const dir = mkdtempSync(join(tmpdir(), 'bosun-ui-'));
    const shim = join(dir, 'bridge-shim.js');
    await build({
      entryPoints: [join(import.meta.dirname, 'bridgeShim.ts')],
      outfile: shim,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      logLevel: 'warning',
    });
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 640, height: 760 },
      colorScheme: 'light',
    });
    const h = new ShellHarness(context, dir, shim);
    h.wire(deps);
    return h;
  }

  private wire(deps: ShellHarnessDeps): void {
    const fakeIpc: IpcMainLike = {
      handle: (c, l) => void this.handlers.set(c, l),
      removeHandler: (c) => void this.handlers.delete(c),
    };
    const ipc = new TypedIpcMain(fakeIpc, { info: (m) => void this.logLines.push(m), warn: (m) => void this.logLines.push(m) }, appPageSender(UI_DIR));
    new ShellHandlers({
      ...deps,
      version: '0.1.0',
      shell: {
        openExternal: async (url) => {
          this.opened.push(url);
          this.onOpen?.(url);
        },
        copyText: (t) => void this.copied.push(t),
        openLogs: async () => void this.opened.push('logs'),
        showWindow: (p) => void this.shown.push(p),
        closeSender: () => undefined,
        broadcast: (e, p) => this.broadcast(e, p),
      },
    }).register(ipc);
    this.unsubscribe = deps.core.bus.on('state', (s) => this.broadcast('status:changed', statusView(s)));
  }

  /** Calls back when the app opens a URL in "the browser" (the device flow's verification page). */
  whenBrowserOpens(listener: (url: string) => void): void {
    this.onOpen = listener;
  }

  private broadcast<E extends IpcEvent>(event: E, payload: IpcEvents[E]): void {
    for (const page of this.pages)
      void page
        .evaluate(([e, p]) => (window as unknown as { __bosunEmit(e: string, p: unknown): void }).__bosunEmit(e, p), [event, payload] as const)
        .catch(() => undefined);
  }

  async open(page: PageName): Promise<Page> {
    const p = await this.context.newPage();
    await p.exposeBinding('__bosunInvoke', async (source, channel: string, payload: unknown) => {
      const h = this.handlers.get(channel);
      if (!h) return { error: { name: 'Error', message: `No handler registered for '${channel}'` } };
      return h({ sender: { id: 1 }, senderFrame: { url: source.frame.url() } }, payload);
    });
    await p.addInitScript({ path: this.shim });
    this.pages.add(p);
    p.on('close', () => this.pages.delete(p));
    await p.goto(pathToFileURL(join(UI_DIR, `${page}.html`)).href);
    return p;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.context.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
