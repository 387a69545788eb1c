// The credential helper end to end, minus docker: the built `docker-credential-bosun` on PATH, a
// real AgentCore (Docker Hub mode, real HubClient over HTTP) wired by the product's wireAgent() over
// the real policy and settings feeds, behind the real agent socket.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HubAccount } from '../../../src/agent/account/hubAccount.js';
import type { AgentCore } from '../../../src/agent/core.js';
import { DockerConfigManager } from '../../../src/agent/dockerConfig/manager.js';
import { NOT_FOUND_MESSAGE } from '../../../src/core/dockerConfig/credentialHelperProtocol.js';
import { HubClient } from '../../../src/agent/hubClient.js';
import { agentSocketPath, currentPathContext, helperHintsPath, logsDir } from '../../../src/agent/paths.js';
import type { IdentityPort, StoredIdentity } from '../../../src/agent/ports.js';
import { AgentSocketServer } from '../../../src/agent/socket/server.js';
import { wireAgent, type WiredAgent } from '../../../src/agent/wireAgent.js';
import { createLogger, LOG_FILE, type BosunLogger } from '../../../src/common/log.js';
import { openAdminSettingsFeed, openPolicyFeed } from '../../../src/platform/workstationPolicy/policyFeed.js';
import { writeAdminFile } from '../../helpers/agentStack.js';
import { helperOnPath } from '../../helpers/helperOnPath.js';
import { run } from '../../helpers/real/dockerCli.js';
import { startHubApi, type HubApi } from '../../helpers/hubApi.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

const HUB = 'https://index.docker.io/v1/';

function helper(env: NodeJS.ProcessEnv, action: string, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // By name, through PATH, as docker runs it.
  return run('docker-credential-bosun', [action], env, input);
}

/** Process memory as the identity store: this test is about the helper, the keychain has its own. */
function memoryIdentity(): IdentityPort & { stored: StoredIdentity | undefined } {
  return {
    stored: undefined,
    async load() {
      return this.stored;
    },
    async save(identity) {
      this.stored = identity;
    },
    async erase() {
      this.stored = undefined;
    },
  };
}

describe('docker-credential-bosun', () => {
  let sb: Sandbox;
  let env: NodeJS.ProcessEnv;
  let hub: HubApi;
  let agent: WiredAgent;
  let core: AgentCore;
  let server: AgentSocketServer;
  let logger: BosunLogger;
  let dockerConfig: DockerConfigManager;
  const prompts: string[] = [];

  before(async () => {
    sb = makeSandbox();
    env = helperOnPath(sb.dir, sb.env).env;
    hub = await startHubApi({ ann: { password: 'ann-pw-1', orgs: ['mycompany'] }, bob: { password: 'bob-pw-1', orgs: ['othercorp'] } });
    const ctx = { ...currentPathContext(), env: sb.env };
    dockerConfig = new DockerConfigManager({ path: join(sb.dockerConfig, 'config.json') });
    logger = createLogger({ dir: logsDir(ctx) });
    // The admin policy (enforced for one org) and Bosun's settings (Docker Hub mode), as MDM deploys
    // them; the policy root stands in for "/", so it is admin-only like the real one.
    for (const d of [sb.dir, sb.policyRoot]) chmodSync(d, 0o755);
    writeAdminFile(join(sb.policyRoot, 'usr/share/docker-desktop/registry/registry.json'), JSON.stringify({ allowedOrgs: ['mycompany'] }) + '\n');
    writeAdminFile(join(sb.policyRoot, 'etc/bosun/settings.json'), JSON.stringify({ server: hub.url, hubMode: true }) + '\n');
    agent = wireAgent({
      policy: await openPolicyFeed({ env: sb.env }),
      settings: await openAdminSettingsFeed({ env: sb.env }),
      identity: memoryIdentity(),
      dockerConfig,
      account: new HubAccount(new HubClient({ baseUrl: hub.url }), hub.url),
      logger,
      hintsPath: helperHintsPath(ctx),
    });
    core = agent.core;
    core.bus.on('sign-in-prompt', (p) => prompts.push(p.registry));
    await agent.start();
    server = new AgentSocketServer(agentSocketPath(ctx));
    agent.serve(server);
  });
  after(async () => {
    await server.close();
    await agent.dispose();
    await dockerConfig.dispose();
    await logger.close();
    await hub.close();
    sb.cleanup();
  });

  it('version prints one line', async () => {
    const r = await helper(env, 'version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^docker-credential-bosun \(Bosun\) \d+\.\d+\.\d+\n$/);
  });

  describe('without an agent', () => {
    it('an unmanaged registry gets the exact not-found sentinel on stdout', async () => {
      const r = await helper(env, 'get', 'registry.example.com:5000\n');
      assert.equal(r.code, 1);
      assert.equal(r.stdout.trim(), NOT_FOUND_MESSAGE);
    });

    it('a registry Docker routes to Bosun fails with the explanation on stderr', async () => {
      writeFileSync(join(sb.dockerConfig, 'config.json'), JSON.stringify({ credHelpers: { 'index.docker.io': 'bosun' } }));
      const r = await helper(env, 'get', HUB);
      assert.equal(r.code, 1);
      assert.notEqual(r.stdout.trim(), NOT_FOUND_MESSAGE);
      assert.match(r.stderr, /open Bosun from the tray or run `bosun login`/);
      assert.match(r.stderr, /agent is not running/);
    });

    it('list is empty', async () => {
      const r = await helper(env, 'list');
      assert.equal(r.code, 0);
      assert.deepEqual(JSON.parse(r.stdout), {});
    });
  });

  describe('with the agent', () => {
    before(() => server.listen());

    it('signed out: a protected registry fails, names the org, and raises a sign-in prompt', async () => {
      const r = await helper(env, 'get', `  ${HUB}  \n`);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), 'sign in to mycompany with Bosun: open Bosun from the tray or run `bosun login`');
      assert.equal(r.stdout.trim(), r.stderr.trim());
      assert.deepEqual(prompts, ['index.docker.io']);
    });

    it('the helper hints name the org for when the agent is gone', () => {
      const hints = JSON.parse(readFileSync(helperHintsPath({ ...currentPathContext(), env: sb.env }), 'utf8')) as {
        registries: string[];
        explanation: string;
      };
      assert.deepEqual(hints.registries, ['index.docker.io']);
      assert.match(hints.explanation, /^sign in to mycompany with Bosun/);
    });

    it('an unmanaged registry is not found, even with the agent up', async () => {
      const r = await helper(env, 'get', 'ghcr.io\n');
      assert.equal(r.code, 1);
      assert.equal(r.stdout.trim(), NOT_FOUND_MESSAGE);
    });

    it('store from docker login refuses a non-member, naming the allowed org', async () => {
      const r = await helper(env, 'store', JSON.stringify({ ServerURL: HUB, Username: 'bob', Secret: 'bob-pw-1' }));
      assert.equal(r.code, 1);
      assert.match(r.stdout, /mycompany/);
      assert.match(r.stderr, /bob/);
      assert.notEqual(core.state.state.name, 'signed-in');
    });

    it('store refuses a wrong password and malformed input', async () => {
      const wrong = await helper(env, 'store', JSON.stringify({ ServerURL: HUB, Username: 'ann', Secret: 'nope' }));
      assert.equal(wrong.code, 1);
      assert.match(wrong.stdout, /not accepted/);
      const bad = await helper(env, 'store', '{"ServerURL":');
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /ServerURL/);
    });

    it('store for a member signs in; get, list then hand out the identity', async () => {
      const s = await helper(env, 'store', JSON.stringify({ ServerURL: HUB, Username: 'ann', Secret: 'ann-pw-1' }));
      assert.equal(s.code, 0, s.stdout + s.stderr);
      assert.equal(core.state.state.name, 'signed-in');
      const g = await helper(env, 'get', HUB);
      assert.equal(g.code, 0, g.stdout);
      assert.deepEqual(JSON.parse(g.stdout), { ServerURL: HUB, Username: 'ann', Secret: 'ann-pw-1' });
      const l = await helper(env, 'list');
      assert.deepEqual(JSON.parse(l.stdout), { 'index.docker.io': 'ann' });
    });

    it("the agent pointed Docker's config at the helper", () => {
      const config = JSON.parse(readFileSync(join(sb.dockerConfig, 'config.json'), 'utf8')) as { credHelpers?: Record<string, string> };
      assert.equal(config.credHelpers?.['index.docker.io'], 'bosun');
    });

    it(
      'a real client of another family (skopeo, containers/image) gets the identity through the helper',
      { skip: spawnSync('skopeo', ['--version']).status !== 0 && 'skopeo is not installed' },
      async () => {
        const r = await run('skopeo', ['login', '--get-login', 'docker.io'], env);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(r.stdout.trim(), 'ann');
      },
    );

    it(
      'erase from the real docker CLI (docker logout) signs out',
      { skip: spawnSync('docker', ['--version']).status !== 0 && 'the docker CLI is not installed' },
      async () => {
        // docker logout needs no daemon: it calls the helper's erase for a credHelpers registry it has an
        // auths entry for. A docker login through a helper leaves exactly this empty entry.
        const path = join(sb.dockerConfig, 'config.json');
        const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        writeFileSync(path, JSON.stringify({ ...config, auths: { [HUB]: {} } }));
        const e = await run('docker', ['logout'], { ...env, DOCKER_HOST: `unix://${join(sb.dir, 'no-daemon.sock')}` });
        assert.equal(e.code, 0, e.stdout + e.stderr);
        assert.match(e.stdout, /Removing login credentials for/);
        assert.equal(core.state.state.name, 'signed-out');
        const g = await helper(env, 'get', HUB);
        assert.equal(g.code, 1);
      },
    );

    it('denied requests and docker-login sign-ins leave audit lines, without secrets', async () => {
      await logger.close();
      const text = readFileSync(join(logsDir({ ...currentPathContext(), env: sb.env }), LOG_FILE), 'utf8');
      const audits = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { audit?: string; method?: string; via?: string; registry?: string; user?: string })
        .filter((l) => l.audit);
      assert.ok(audits.some((a) => a.audit === 'helper-denied' && a.method === 'get'));
      assert.ok(audits.some((a) => a.audit === 'helper-denied' && a.method === 'store'));
      // One line per event, saying how it came.
      const signIns = audits.filter((a) => a.audit === 'sign-in');
      assert.deepEqual(
        signIns.map((a) => [a.via, a.registry, a.user]),
        [['docker login', 'index.docker.io', 'ann']],
      );
      const signOuts = audits.filter((a) => a.audit === 'sign-out');
      assert.deepEqual(
        signOuts.map((a) => [a.via, a.registry, a.user]),
        [['docker logout', 'index.docker.io', 'ann']],
      );
      for (const secret of ['ann-pw-1', 'bob-pw-1']) assert.ok(!text.includes(secret), `${secret} reached the log`);
      logger = createLogger({ dir: logsDir({ ...currentPathContext(), env: sb.env }) });
    });
  });
});
