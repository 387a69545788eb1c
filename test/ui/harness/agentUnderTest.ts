// The agent the UI tests drive: the real AgentCore, with the doctor's real environment checks and the
// policy file of a sandbox. Until the Bosun server is on main, the account is the in-memory directory
// (test/helpers/memoryAgent.ts); the org settings port reads that directory's IAM settings.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { dockerCliVersionCheck, helperOnPathCheck } from '../../../src/agent/doctor/environmentChecks.js';
import type { PolicySourceView } from '../../../electron/ipcContract.js';
import type { ImageAccessSettingsView } from '../../../electron/orgPermissionsView.js';
import { enforced, startMemoryAgent } from '../../helpers/memoryAgent.js';
import { makeSandbox } from '../../helpers/sandbox.js';
import type { ShellHarnessDeps } from './shellHarness.js';
import { writeFileSync, mkdirSync } from 'node:fs';

export interface AgentUnderTest {
  deps: ShellHarnessDeps;
  /** What the user does on the server's verification page. */
  approveDevice(url: string, user: string): Promise<void>;
  /** An org owner removes a member on the server. */
  removeMember(user: string, org: string): Promise<void>;
  stop(): Promise<void>;
}

export async function agentUnderTest(): Promise<AgentUnderTest> {
  const sandbox = makeSandbox('bosun-ui-agent-');
  const registryJson = join(sandbox.policyRoot, 'registry.json');
  mkdirSync(sandbox.policyRoot, { recursive: true });
  writeFileSync(registryJson, JSON.stringify({ allowedOrgs: ['mycompany', 'partner'] }), { mode: 0o644 });
  const agent = await startMemoryAgent(enforced('mycompany', 'partner'));
  const iam: Record<string, ImageAccessSettingsView> = {
    mycompany: { enabled: true, allowOfficialImages: true, allowVerifiedPublishers: false },
    partner: { enabled: false, allowOfficialImages: true, allowVerifiedPublishers: true },
  };
  const sources = async (): Promise<PolicySourceView[]> => {
    const st = statSync(registryJson);
    const adminOnly = (st.mode & 0o022) === 0;
    return [{ location: registryJson, found: true, protected: adminOnly, verdict: adminOnly ? 'Only administrators can change it.' : 'Others can change it: a tampering risk.' }];
  };
  return {
    deps: {
      core: agent.core,
      orgSettings: { imageAccess: async (org) => iam[org] ?? Promise.reject(new Error(`no settings for ${org}`)) },
      policySources: { sources },
      doctorChecks: async () => [helperOnPathCheck(''), await dockerCliVersionCheck()],
    },
    approveDevice: async (url, user) => {
      const code = new URL(url).searchParams.get('user_code');
      if (!code) throw new Error(`no user_code in ${url}`);
      agent.account.approveDevice(code, user);
    },
    removeMember: async (user, org) => {
      const u = agent.account.users.get(user)!;
      u.orgs = u.orgs.filter((o) => o !== org);
      await agent.core.checkNow();
    },
    stop: async () => {
      await agent.core.dispose();
      sandbox.cleanup();
    },
  };
}
