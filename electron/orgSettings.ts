// Reads the session org's Image Access Management with the Hub-compatible API
// (`GET /v2/orgs/{org}/settings`, readable by members). Runs in main only: the stored identity is
// read from the keychain here and never leaves this process.
// - Docker Hub mode (a PAT): Hub's own flow, `POST /v2/auth/token` with the PAT, then the settings.
// - Bosun mode (an org-bound refresh token): the refresh token is presented as the bearer; a server
//   that does not accept it for this read answers 401, which is reported as such.
import type { IdentityPort } from '../src/agent/ports.js';
import { HubAuthError, HubClient } from '../src/agent/hubClient.js';
import type { OrgSettingsPort } from './handlers.js';
import type { ImageAccessSettingsView } from './orgPermissionsView.js';

export class HubOrgSettings implements OrgSettingsPort {
  constructor(
    private readonly identity: IdentityPort,
    private readonly timeoutMs = 10_000,
  ) {}

  async imageAccess(org: string): Promise<ImageAccessSettingsView> {
    const stored = await this.identity.load();
    if (!stored || stored.session.org !== org) throw new Error(`nobody is signed in to ${org}`);
    const hub = new HubClient({ baseUrl: stored.session.server, timeoutMs: this.timeoutMs });
    try {
      const bearer = stored.kind === 'pat' ? await hub.signIn(stored.session.user, stored.secret) : stored.secret;
      return await hub.orgImageAccess(bearer, org);
    } catch (err) {
      if (err instanceof HubAuthError) throw new Error(`${stored.session.server} did not let this session read the settings of ${org}`);
      throw err;
    }
  }
}
