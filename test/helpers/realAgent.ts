// The real AgentCore over real parts, wired by the product's own wireAgent(), for the Electron shell's
// main-process tests: a `bosun server` with a seeded directory and a Secret Service on a private D-Bus
// (one of each per test file), and per agent an isolated sandbox holding the admin policy and Bosun's
// settings (registry.json and settings.json under BOSUN_POLICY_ROOT, read by the real feeds) and the
// Docker config (the real DockerConfigManager), the real keychain store, BosunAccount and log files.
// Only the `electron` module is faked in those tests (test/helpers/fakeElectron.ts).
// Needs `npm run build` first (the server is the built bin). Everything listens on 127.0.0.1.
import { chmodSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import { BosunAccount } from '../../src/agent/account/bosunAccount.js';
import type { AgentCore } from '../../src/agent/core.js';
import { DockerConfigManager } from '../../src/agent/dockerConfig/manager.js';
import { KeychainIdentityStore } from '../../src/agent/keychain.js';
import { currentPathContext, logsDir } from '../../src/agent/paths.js';
import { wireAgent, type WiredAgent } from '../../src/agent/wireAgent.js';
import { createLogger } from '../../src/common/log.js';
import { openAdminSettingsFeed, openPolicyFeed, type PolicyFeed } from '../../src/platform/workstationPolicy/policyFeed.js';
import { writeAdminFile } from './agentStack.js';
import { accountToken, ADMIN, startBosunServer, type BosunServerHandle } from './bosunServer.js';
import { makeSandbox, type Sandbox } from './sandbox.js';
import { secretServiceUnavailable, startSecretService, type SecretService } from './secretService.js';

/** The directory every shell test signs in against. */
export const USERS = {
  alice: { password: 'alice-password', orgs: ['mycompany'] },
  bob: { password: 'bob-password', orgs: ['mycompany', 'partner'] },
  mallory: { password: 'mallory-password', orgs: ['elsewhere'] },
} as const;
export type UserName = keyof typeof USERS;

function seed(): Record<string, unknown> {
  const names = Object.keys(USERS) as UserName[];
  const orgs = [...new Set(names.flatMap((u) => USERS[u].orgs))];
  return {
    registries: [{ host: '127.0.0.1:5000', service: 'registry.test' }],
    users: names.map((name) => ({ name, password: USERS[name].password })),
    // The admin owns every org, so members can come and go without an org losing its last owner.
    orgs: orgs.map((org) => ({
      name: org,
      members: [
        { user: ADMIN.name, role: 'owner' },
        ...names.filter((u) => (USERS[u].orgs as readonly string[]).includes(org)).map((user) => ({ user, role: 'member' })),
      ],
    })),
  };
}

/** Why these tests cannot run here, or undefined. */
export function realAgentUnavailable(): string | undefined {
  return secretServiceUnavailable();
}

export interface RealAgent {
  core: AgentCore;
  policy: PolicyFeed;
  identity: KeychainIdentityStore;
  dockerConfig: DockerConfigManager;
  account: BosunAccount;
  sandbox: Sandbox;
  /** Writes registry.json the way MDM tools do; the policy feed picks it up. */
  writePolicy(allowedOrgs: string[]): void;
  /**
   * Another agent over this one's policy files, keychain, Docker config and account (what the next
   * start of the agent finds), wired but not started; the caller disposes it.
   */
  restarted(): Promise<WiredAgent>;
  dispose(): Promise<void>;
}

export interface AgentWorld {
  server: BosunServerHandle;
  /** A fresh agent in its own sandbox and keychain service, signed out, started. */
  agent(allowedOrgs: string[]): Promise<RealAgent>;
  /** What the user does on the server's verification page. */
  approveDevice(userCode: string, user: UserName): Promise<void>;
  /** Admin API calls (bearer from POST /v2/auth/token as the admin). */
  admin(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Revokes every agent session of a user, as an admin does from the API. */
  revokeSessions(user: UserName): Promise<number>;
  stop(): Promise<void>;
}

export async function startAgentWorld(): Promise<AgentWorld> {
  const home = makeSandbox('bosun-shell-');
  const agents = new Set<RealAgent>();
  let serial = 0;
  const started = await Promise.allSettled([startSecretService(join(home.dir, 'dbus'), home.env), startBosunServer({ seed: seed() })]);
  const [secretsStart, serverStart] = started;
  if (secretsStart.status === 'rejected' || serverStart.status === 'rejected') {
    for (const r of started) if (r.status === 'fulfilled') await r.value.stop();
    home.cleanup();
    throw secretsStart.status === 'rejected' ? secretsStart.reason : (serverStart as PromiseRejectedResult).reason;
  }
  const secrets: SecretService = secretsStart.value;
  const server: BosunServerHandle = serverStart.value;
  // keytar (libsecret) connects to the session bus named here on first use, in this process.
  process.env.DBUS_SESSION_BUS_ADDRESS = secrets.env.DBUS_SESSION_BUS_ADDRESS;
  const url = server.url;
  let adminToken: string | undefined;
  const admin: AgentWorld['admin'] = async (method, path, body) => {
    if (!adminToken) {
      adminToken = await accountToken(url, ADMIN.name, ADMIN.password);
    }
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  return {
    server,
    async agent(allowedOrgs) {
      const sandbox = makeSandbox('bosun-shell-agent-');
      // The policy root stands in for "/": admin-only, or the policy is rightly flagged insecure.
      for (const d of [sandbox.dir, sandbox.policyRoot]) chmodSync(d, 0o755);
      const policyPath = join(sandbox.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
      const writePolicy = (orgs: string[]) => writeAdminFile(policyPath, JSON.stringify({ allowedOrgs: orgs }) + '\n');
      writePolicy(allowedOrgs);
      writeAdminFile(join(sandbox.policyRoot, 'etc/bosun/settings.json'), JSON.stringify({ server: url }) + '\n');
      const policy = await openPolicyFeed({ env: sandbox.env });
      const settings = await openAdminSettingsFeed({ env: sandbox.env });
      const dockerConfig = new DockerConfigManager({ path: join(sandbox.dockerConfig, 'config.json') });
      // Its own keychain service: agents of one file share the keyring, never an entry.
      const identity = new KeychainIdentityStore(`bosun-test-${process.pid}-${++serial}`);
      const account = new BosunAccount({ serverUrl: url, deviceId: `device-${serial}`, deviceName: `shell test ${serial}` });
      const logger = createLogger({ dir: logsDir({ ...currentPathContext(), env: sandbox.env }) });
      const wired = wireAgent({ policy, settings, identity, account, dockerConfig, logger });
      const { core } = wired;
      await wired.start();
      const agent: RealAgent = {
        core,
        policy,
        identity,
        dockerConfig,
        account,
        sandbox,
        writePolicy,
        restarted: async () =>
          wireAgent({
            policy: await openPolicyFeed({ env: sandbox.env }),
            settings: await openAdminSettingsFeed({ env: sandbox.env }),
            identity,
            account,
            dockerConfig,
            logger,
          }),
        async dispose() {
          if (!agents.delete(agent)) return;
          const session = core.state.state.name === 'signed-in' ? core.state.state.session : undefined;
          await wired.dispose(); // closes the policy and settings feeds
          await dockerConfig.dispose();
          await logger.close();
          if (session) await identity.erase(session).catch(() => {});
          sandbox.cleanup();
        },
      };
      agents.add(agent);
      return agent;
    },
    async approveDevice(userCode, user) {
      const res = await fetch(`${url}/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user_code: userCode, username: user, password: USERS[user].password, decision: 'approve' }),
      });
      if (res.status !== 200) throw new Error(`the verification page answered ${res.status}: ${await res.text()}`);
    },
    admin,
    async revokeSessions(user) {
      const list = await admin('GET', `/api/v1/users/${user}/sessions`);
      const sessions = (list.body as { sessions: { id: number; revoked?: boolean }[] }).sessions;
      let n = 0;
      for (const s of sessions) if ((await admin('DELETE', `/api/v1/sessions/${s.id}`)).status === 204) n++;
      return n;
    },
    async stop() {
      for (const a of [...agents]) await a.dispose();
      await server.stop();
      await secrets.stop();
      home.cleanup();
    },
  };
}

/**
 * One world for the calling test file: started in `before`, stopped in `after`. `skip` says why the
 * file's tests cannot run here (pass it as each test's skip option), or is false.
 */
export function agentWorldPerFile(what: string): { skip: string | false; world: () => AgentWorld } {
  const skip = realAgentUnavailable() ?? false;
  if (skip) console.log(`# skipping ${what}: ${skip}`);
  let world: AgentWorld | undefined;
  before(async () => {
    if (!skip) world = await startAgentWorld();
  });
  after(async () => {
    await world?.stop();
  });
  return {
    skip,
    world: () => {
      if (!world) throw new Error('the agent world is not running (started in before())');
      return world;
    },
  };
}
