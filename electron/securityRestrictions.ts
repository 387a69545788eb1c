// Deny by default (like Podman Desktop's security-restrictions.ts): no navigation away from the
// app's own pages, no new windows, no permission grants, and external URLs only from an allow-list.
// The `electron` objects are injected so the rules are unit-tested.

/** The web preferences every Bosun window uses. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
} as const;

/** The Content-Security-Policy every page carries (also in each HTML file's meta tag). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}
export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}
export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): void;
}

export class SecurityRestrictions {
  private readonly origins: Set<string>;

  /**
   * @param allowedOrigins origins whose pages may open in the user's browser: the Bosun server
   *   (device-flow verification page) and the documentation site.
   * @param openInBrowser Electron's shell.openExternal.
   */
  constructor(
    allowedOrigins: readonly string[],
    private readonly openInBrowser: (url: string) => Promise<void>,
    private readonly log: { warn(message: string): void } = console,
  ) {
    this.origins = new Set(allowedOrigins.map((o) => new URL(o).origin));
  }

  /** Only https (or http to a loopback server, for a local Bosun server) on an allow-listed origin. */
  isAllowedExternal(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return false;
    if (u.username || u.password) return false;
    return this.origins.has(u.origin);
  }

  async openExternal(url: string): Promise<void> {
    if (!this.isAllowedExternal(url)) {
      this.log.warn(`security: refused to open ${url.slice(0, 200)} (not on the allow-list)`);
      throw new Error(`Bosun opens only its server's pages; ${url.slice(0, 100)} is not one of them.`);
    }
    await this.openInBrowser(url);
  }

  /** Applies the rules to every web contents the app will ever create. */
  apply(app: AppLike, session: SessionLike): void {
    session.setPermissionRequestHandler((_wc, permission, callback) => {
      this.log.warn(`security: denied permission request "${permission}"`);
      callback(false);
    });
    session.setPermissionCheckHandler(() => false);
    app.on('web-contents-created', (_e, contents) => this.harden(contents));
  }

  harden(contents: WebContentsLike): void {
    const deny = (event: { preventDefault(): void }, url: string) => {
      event.preventDefault();
      this.log.warn(`security: blocked navigation to ${url.slice(0, 200)}`);
    };
    contents.on('will-navigate', deny);
    contents.on('will-redirect', deny);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      this.log.warn(`security: blocked a new window for ${url.slice(0, 200)}`);
      return { action: 'deny' };
    });
  }
}
