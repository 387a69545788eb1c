// Registry token service benchmarks (results: BENCHMARKS.md, "Token service"). Each figure is a
// ratio to a baseline measured in the same run on the same machine.
//  1. Token throughput: refresh-token grants (POST /token, grant_type=refresh_token, one pull scope)
//     per second and p99 with 64 concurrent keep-alive clients against the real `bosun server`
//     process and a seeded directory (100 orgs, 10,000 users, 20,000 repositories, IAM on in half
//     the orgs). Baseline: raw ES256 signatures per second (node:crypto, P-256, r‖s), the one
//     unavoidable cost of a grant; grants/s ÷ signatures/s is the share of that ceiling reached.
//  2. Pull overhead: `docker pull` of a 10-layer, ~50 MB image through token auth versus the same
//     registry storage served with auth off (real dockerd, docker-registry 2.8, docker CLI).
//   npm run bench -- token        (BENCH_SECONDS=5 per throughput measurement, BENCH_PULLS=5 rounds,
//                                  BENCH_PULLS=0 skips the pulls, BENCH_PROFILE_DIR profiles the server)
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { binPath, runBosun } from '../test/helpers/cli.js';
import { installStandInHelper } from '../test/helpers/real/credentialHelper.js';
import { dockerClient } from '../test/helpers/real/dockerCli.js';
import { dockerdUnavailable, startDockerd } from '../test/helpers/real/dockerd.js';
import { writeLayeredImage } from '../test/helpers/real/layeredImage.js';
import { freePort } from '../test/helpers/real/process.js';
import { startRegistry, type TokenAuthConfig } from '../test/helpers/real/registry.js';
import { skopeoClient } from '../test/helpers/real/skopeo.js';
import { hashPassword } from '../src/server/store/secrets.js';
import { Store } from '../src/server/store/store.js';

const ORGS = 100;
const USERS = 10_000;
const REPOS = 20_000;
const CLIENTS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PULLS = Number(process.env.BENCH_PULLS ?? 5);
const SERVICE = 'registry.bench';

interface Seeded {
  /** One agent refresh token per client, with the repository that client pulls. */
  clients: { refreshToken: string; repository: string }[];
}

/** Seeds the store directly (one transaction); one password hash shared by all, since scrypt is not measured here. */
async function seed(dataDir: string, registryHost: string): Promise<Seeded> {
  const store = Store.open(dataDir);
  const hash = await hashPassword('bench-password');
  const clients: Seeded['clients'] = [];
  store.transaction(() => {
    store.settings.upsertRegistry({ host: registryHost, service: SERVICE });
    const orgs = Array.from({ length: ORGS }, (_, o) => {
      const org = store.orgs.create(`org${o}`);
      if (o % 2 === 0) store.orgs.setImageAccess(org.id, { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] });
      const team = store.orgs.createTeam(org.id, 'dev');
      store.grants.set({ team: team.id }, { kind: 'namespace', name: org.name }, 'read');
      return { org, team };
    });
    for (let r = 0; r < REPOS; r++) store.repositories.create(`org${r % ORGS}/repo${r}`, r % 3 === 0 ? 'public' : 'private');
    for (let u = 0; u < USERS; u++) {
      const user = store.users.create({ name: `user${u}`, passwordHash: hash, role: 'user' });
      const home = orgs[u % ORGS] as (typeof orgs)[number];
      store.orgs.setRole(home.org.id, user.id, 'member');
      store.orgs.addTeamMember(home.team, user.id);
      // The second org has Image Access Management off (odd index): the IAM of every org a user is in
      // applies (docs/permission-model.md, "Which Image Access Management applies"), and an org with it on
      // would refuse the home org's images, so most grants would be 403s and the bench would measure denials.
      store.orgs.setRole((orgs[((u * 7 + 3) % ORGS) | 1] as (typeof orgs)[number]).org.id, user.id, 'member');
      if (u < CLIENTS) {
        const { refreshToken } = store.sessions.issue({ userId: user.id, orgId: home.org.id, deviceId: `bench-${u}`, deviceName: 'bench' });
        clients.push({ refreshToken, repository: `org${u % ORGS}/repo${(u % ORGS) + ORGS}` });
      }
    }
  });
  store.close();
  return { clients };
}

/** Raw ES256 signatures per second: what every grant must do at least once. */
function es256SignaturesPerSecond(seconds: number): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = Buffer.from(`${'e'.repeat(160)}.${'p'.repeat(280)}`); // a typical header.payload length
  let n = 0;
  const stopAt = performance.now() + seconds * 1000;
  while (performance.now() < stopAt) {
    for (let i = 0; i < 100; i++) sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    n += 100;
  }
  return n / seconds;
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function send(url: URL, body?: string): Promise<number> {
  const headers = body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * CPU seconds (user + system) the server process has used, from /proc (Linux); undefined elsewhere.
 * Requests per server-CPU-second are far steadier than requests per second on a shared machine:
 * other engineers' load steals wall time, not the CPU time one request costs.
 */
const clockTicks = existsSync('/proc/self/stat') ? Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100 : 0;
function cpuSecondsOf(pid: number | undefined, statFile = 'stat'): number | undefined {
  if (!clockTicks || pid === undefined) return undefined;
  const fields = readFileSync(`/proc/${pid}/${statFile}`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime, stime (fields 14, 15 of stat)
}

/**
 * CPU seconds of the server's main thread (the event loop) alone: the whole process also counts
 * libuv's threadpool (signatures) and V8's GC helpers, which run on the other core. The event loop
 * is the one thread that bounds throughput.
 */
const mainThreadCpuSecondsOf = (pid: number | undefined): number | undefined => cpuSecondsOf(pid, `task/${pid}/stat`);

interface Load {
  rps: number;
  /** Requests per CPU second of the server process, when measurable. */
  perCpuSecond?: number;
  /** Requests per CPU second of the server's main thread, when measurable. */
  perMainThreadCpuSecond?: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `CLIENTS` keep-alive clients, each sending its own request in a loop for `seconds`. */
async function load(seconds: number, bodies: Array<string | undefined>, url: URL, serverPid?: number): Promise<Load> {
  const latencies: number[] = [];
  const cpuBefore = cpuSecondsOf(serverPid);
  const mainBefore = mainThreadCpuSecondsOf(serverPid);
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  await Promise.all(
    bodies.map(async (body) => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const status = await send(url, body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const cpuAfter = cpuSecondsOf(serverPid);
  const mainAfter = mainThreadCpuSecondsOf(serverPid);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : 0;
  const main = mainBefore !== undefined && mainAfter !== undefined ? mainAfter - mainBefore : 0;
  return {
    rps: latencies.length / seconds,
    ...(cpu > 0 ? { perCpuSecond: latencies.length / cpu } : {}),
    ...(main > 0 ? { perMainThreadCpuSecond: latencies.length / main } : {}),
    p50: q(0.5),
    p99: q(0.99),
    errors,
  };
}

function grantsPerSecond(tokenUrl: URL, seeded: Seeded, seconds: number, serverPid?: number): Promise<Load> {
  const bodies = seeded.clients.map(({ refreshToken, repository }) =>
    new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      service: SERVICE,
      client_id: 'bench',
      scope: `repository:${repository}:pull`,
    }).toString(),
  );
  return load(seconds, bodies, tokenUrl, serverPid);
}

function requestsPerSecond(url: URL, seconds: number, serverPid?: number): Promise<Load> {
  return load(
    seconds,
    Array.from({ length: CLIENTS }, () => undefined),
    url,
    serverPid,
  );
}

function startServer(dataDir: string): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  // BENCH_PROFILE_DIR=dir writes a CPU profile of the server process there (for finding hot spots).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profile, binPath('bosun'), 'server', 'start', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        resolve({
          url: m[1],
          pid: child.pid,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`bosun server exited ${code}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bosun-bench-token-')));
  const registryPort = await freePort();
  const registryHost = `127.0.0.1:${registryPort}`;
  const t0 = performance.now();
  const seeded = await seed(join(root, 'data'), registryHost);
  console.log(`seeded ${ORGS} orgs, ${USERS} users, ${REPOS} repositories, ${CLIENTS} agent sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const server = await startServer(join(root, 'data'));
  const stops: Array<() => Promise<void>> = [server.stop];
  try {
    // 1. Token throughput.
    const tokenUrl = new URL(`${server.url}/token`);
    await grantsPerSecond(tokenUrl, seeded, 1); // warm-up
    const signatures = es256SignaturesPerSecond(Math.min(SECONDS, 3));
    const grants = await grantsPerSecond(tokenUrl, seeded, SECONDS, server.pid);
    const health = await requestsPerSecond(new URL(`${server.url}/healthz`), SECONDS, server.pid);
    console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CLIENTS} clients, ${SECONDS} s\n`);
    console.log('| measurement | per second | ratio to raw ES256 signatures | ratio to GET /healthz | p50 ms | p99 ms | non-200 |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    console.log(`| raw ES256 signatures (node:crypto, one thread, baseline) | ${signatures.toFixed(0)} | 1.00 | | | | |`);
    console.log(
      `| GET /healthz, 64 clients (the server's HTTP ceiling) | ${health.rps.toFixed(0)} | ${(health.rps / signatures).toFixed(2)} | 1.00 | ${health.p50.toFixed(1)} | ${health.p99.toFixed(1)} | ${health.errors} |`,
    );
    console.log(
      `| refresh-token grants, POST /token, 64 clients | ${grants.rps.toFixed(0)} | ${(grants.rps / signatures).toFixed(2)} | ${(grants.rps / health.rps).toFixed(2)} | ${grants.p50.toFixed(1)} | ${grants.p99.toFixed(1)} | ${grants.errors} |`,
    );
    if (grants.perCpuSecond !== undefined && health.perCpuSecond !== undefined) {
      // A grant's own cost, steadier under shared load: raw signatures are one thread's CPU too.
      console.log(`\n| per CPU second of the server process | requests | ratio to raw ES256 signatures | ratio to GET /healthz | server µs per request |`);
      console.log('|---|---:|---:|---:|---:|');
      console.log(
        `| GET /healthz | ${health.perCpuSecond.toFixed(0)} | ${(health.perCpuSecond / signatures).toFixed(2)} | 1.00 | ${(1e6 / health.perCpuSecond).toFixed(0)} |`,
      );
      console.log(
        `| refresh-token grants | ${grants.perCpuSecond.toFixed(0)} | ${(grants.perCpuSecond / signatures).toFixed(2)} | ${(grants.perCpuSecond / health.perCpuSecond).toFixed(2)} | ${(1e6 / grants.perCpuSecond).toFixed(0)} |`,
      );
    }
    if (grants.perMainThreadCpuSecond !== undefined && health.perMainThreadCpuSecond !== undefined) {
      console.log(
        `\n| per CPU second of the server's main thread (event loop) | requests | ratio to raw ES256 signatures | ratio to GET /healthz | main-thread µs per request |`,
      );
      console.log('|---|---:|---:|---:|---:|');
      console.log(
        `| GET /healthz | ${health.perMainThreadCpuSecond.toFixed(0)} | ${(health.perMainThreadCpuSecond / signatures).toFixed(2)} | 1.00 | ${(1e6 / health.perMainThreadCpuSecond).toFixed(0)} |`,
      );
      console.log(
        `| refresh-token grants | ${grants.perMainThreadCpuSecond.toFixed(0)} | ${(grants.perMainThreadCpuSecond / signatures).toFixed(2)} | ${(grants.perMainThreadCpuSecond / health.perMainThreadCpuSecond).toFixed(2)} | ${(1e6 / grants.perMainThreadCpuSecond).toFixed(0)} |`,
      );
    }
    if (grants.errors > 0) process.exitCode = 1;

    // 2. Pull overhead.
    const why = PULLS === 0 ? 'BENCH_PULLS=0' : dockerdUnavailable();
    if (why) {
      console.log(`\npull overhead: skipped (${why})`);
      return;
    }
    const config = await runBosun(['server', 'registry-config', '--data', join(root, 'data'), '--registry', registryHost, '--realm', `${server.url}/token`]);
    if (config.code !== 0) throw new Error(`registry-config failed: ${config.stderr}`);
    const { auth } = parse(config.stdout) as { auth: { token: TokenAuthConfig } };
    // Both registries serve the same storage: only authorization differs.
    const storage = join(root, 'registry-storage');
    const withAuth = await startRegistry(join(root, 'reg-auth'), { auth, port: registryPort, storageDir: storage });
    stops.push(withAuth.stop);
    const open = await startRegistry(join(root, 'reg-open'), { storageDir: storage });
    stops.push(open.stop);
    const dockerd = await startDockerd(join(root, 'dockerd'));
    stops.push(dockerd.stop);
    const helper = installStandInHelper(root);
    const docker = dockerClient(root, dockerd.host, helper.binDir);
    docker.useCredentialHelper(registryHost, helper.name);
    const client = seeded.clients[0] as Seeded['clients'][number];
    helper.set(registryHost, '<token>', client.refreshToken);
    writeLayeredImage(join(root, 'image'), 10, 5 * 1024 * 1024);
    const pushed = await skopeoClient(root, docker).copy(`oci:${join(root, 'image')}:latest`, `docker://${open.hostPort}/${client.repository}:big`);
    if (pushed.code !== 0) throw new Error(`push failed: ${pushed.stderr}`);
    const timePull = async (ref: string): Promise<number> => {
      const t = performance.now();
      const r = await docker.run(['pull', '-q', ref]);
      const ms = performance.now() - t;
      if (r.code !== 0) throw new Error(`docker pull ${ref} failed: ${r.stderr}`);
      await docker.run(['rmi', '-f', ref]);
      return ms;
    };
    const authRef = `${registryHost}/${client.repository}:big`;
    const openRef = `${open.hostPort}/${client.repository}:big`;
    await timePull(openRef); // warm-up: page cache, dockerd
    const authMs: number[] = [];
    const openMs: number[] = [];
    for (let i = 0; i < PULLS; i++) {
      // Alternate the order so drift affects both sides alike.
      if (i % 2 === 0) {
        authMs.push(await timePull(authRef));
        openMs.push(await timePull(openRef));
      } else {
        openMs.push(await timePull(openRef));
        authMs.push(await timePull(authRef));
      }
    }
    console.log(`\n| docker pull, 10 layers × 5 MiB, ${PULLS} rounds | median ms | ratio to auth off |`);
    console.log('|---|---:|---:|');
    console.log(`| registry with auth off (baseline) | ${median(openMs).toFixed(0)} | 1.00 |`);
    console.log(`| registry with Bosun token auth | ${median(authMs).toFixed(0)} | ${(median(authMs) / median(openMs)).toFixed(2)} |`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    agent.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
