// The agent the UI tests drive: the real AgentCore, wired by the product's wireAgent(), and the real
// BosunAccount against a real `bosun server` (test/helpers/bosunServer.ts) seeded with a directory, the
// doctor's real environment checks, the real policy and settings feeds over a sandboxed registry.json
// and settings.json (BOSUN_POLICY_ROOT), the real keychain
// (gnome-keyring; the caller runs inside its D-Bus session) and the real Docker config manager on the
// sandbox's config.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BosunAccount } from '../../../src/agent/account/bosunAccount.js';
import { dockerCliVersionCheck, helperOnPathCheck } from '../../../src/agent/doctor/environmentChecks.js';
import { HubClient } from '../../../src/agent/hubClient.js';
import { policySourcesFromFeed } from '../../../electron/policySources.js';
import { currentPathContext, logsDir } from '../../../src/agent/paths.js';
import { wireAgent } from '../../../src/agent/wireAgent.js';
import { createLogger } from '../../../src/common/log.js';
import { openAdminSettingsFeed, openPolicyFeed } from '../../../src/platform/workstationPolicy/policyFeed.js';
import { startBosunServer, type BosunServerHandle } from '../../helpers/bosunServer.js';
import { DockerConfigManager } from '../../../src/agent/dockerConfig/manager.js';
import { KeychainIdentityStore } from '../../../src/agent/keychain.js';
import { makeSandbox } from '../../helpers/sandbox.js';
import type { ShellHarnessDeps } from './shellHarness.js';

export const PASSWORDS = { alice: 'alice-password', bob: 'bob-password', mallory: 'mallory-password' } as const;

/** alice: mycompany; bob: mycompany + partner; mallory: only elsewhere. */
export const SEED = {
  settings: { anonymousPull: false, userNamespaces: false, verifiedPublishers: ['bitnami'] },
  registries: [{ host: '127.0.0.1:5000', service: 'registry.test' }],
  users: Object.entries(PASSWORDS).map(([name, password]) => ({ name, password })),
  orgs: [
    {
      name: 'mycompany',
      members: [
        { user: 'alice', role: 'member' },
        { user: 'bob', role: 'member' },
      ],
      imageAccess: { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] },
    },
    { name: 'partner', members: [{ user: 'bob', role: 'member' }] },
    { name: 'elsewhere', members: [{ user: 'mallory', role: 'owner' }] },
  ],
};

export interface AgentUnderTest {
  deps: ShellHarnessDeps;
  identity: KeychainIdentityStore;
  dockerConfigPath: string;
  server: BosunServerHandle;
  /** What the user does in the browser: the server's real verification page, then Approve. */
  approveDevice(browserPage: Page, url: string, user: keyof typeof PASSWORDS): Promise<void>;
  /** An org owner removes a member on the server; the agent then checks its session. */
  removeMember(user: string, org: string): Promise<void>;
  stop(): Promise<void>;
}

export async function agentUnderTest(): Promise<AgentUnderTest> {
  const sandbox = makeSandbox('bosun-ui-agent-');
  const registryJson = join(sandbox.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
  mkdirSync(join(registryJson, '..'), { recursive: true });
  writeFileSync(registryJson, JSON.stringify({ allowedOrgs: ['mycompany', 'partner'] }), { mode: 0o644 });
  const server = await startBosunServer({ seed: SEED });
  const settingsJson = join(sandbox.policyRoot, 'etc/bosun/settings.json');
  mkdirSync(join(settingsJson, '..'), { recursive: true });
  writeFileSync(settingsJson, JSON.stringify({ server: server.url }), { mode: 0o644 });
  const policy = await openPolicyFeed({ env: sandbox.env });
  const settings = await openAdminSettingsFeed({ env: sandbox.env });
  const account = new BosunAccount({ serverUrl: server.url, deviceId: 'ui-test-device', deviceName: 'UI test laptop' });
  const identity = new KeychainIdentityStore(`bosun-ui-test-${process.pid}`);
  const dockerConfigPath = join(sandbox.dockerConfig, 'config.json');
  const dockerConfig = new DockerConfigManager({ path: dockerConfigPath });
  const logger = createLogger({ dir: logsDir({ ...currentPathContext(), env: sandbox.env }) });
  const agent = wireAgent({ policy, settings, identity, account, dockerConfig, logger });
  const { core } = agent;
  await agent.start();

  // The member's view of the org settings, read from the real server with an account access token
  // (the app's HubOrgSettings reads them with the stored session instead).
  const orgSettings = {
    imageAccess: async (org: string) => {
      const user = core.state.state.name === 'signed-in' ? core.state.state.session.user : undefined;
      if (!user || !(user in PASSWORDS)) throw new Error('nobody is signed in');
      const hub = new HubClient({ baseUrl: server.url });
      return hub.orgImageAccess(await hub.signIn(user, PASSWORDS[user as keyof typeof PASSWORDS]), org);
    },
  };

  return {
    server,
    identity,
    dockerConfigPath,
    deps: { core, orgSettings, policySources: policySourcesFromFeed(policy), doctorChecks: async () => [helperOnPathCheck(''), await dockerCliVersionCheck()] },
    approveDevice: async (page, url, user) => {
      await page.goto(url);
      await page.getByLabel('Username').fill(user);
      await page.getByLabel('Password or access token').fill(PASSWORDS[user]);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForLoadState();
    },
    removeMember: async (user, org) => {
      const seedOrg = SEED.orgs.find((o) => o.name === org)!;
      const r = await server.apply({ orgs: [{ ...seedOrg, members: seedOrg.members.filter((m) => m.user !== user) }] }, ['--prune']);
      if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}`);
      await core.checkNow();
    },
    stop: async () => {
      await agent.dispose(); // closes the policy and settings feeds
      await dockerConfig.dispose();
      await logger.close();
      await server.stop();
      sandbox.cleanup();
    },
  };
}
