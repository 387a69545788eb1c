// Server sign-in and membership listing under load (results: BENCHMARKS.md, "Server").
// A store seeded with 100 orgs, 10,000 users and 20,000 repositories; the real `bosun server`
// process (built bin); 50 concurrent keep-alive clients. Each figure is also given as a ratio to
// GET /healthz measured in the same run, so machines compare.
//   npm run bench -- server-signin        (BENCH_SECONDS=5 by default per measurement)
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from '../test/helpers/cli.js';
import { Store } from '../src/server/store/store.js';
import { hashPassword } from '../src/server/store/secrets.js';

const ORGS = 100;
const USERS = 10_000;
const REPOS = 20_000;
const CLIENTS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'bench-password';

async function seed(dataDir: string): Promise<{ pats: { user: string; secret: string }[] }> {
  const store = Store.open(dataDir);
  const pats: { user: string; secret: string }[] = [];
  // One hash for every account: seeding 10,000 scrypt hashes would only measure scrypt.
  const hash = await hashPassword(PASSWORD);
  store.transaction(() => {
    const orgIds: number[] = [];
    for (let o = 0; o < ORGS; o++) {
      const org = store.orgs.create(`org${o}`);
      orgIds.push(org.id);
      const team = store.orgs.createTeam(org.id, 'dev');
      store.grants.set({ team: team.id }, { kind: 'namespace', name: org.name }, 'read');
    }
    for (let u = 0; u < USERS; u++) {
      const user = store.users.create({ name: `user${u}`, passwordHash: hash, role: u === 0 ? 'superuser' : 'user' });
      // Every user is in two orgs; every tenth is an owner of the first.
      store.orgs.setRole(orgIds[u % ORGS] as number, user.id, u % 10 === 0 ? 'owner' : 'member');
      store.orgs.setRole(orgIds[(u * 7 + 3) % ORGS] as number, user.id, 'member');
      if (u < CLIENTS) pats.push({ user: user.name, secret: store.pats.create(user.id, 'bench', ['read']).secret });
    }
    for (let r = 0; r < REPOS; r++) store.repositories.create(`org${r % ORGS}/repo${r}`, r % 3 === 0 ? 'public' : 'private');
  });
  store.close();
  return { pats };
}

interface Result {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function send(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body).toString() } : {}) }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(name: string, seconds: number, make: (client: number) => [URL, string, Record<string, string>, string?]): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (performance.now() < stopAt) {
        const [url, method, headers, body] = make(client);
        const t0 = performance.now();
        const status = await send(url, method, headers, body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { name, requests: latencies.length, rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bosun-bench-'));
  const dataDir = join(root, 'data');
  const t0 = performance.now();
  const { pats } = await seed(dataDir);
  console.log(`seeded ${ORGS} orgs, ${USERS} users, ${REPOS} repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const child = spawn(process.execPath, [binPath('bosun'), 'server', 'start', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, BOSUN_LOG_LEVEL: 'warn' },
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const json = { 'content-type': 'application/json' };
    const signIn = (c: number) => JSON.stringify({ identifier: pats[c]?.user, secret: pats[c]?.secret });
    const tokens: string[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const res = await fetch(`${base}/v2/auth/token`, { method: 'POST', headers: json, body: signIn(c) });
      tokens.push(((await res.json()) as { access_token: string }).access_token);
    }
    const health = new URL(`${base}/healthz`);
    const token = new URL(`${base}/v2/auth/token`);
    const orgs = new URL(`${base}/v2/user/orgs/?page_size=100`);
    const members = new URL(`${base}/v2/orgs/org7/members?page_size=100`);

    await measure('warm-up', 1, () => [health, 'GET', {}]);
    const results: Result[] = [];
    results.push(await measure('GET /healthz (baseline)', SECONDS, () => [health, 'GET', {}]));
    results.push(await measure('POST /v2/auth/token with a PAT', SECONDS, (c) => [token, 'POST', json, signIn(c)]));
    results.push(await measure('GET /v2/user/orgs/ (membership listing)', SECONDS, (c) => [orgs, 'GET', { authorization: `Bearer ${tokens[c]}` }]));
    results.push(await measure('GET /v2/orgs/{org}/members (100 per page)', SECONDS, () => [members, 'GET', { authorization: `Bearer ${tokens[0]}` }]));
    results.push(
      await measure('POST /v2/auth/token with a password (scrypt, for contrast)', SECONDS, (c) => [
        token,
        'POST',
        json,
        JSON.stringify({ identifier: `user${c + 100}`, secret: PASSWORD }),
      ]),
    );
    const baseline = results[0] as Result;
    console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CLIENTS} clients, ${SECONDS} s each\n`);
    console.log('| measurement | req/s | ratio to /healthz | p50 ms | p99 ms | non-200 |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${(r.rps / baseline.rps).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`);
    }
    const failed = results.some((r) => r.errors > 0);
    if (failed) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    agent.destroy();
    await new Promise((r) => child.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
