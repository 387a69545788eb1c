// Sign-in against a Bosun server: the Hub-compatible API proves who the user is and which orgs they
// belong to; Bosun's agent-session endpoint then issues a refresh token bound to (user, org session,
// device), which the credential helper hands to docker as an identity token.
import { chooseOrg } from '../../core/agent/orgChoice.js';
import { HubAuthError, HubClient, HubProtocolError, HubUnreachableError } from '../hubClient.js';
import { runDeviceAuthorization } from '../deviceAuthorizationClient.js';
import { sessionMismatch } from '../../core/agent/storedSession.js';
import type { AccountPort, DeviceCodePrompt, OrgPickNeeded, SessionCheck, SignInResult, StoredIdentity } from '../ports.js';

export interface BosunAccountOptions {
  serverUrl: string;
  deviceId: string;
  deviceName: string;
  timeoutMs?: number;
}

/** The OAuth client id the agent presents in the device flow. */
export const DEVICE_CLIENT_ID = 'bosun-agent';

interface Discovery {
  registries: { host: string }[];
}

export class BosunAccount implements AccountPort {
  private readonly hub: HubClient;
  private readonly base: string;

  constructor(private readonly opts: BosunAccountOptions) {
    this.base = opts.serverUrl.replace(/\/+$/, '');
    this.hub = new HubClient({ baseUrl: this.base, timeoutMs: opts.timeoutMs ?? 10_000 });
  }

  async signIn(username: string, secret: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded> {
    return this.bindSession(await this.hub.signIn(username, secret), allowedOrgs, org);
  }

  async deviceSignIn(
    allowedOrgs: string[],
    org: string | undefined,
    onPrompt: (prompt: DeviceCodePrompt) => void,
    signal?: AbortSignal,
  ): Promise<SignInResult | OrgPickNeeded> {
    const access = await runDeviceAuthorization(this.base, DEVICE_CLIENT_ID, onPrompt, { signal, timeoutMs: this.opts.timeoutMs ?? 10_000 });
    return this.bindSession(access, allowedOrgs, org);
  }

  /** From an account-API access token: the user, the org choice, then an org-bound refresh token. */
  private async bindSession(access: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded> {
    const user = await this.hub.username(access);
    const choice = chooseOrg(user, await this.hub.orgs(access), allowedOrgs, org);
    if (choice.kind === 'refused') throw new Error(choice.message);
    if (choice.kind === 'pick') return { kind: 'pick-org', orgs: choice.orgs };
    const res = await this.call('POST', '/api/v1/agent/sessions', {
      bearer: access,
      json: { org: choice.org, device_id: this.opts.deviceId, device_name: this.opts.deviceName },
    });
    const body = (await res.json()) as { refresh_token?: unknown };
    if (typeof body.refresh_token !== 'string' || !body.refresh_token) throw new HubProtocolError('the server issued no refresh token');
    return { kind: 'signed-in', identity: { kind: 'refresh', secret: body.refresh_token, session: { server: this.base, user, org: choice.org } } };
  }

  async check(identity: StoredIdentity, allowedOrgs: string[]): Promise<SessionCheck> {
    try {
      const res = await this.call('GET', '/api/v1/agent/sessions/current', { bearer: identity.secret, allowStatus: [401, 403] });
      if (res.status === 401) {
        return { ok: false, why: 'token-revoked', message: `Your Bosun session for ${identity.session.org} was revoked. Sign in again.` };
      }
      const body = (await res.json()) as { org?: string | null; user?: string; member?: boolean; disabled?: boolean; message?: string };
      // The keychain label is only a label: the server's answer says whose session the token is and
      // for which org. A token for another org (or user) filed under this label is not this session.
      const mismatch = sessionMismatch(identity.session, body);
      if (mismatch) return { ok: false, why: 'session-mismatch', message: mismatch };
      if (res.status === 403 || body.disabled) {
        return {
          ok: false,
          why: body.disabled ? 'account-disabled' : 'membership-revoked',
          message: body.message ?? `${identity.session.user} can no longer use ${identity.session.org}.`,
        };
      }
      if (body.member === false || (allowedOrgs.length && !allowedOrgs.includes(identity.session.org))) {
        return { ok: false, why: 'membership-revoked', message: `${identity.session.user} is no longer a member of ${identity.session.org}. Sign in again.` };
      }
      return { ok: true };
    } catch (err) {
      if (err instanceof HubUnreachableError) return { ok: false, why: 'unreachable', message: err.message };
      throw err;
    }
  }

  async revoke(identity: StoredIdentity): Promise<void> {
    await this.call('DELETE', '/api/v1/agent/sessions/current', { bearer: identity.secret, allowStatus: [401] });
  }

  async registries(): Promise<string[]> {
    const res = await this.call('GET', '/.well-known/bosun', {});
    const body = (await res.json()) as Discovery;
    if (!Array.isArray(body.registries)) throw new HubProtocolError('the discovery document lists no registries');
    return body.registries
      .map((r) => r.host)
      .filter((h) => typeof h === 'string' && h.length > 0)
      .sort();
  }

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, opts: { bearer?: string; json?: unknown; allowStatus?: number[] }): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
          ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (err) {
      throw new HubUnreachableError(`cannot reach ${this.base}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status >= 500) throw new HubUnreachableError(`${this.base} answered ${res.status}`);
    if (res.ok || opts.allowStatus?.includes(res.status)) return res;
    if (res.status === 401) throw new HubAuthError('the server did not accept the session');
    const text = await res.text();
    let message = text.slice(0, 300);
    try {
      message = ((JSON.parse(text) as { message?: string }).message ?? message).slice(0, 300);
    } catch {
      // keep the raw text
    }
    throw new HubProtocolError(`${method} ${path} answered ${res.status}: ${message}`);
  }
}
