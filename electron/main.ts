// The Electron composition root (one short file that wires parts together). Startup is
// ordered and fails closed: single-instance lock → the agent (the same runtime as `bosun agent`)
// → security restrictions → IPC → tray, notifications, windows. Any failure
// shows a dialog and quits; nothing starts half-wired.
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, Notification, session, shell, Tray } from 'electron';
import { isPackagedBuild } from '../src/common/buildFlavor.js';
import { startAppAgent, StartupError } from './agentWiring.js';
import { ShellHandlers } from './handlers.js';
import { appPageSender, TypedIpcMain } from './ipcMain.js';
import { notificationTitle, wireNotifications } from './notifications.js';
import { SecurityRestrictions } from './securityRestrictions.js';
import { statusView } from './statusView.js';
import { BosunTray } from './tray.js';
import { WindowManager } from './windows.js';

// The bundle lives in dist/electron/main.cjs; pages in dist/ui, icons next to the bundle.
const here = __dirname;
let log = { info: (m: string) => console.log(`[bosun] ${m}`), warn: (m: string) => console.warn(`[bosun] ${m}`) };

async function start(): Promise<void> {
  const adapters = await startAppAgent();
  const { core, orgSettings } = adapters;
  log = adapters.logger;
  const security = new SecurityRestrictions(adapters.externalOrigins, (url) => shell.openExternal(url), log);
  security.apply(app, session.defaultSession);
  log.info(`agent started: ${statusView(core.state).headline}`);

  const uiDir = join(here, '..', 'ui');
  const windows = new WindowManager((o) => new BrowserWindow(o), uiDir, join(here, 'preload.cjs'));
  const handlers = new ShellHandlers({
    core,
    orgSettings,
    policySources: adapters.policySources,
    doctorChecks: adapters.doctorChecks,
    version: app.getVersion(),
    shell: {
      openExternal: (url) => security.openExternal(url),
      copyText: (text) => clipboard.writeText(text),
      openLogs: async () => {
        const error = await shell.openPath(adapters.logsDir);
        if (error) throw new Error(`Could not open ${adapters.logsDir}: ${error}`);
      },
      showWindow: (page) => windows.show(page),
      closeSender: (id) => windows.closeBySender(id),
      broadcast: (event, payload) => windows.broadcast(event, payload),
    },
  });
  const ipc = new TypedIpcMain(ipcMain, log, appPageSender(uiDir));
  handlers.register(ipc);

  const tray = new BosunTray(
    {
      createTray: (icon) => new Tray(icon),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      platform: process.platform,
    },
    core,
    {
      'sign-in': () => windows.show('signin'),
      'sign-out': () => void core.logout(),
      'switch-org': () => windows.show('signin'),
      permissions: () => windows.show('permissions'),
      diagnostics: () => windows.show('diagnostics'),
      'open-logs': () => void shell.openPath(adapters.logsDir),
      about: () => windows.show('about'),
      quit: () => app.quit(),
    },
    join(here, 'assets'),
  );
  const unsubscribers = [
    wireNotifications(core, { show: (title, body, onClick) => showNotification(title, body, onClick) }, () => windows.show('signin')),
    core.bus.on('sign-in-prompt', () => windows.show('signin')),
    core.bus.on('state', (s) => windows.broadcast('status:changed', statusView(s))),
    core.bus.on('problem', (p) => log.warn(`${p.where}: ${p.message}`)),
    adapters.onRepaired((registries) =>
      showNotification(
        notificationTitle('tampering-repaired'),
        `Bosun restored its credential-helper entries for ${registries.join(', ')} in Docker's config.json.`,
      ),
    ),
    adapters.onStaticCredentials((e) =>
      showNotification(
        notificationTitle('static-credentials'),
        e.removed
          ? `Bosun removed saved credentials for ${e.keys.join(', ')} from Docker's config.json: pulls from that registry go through your Bosun sign-in.`
          : `Docker's config.json holds saved credentials for ${e.keys.join(', ')} and ${e.why ?? 'is not Bosun’s to change'}. Remove them: docker sends them instead of your Bosun sign-in.`,
      ),
    ),
  ];
  // Installers start the app at login with --hidden: then the sign-in-required notification speaks,
  // not a window. A second launch (the login item and the installer's entry both firing) is quiet
  // too; a launch by the user shows the sign-in window.
  if (core.state.state.name === 'signed-out' && !startedHidden(process.argv)) windows.show('signin');
  app.on('second-instance', (_event, argv) => {
    if (!startedHidden(argv)) windows.show('signin');
  });
  // Read-only introspection for the _electron specs (test/electron); never in a packaged build.
  if (!isPackagedBuild && process.env.BOSUN_TEST === '1') Object.assign(globalThis, { __bosunShell: { tray, core } });

  // Start at login, as the installer also configures (packaged builds only: a dev run must not register itself).
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });

  app.on('before-quit', () => {
    for (const u of unsubscribers) u();
    tray.dispose();
    handlers.dispose();
    ipc.dispose();
    windows.closeAll();
    void adapters.stop();
  });
}

function startedHidden(argv: readonly string[]): boolean {
  return argv.includes('--hidden');
}

function showNotification(title: string, body: string, onClick?: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body });
  if (onClick) n.on('click', onClick);
  n.show();
}

function failClosed(err: unknown): void {
  const message = err instanceof StartupError || err instanceof Error ? err.message : String(err);
  log.warn(`startup failed: ${message}`);
  dialog.showErrorBox('Bosun cannot start', `${message}\n\nYour organization's registries still refuse pulls without a valid sign-in.`);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A tray app: closing the last window must not quit it.
  app.on('window-all-closed', () => undefined);
  app.whenReady().then(start).catch(failClosed);
}
