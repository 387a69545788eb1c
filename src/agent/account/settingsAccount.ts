// The AccountPort the agent uses: Bosun server or Docker Hub mode, chosen by the admin settings as they
// are *now* (settings.json is watched, so IT can move the server without a restart). Registries listed
// in the settings override the server's discovery document.
import type { AdminSettings } from '../../core/workstationPolicy/adminSettingsRules.js';
import { HubClient } from '../hubClient.js';
import type { AccountPort, DeviceCodePrompt, OrgPickNeeded, SessionCheck, SignInResult, StoredIdentity } from '../ports.js';
import { BosunAccount } from './bosunAccount.js';
import { HubAccount } from './hubAccount.js';

export interface SettingsAccountOptions {
  settings: () => AdminSettings | undefined;
  /** Why there are no usable settings, in words (path and what to do). */
  missingSettings: () => string;
  deviceId: string;
  deviceName: string;
  timeoutMs?: number;
}

export class SettingsAccount implements AccountPort {
  private cached: { key: string; port: AccountPort } | undefined;

  constructor(private readonly opts: SettingsAccountOptions) {}

  private port(): AccountPort {
    const s = this.opts.settings();
    if (!s) throw new Error(this.opts.missingSettings());
    const key = `${s.hubMode ? 'hub' : 'bosun'} ${s.server}`;
    if (this.cached?.key !== key) {
      const timeoutMs = this.opts.timeoutMs ?? 10_000;
      const port: AccountPort = s.hubMode
        ? new HubAccount(new HubClient({ baseUrl: s.server, timeoutMs }), s.server)
        : new BosunAccount({ serverUrl: s.server, deviceId: this.opts.deviceId, deviceName: this.opts.deviceName, timeoutMs });
      this.cached = { key, port };
    }
    return this.cached.port;
  }

  signIn(username: string, secret: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded> {
    return this.port().signIn(username, secret, allowedOrgs, org);
  }

  deviceSignIn(
    allowedOrgs: string[],
    org: string | undefined,
    onPrompt: (prompt: DeviceCodePrompt) => void,
    signal?: AbortSignal,
  ): Promise<SignInResult | OrgPickNeeded> {
    const port = this.port();
    if (!port.deviceSignIn) {
      return Promise.reject(new Error('Browser sign-in is not available in Docker Hub mode; sign in with your Docker ID and a personal access token.'));
    }
    return port.deviceSignIn(allowedOrgs, org, onPrompt, signal);
  }

  check(identity: StoredIdentity, allowedOrgs: string[]): Promise<SessionCheck> {
    return this.port().check(identity, allowedOrgs);
  }

  revoke(identity: StoredIdentity): Promise<void> {
    return this.port().revoke(identity);
  }

  async registries(): Promise<string[]> {
    const overrides = this.opts.settings()?.registries;
    if (overrides?.length) return [...new Set(overrides.map((r) => r.host.toLowerCase()))].sort();
    return this.port().registries();
  }
}
