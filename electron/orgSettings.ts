// Reads the session org's Image Access Management with the Hub-compatible API
// (`GET /v2/orgs/{org}/settings`, readable by members). Runs in main only: the stored identity is
// read from the keychain here and never leaves this process.
import type { IdentityPort } from '../src/agent/ports.js';
import { HubClient } from '../src/agent/hubClient.js';
import type { OrgSettingsPort } from './handlers.js';
import type { ImageAccessSettingsView } from './orgPermissionsView.js';

export class HubOrgSettings implements OrgSettingsPort {
  constructor(private readonly identity: IdentityPort, private readonly timeoutMs = 10_000) {}

  async imageAccess(org: string): Promise<ImageAccessSettingsView> {
    const stored = await this.identity.load();
    if (!stored || stored.session.org !== org) throw new Error(`nobody is signed in to ${org}`);
    const hub = new HubClient({ baseUrl: stored.session.server, timeoutMs: this.timeoutMs });
    return hub.orgImageAccess(stored.secret, org);
  }
}
