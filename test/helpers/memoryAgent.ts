// An AgentCore on in-memory ports, for shell tests that need a working core before the real adapters
// are wired (policy files, keychain, Docker config, Bosun server). The ports behave like the real
// ones (passwords are checked, org choice uses the real src/policy/orgChoice, revocation is
// remembered); they are a development stand-in, replaced by the real server where a test has one.
import { AgentCore } from '../../src/agent/core.js';
import type { AccountPort, DeviceCodePrompt, OrgPickNeeded, SessionCheck, SignInResult, StoredIdentity } from '../../src/agent/ports.js';
import type { PolicyView } from '../../src/policy/agentState.js';
import { chooseOrg } from '../../src/policy/orgChoice.js';
import { MemoryDockerConfig, MemoryIdentity, MemoryPolicy } from './memoryPorts.js';

export const SERVER = 'http://127.0.0.1:9';

interface User {
  password: string;
  orgs: string[];
}

/** Like memoryPorts' MemoryAccount, plus the device flow and membership that a check re-reads. */
export class DirectoryAccount implements AccountPort {
  readonly users = new Map<string, User>();
  readonly revoked = new Set<string>();
  private pendingDevice: { code: string; approve: (user: string) => void } | undefined;
  private seq = 0;

  addUser(name: string, password: string, orgs: string[]): void {
    this.users.set(name, { password, orgs });
  }

  async signIn(username: string, secret: string, allowedOrgs: string[], org?: string): Promise<SignInResult | OrgPickNeeded> {
    const user = this.users.get(username);
    if (!user || user.password !== secret) throw new Error('the username or password/token was not accepted');
    return this.bind(username, allowedOrgs, org);
  }

  async deviceSignIn(allowedOrgs: string[], org: string | undefined, onPrompt: (p: DeviceCodePrompt) => void, signal?: AbortSignal) {
    const code = `WXYZ-${String(++this.seq).padStart(4, '0')}`;
    const username = await new Promise<string>((resolve, reject) => {
      this.pendingDevice = { code, approve: resolve };
      signal?.addEventListener('abort', () => reject(new Error('browser sign-in was cancelled')));
      onPrompt({ userCode: code, verificationUri: `${SERVER}/device`, verificationUriComplete: `${SERVER}/device?user_code=${code}`, expiresInSec: 600 });
    });
    return this.bind(username, allowedOrgs, org);
  }

  /** What the user does on the verification page. */
  approveDevice(code: string, username: string): void {
    if (!this.pendingDevice || this.pendingDevice.code !== code) throw new Error(`no pending device code ${code}`);
    this.pendingDevice.approve(username);
    this.pendingDevice = undefined;
  }

  private bind(username: string, allowedOrgs: string[], org?: string): SignInResult | OrgPickNeeded {
    const choice = chooseOrg(username, this.users.get(username)!.orgs, allowedOrgs, org);
    if (choice.kind === 'refused') throw new Error(choice.message);
    if (choice.kind === 'pick') return { kind: 'pick-org', orgs: choice.orgs };
    return { kind: 'signed-in', identity: { kind: 'refresh', secret: `rt-${username}-${choice.org}-${++this.seq}`, session: { server: SERVER, user: username, org: choice.org } } };
  }

  async check(identity: StoredIdentity): Promise<SessionCheck> {
    if (this.revoked.has(identity.secret)) return { ok: false, why: 'token-revoked', message: 'Your Bosun session was revoked. Sign in again.' };
    const user = this.users.get(identity.session.user);
    if (!user?.orgs.includes(identity.session.org)) {
      return { ok: false, why: 'membership-revoked', message: `${identity.session.user} is no longer a member of ${identity.session.org}. Sign in again.` };
    }
    return { ok: true };
  }

  async revoke(identity: StoredIdentity): Promise<void> {
    this.revoked.add(identity.secret);
  }

  async registries(): Promise<string[]> {
    return ['127.0.0.1:5000'];
  }
}

export function enforced(...orgs: string[]): PolicyView {
  return { state: 'enforced', allowedOrgs: orgs, errors: [], insecure: false };
}

export interface MemoryAgent {
  core: AgentCore;
  policy: MemoryPolicy;
  identity: MemoryIdentity;
  dockerConfig: MemoryDockerConfig;
  account: DirectoryAccount;
}

/** alice: mycompany; bob: mycompany + partner; mallory: elsewhere (not in any allowed org). */
export async function startMemoryAgent(view: PolicyView = enforced('mycompany', 'partner')): Promise<MemoryAgent> {
  const policy = new MemoryPolicy(view);
  const identity = new MemoryIdentity();
  const dockerConfig = new MemoryDockerConfig();
  const account = new DirectoryAccount();
  account.addUser('alice', 'alice-password', ['mycompany']);
  account.addUser('bob', 'bob-password', ['mycompany', 'partner']);
  account.addUser('mallory', 'mallory-password', ['elsewhere']);
  const core = new AgentCore({ policy, identity, dockerConfig, account });
  await core.start();
  return { core, policy, identity, dockerConfig, account };
}
