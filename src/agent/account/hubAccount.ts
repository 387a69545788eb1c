// Docker Hub mode (docs/app.md): sign in with a personal access token, check membership through
// `/v2/user/orgs/`, and hand docker the PAT for https://index.docker.io/v1/. Hub enforces Image
// Access Management for a signed-in member of the org.
import { chooseOrg } from '../../core/agent/orgChoice.js';
import { HubAuthError, HubClient, HubUnreachableError } from '../hubClient.js';
import type { AccountPort, OrgPickNeeded, SessionCheck, SignInResult, StoredIdentity } from '../ports.js';

/** The docker CLI passes `https://index.docker.io/v1/` for Hub; the credHelpers key is the host. */
export const DOCKER_HUB_REGISTRY = 'index.docker.io';

export class HubAccount implements AccountPort {
  constructor(
    private readonly client: HubClient,
    private readonly serverUrl: string,
  ) {}

  async signIn(username: string, secret: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded> {
    const token = await this.client.signIn(username, secret);
    const user = await this.client.username(token);
    const choice = chooseOrg(user, await this.client.orgs(token), allowedOrgs, org);
    if (choice.kind === 'refused') throw new Error(choice.message);
    if (choice.kind === 'pick') return { kind: 'pick-org', orgs: choice.orgs };
    return { kind: 'signed-in', identity: { kind: 'pat', secret, session: { server: this.serverUrl, user, org: choice.org } } };
  }

  async check(identity: StoredIdentity, allowedOrgs: string[]): Promise<SessionCheck> {
    try {
      const token = await this.client.signIn(identity.session.user, identity.secret);
      const orgs = await this.client.orgs(token);
      if (!orgs.includes(identity.session.org) || (allowedOrgs.length && !allowedOrgs.includes(identity.session.org))) {
        return { ok: false, why: 'membership-revoked', message: `${identity.session.user} is no longer a member of ${identity.session.org}. Sign in again.` };
      }
      return { ok: true };
    } catch (err) {
      if (err instanceof HubAuthError) {
        return {
          ok: false,
          why: 'token-revoked',
          message: `The access token for ${identity.session.user} was revoked or has expired. Sign in again with a new token.`,
        };
      }
      if (err instanceof HubUnreachableError) return { ok: false, why: 'unreachable', message: err.message };
      throw err;
    }
  }

  async revoke(_identity: StoredIdentity): Promise<void> {
    // A PAT is the user's to revoke on Hub; signing out only forgets it locally.
  }

  async registries(): Promise<string[]> {
    return [DOCKER_HUB_REGISTRY];
  }
}
