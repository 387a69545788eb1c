// Credential helper latency: `docker-credential-bosun get` (built bundle, answered by a signed-in
// agent over its socket) against `node -e 0` in the same run, target ≤ 1.25x; and Debian's Go
// `docker-credential-secretservice get` (against a real gnome-keyring) when it is installed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { HubAccount } from '../src/agent/account/hubAccount.js';
import { HubClient } from '../src/agent/hubClient.js';
import { agentSocketPath, currentPathContext } from '../src/agent/paths.js';
import type { StoredIdentity } from '../src/agent/ports.js';
import { AgentSocketServer } from '../src/agent/socket/server.js';
import { wireAgent } from '../src/agent/wireAgent.js';
import { openAdminSettingsFeed, openPolicyFeed } from '../src/platform/workstationPolicy/policyFeed.js';
import { writeAdminFile } from '../test/helpers/agentStack.js';
import { binPath } from '../test/helpers/cli.js';
import { startHubApi } from '../test/helpers/hubApi.js';
import { keyringUnavailable, runInKeyring } from '../test/helpers/keyring.js';
import { makeSandbox } from '../test/helpers/sandbox.js';
import { median, p95 } from './stats.js';

const RUNS = 30;
const HUB = 'https://index.docker.io/v1/';

/** Wall time of one child from spawn to exit (asynchronous: the agent in this process keeps answering). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
    child.stdin.end(input);
  });
}

const sb = makeSandbox('bosun-bench-');
const hub = await startHubApi({ ann: { password: 'ann-pw-1', orgs: ['mycompany'] } });
let stored: StoredIdentity | undefined;
// The agent as the product wires it, over an admin policy enforcing mycompany and Hub-mode settings.
for (const d of [sb.dir, sb.policyRoot]) chmodSync(d, 0o755);
writeAdminFile(join(sb.policyRoot, 'usr/share/docker-desktop/registry/registry.json'), JSON.stringify({ allowedOrgs: ['mycompany'] }) + '\n');
writeAdminFile(join(sb.policyRoot, 'etc/bosun/settings.json'), JSON.stringify({ server: hub.url, hubMode: true }) + '\n');
const agent = wireAgent({
  policy: await openPolicyFeed({ env: sb.env }),
  settings: await openAdminSettingsFeed({ env: sb.env }),
  logger: { info: () => undefined, warn: () => undefined, audit: () => undefined },
  identity: { load: async () => stored, save: async (i) => void (stored = i), erase: async () => void (stored = undefined) },
  dockerConfig: { ensure: async () => undefined, undo: async () => undefined },
  account: new HubAccount(new HubClient({ baseUrl: hub.url }), hub.url),
});
const { core } = agent;
const server = new AgentSocketServer(agentSocketPath({ ...currentPathContext(), env: sb.env }));
try {
  agent.serve(server);
  await agent.start();
  await server.listen();
  const login = await core.login('ann', 'ann-pw-1');
  if (login.kind !== 'signed-in') throw new Error(`bench setup: sign-in failed: ${JSON.stringify(login)}`);

  const helper = binPath('docker-credential-bosun');
  const helperTimes: number[] = [];
  const nodeTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    await timed(process.execPath, [helper, 'get'], sb.env, HUB);
    await timed(process.execPath, ['-e', '0'], sb.env, '');
  }
  // Interleaved, so load on the shared machine hits both alike.
  for (let i = 0; i < RUNS; i++) {
    helperTimes.push(await timed(process.execPath, [helper, 'get'], sb.env, HUB));
    nodeTimes.push(await timed(process.execPath, ['-e', '0'], sb.env, ''));
  }
  const h = median(helperTimes);
  const n = median(nodeTimes);
  console.log(`docker-credential-bosun get: median ${h.toFixed(1)} ms (p95 ${p95(helperTimes).toFixed(1)} ms)`);
  console.log(`node -e 0 (baseline):        median ${n.toFixed(1)} ms (p95 ${p95(nodeTimes).toFixed(1)} ms)`);
  console.log(`ratio: ${(h / n).toFixed(2)}x (target ≤ 1.25x) ${h / n <= 1.25 ? 'MET' : 'MISSED'}`);

  const go = spawnSync('sh', ['-c', 'command -v docker-credential-secretservice'], { encoding: 'utf8' }).stdout.trim();
  const noKeyring = keyringUnavailable();
  if (!go) console.log('docker-credential-secretservice: not installed (Debian: golang-docker-credential-helpers); skipped');
  else if (noKeyring) console.log(`docker-credential-secretservice: skipped, ${noKeyring}`);
  else {
    // Inside a keyring session: store one credential, then time the Go helper's get and node -e 0 there.
    const inner = `
      const { spawn, spawnSync } = require('node:child_process');
      const go = ${JSON.stringify(go)};
      const st = spawnSync(go, ['store'], { input: JSON.stringify({ ServerURL: 'reg.example.test', Username: 'ann', Secret: 's3cret' }) });
      if (st.status !== 0) { console.log(JSON.stringify({ error: String(st.stdout) + String(st.stderr) })); process.exit(0); }
      const timed = (cmd, args, input) => new Promise((res, rej) => { const t0 = performance.now(); const c = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'ignore'] }); c.on('close', (code) => code === 0 ? res(performance.now() - t0) : rej(new Error(cmd + ' ' + code))); c.stdin.end(input); });
      (async () => { const g = [], n = [];
        for (let i = 0; i < 3; i++) { await timed(go, ['get'], 'reg.example.test'); await timed(process.execPath, ['-e', '0'], ''); }
        for (let i = 0; i < ${RUNS}; i++) { g.push(await timed(go, ['get'], 'reg.example.test')); n.push(await timed(process.execPath, ['-e', '0'], '')); }
        console.log(JSON.stringify({ g, n })); })().catch((e) => console.log(JSON.stringify({ error: String(e) })));`;
    const r = await runInKeyring([process.execPath, '-e', inner], { ...sb.env, HOME: join(sb.dir, 'keyring-home') }, 120_000);
    const line = r.output.split('\n').find((l) => l.startsWith('{'));
    const data = line ? (JSON.parse(line) as { g?: number[]; n?: number[]; error?: string }) : { error: r.output };
    if (!data.g || !data.n) console.log(`docker-credential-secretservice: could not run (${data.error ?? 'no output'})`);
    else {
      console.log(`docker-credential-secretservice get (Go, gnome-keyring): median ${median(data.g).toFixed(1)} ms (p95 ${p95(data.g).toFixed(1)} ms)`);
      console.log(`  node -e 0 in that session: median ${median(data.n).toFixed(1)} ms; bosun get / Go get = ${(h / median(data.g)).toFixed(2)}x`);
    }
  }
} finally {
  await server.close();
  await agent.dispose();
  await hub.close();
  sb.cleanup();
}
