// The Docker config manager on real files, with its real chokidar watcher, and racing the real
// docker CLI writing the same config.json.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BACKUP_SUFFIX, dockerConfigPath } from '../../../src/agent/dockerConfig/configFile.js';
import { DockerConfigManager } from '../../../src/agent/dockerConfig/manager.js';
import { createLogger, LOG_FILE, type BosunLogger } from '../../../src/common/log.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

const REGS = ['reg.mycompany.test:5000', 'index.docker.io'];

function readConfig(path: string): Record<string, unknown> & { credHelpers?: Record<string, string>; auths?: Record<string, unknown> } {
  return JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof readConfig>;
}

/** Polls until `check` holds; returns the elapsed ms, or throws after `limitMs`. */
async function within(limitMs: number, check: () => boolean, what: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    let ok = false;
    try {
      ok = check();
    } catch {
      // mid-write or malformed: keep polling
    }
    if (ok) return performance.now() - t0;
    if (performance.now() - t0 > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const dockerCli = spawnSync('docker', ['--version']).status === 0;

describe('DockerConfigManager', () => {
  let sb: Sandbox;
  let path: string;
  let logger: BosunLogger;
  let manager: DockerConfigManager;

  beforeEach(() => {
    sb = makeSandbox();
    path = dockerConfigPath(sb.env);
    logger = createLogger({ dir: join(sb.bosunHome, 'logs') });
    manager = new DockerConfigManager({ path, logger });
  });
  afterEach(async () => {
    await manager.dispose();
    await logger.close();
    sb.cleanup();
  });

  it('honors DOCKER_CONFIG', () => {
    assert.equal(path, join(sb.dockerConfig, 'config.json'));
  });

  it('ensure sets only its entries, keeps everything else, mode and a backup', async () => {
    const user = { auths: { 'ghcr.io': { auth: 'dTpw' } }, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' }, someFutureKey: { x: [1] } };
    writeFileSync(path, JSON.stringify(user));
    chmodSync(path, 0o640);
    await manager.ensure(REGS);
    const after = readConfig(path);
    assert.deepEqual(after, {
      ...user,
      // Docker Hub under all three names clients look up (see credHelperKeys).
      credHelpers: {
        'gcr.io': 'gcloud',
        'reg.mycompany.test:5000': 'bosun',
        'index.docker.io': 'bosun',
        'https://index.docker.io/v1/': 'bosun',
        'docker.io': 'bosun',
      },
    });
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.deepEqual(JSON.parse(readFileSync(path + BACKUP_SUFFIX, 'utf8')), user);
    assert.equal(statSync(path + BACKUP_SUFFIX).mode & 0o077, 0, 'the backup (it may hold auths) is private');
    assert.equal(manager.inspect().state, 'ok');
    await manager.undo();
    assert.deepEqual(readConfig(path), user);
  });

  it('a missing config.json is created private to the user', async () => {
    await manager.ensure(REGS);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(Object.keys(readConfig(path).credHelpers ?? {}).sort(), [
      'docker.io',
      'https://index.docker.io/v1/',
      'index.docker.io',
      'reg.mycompany.test:5000',
    ]);
  });

  it("keeps the owner when it runs as root for another user's file", { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
    writeFileSync(path, '{}');
    chownSync(path, 65534, 65534);
    await manager.ensure(REGS);
    assert.equal(statSync(path).uid, 65534);
    assert.equal(statSync(path).gid, 65534);
  });

  it('a malformed config.json is reported and never overwritten; once fixed, the entries come back', async () => {
    await manager.watch();
    const broken = '{"auths": {"ghcr.io": {"auth": "dTpw"}},, }';
    writeFileSync(path, broken);
    const events: string[] = [];
    manager.bus.on('malformed', (e) => events.push(e.message));
    await manager.ensure(REGS);
    assert.equal(readFileSync(path, 'utf8'), broken);
    assert.equal(events.length, 1);
    assert.match(events[0]!, /not valid JSON/);
    const inspected = manager.inspect();
    assert.equal(inspected.state, 'malformed');
    writeFileSync(path, '{"auths": {"ghcr.io": {"auth": "dTpw"}}}');
    await within(500, () => readConfig(path).credHelpers?.['index.docker.io'] === 'bosun', 'entries restored after the fix');
    assert.deepEqual(readConfig(path).auths, { 'ghcr.io': { auth: 'dTpw' } });
  });

  for (const [name, tamper] of [
    [
      'removed',
      (c: ReturnType<typeof readConfig>) => {
        delete c.credHelpers!['index.docker.io'];
      },
    ],
    [
      'pointed at another helper',
      (c: ReturnType<typeof readConfig>) => {
        c.credHelpers!['reg.mycompany.test:5000'] = 'desktop';
      },
    ],
    [
      'credHelpers dropped',
      (c: ReturnType<typeof readConfig>) => {
        delete c.credHelpers;
      },
    ],
  ] as const) {
    it(`tampering (${name}) is repaired within 500 ms and logged`, async () => {
      writeFileSync(path, JSON.stringify({ auths: {}, currentContext: 'default' }));
      await manager.ensure(REGS);
      await manager.watch();
      const tampering: unknown[] = [];
      manager.bus.on('tampering', (e) => tampering.push(e));
      const c = readConfig(path);
      tamper(c);
      writeFileSync(path, JSON.stringify(c));
      const ms = await within(500, () => manager.inspect().state === 'ok', 'repair');
      assert.ok(ms <= 500);
      assert.equal(readConfig(path).currentContext, 'default', "the tamperer's other keys stay");
      assert.equal(tampering.length, 1);
      await logger.close();
      const lines = readFileSync(join(sb.bosunHome, 'logs', LOG_FILE), 'utf8');
      assert.match(lines, /"audit":"tampering"/);
      logger = createLogger({ dir: join(sb.bosunHome, 'logs') });
    });
  }

  it('a deleted config.json is recreated with the entries', async () => {
    await manager.ensure(REGS);
    await manager.watch();
    rmSync(path);
    await within(500, () => existsSync(path) && manager.inspect().state === 'ok', 'recreate');
  });

  it('after undo, nothing is watched back in', async () => {
    await manager.ensure(REGS);
    await manager.watch();
    await manager.undo();
    writeFileSync(path, JSON.stringify({ credHelpers: { x: 'y' } }));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(readConfig(path), { credHelpers: { x: 'y' } });
  });

  it(
    "racing the docker CLI: Bosun's entries and the user's other settings are never lost",
    { skip: !dockerCli && 'the docker CLI is not installed', timeout: 60_000 },
    async () => {
      // docker logout deletes one auths entry per run (read, modify, atomic rename, as Bosun does). A write
      // of docker's that Bosun overwrote would bring an entry back; Bosun's own writes alternate registry sets.
      const N = 60;
      const auths = Object.fromEntries(Array.from({ length: N }, (_, i) => [`h${i}.example:5000`, { auth: 'dTpw' }]));
      writeFileSync(path, JSON.stringify({ auths, credHelpers: { 'gcr.io': 'gcloud' } }));
      await manager.watch();
      const script = `for i in $(seq 0 ${N - 1}); do docker logout h$i.example:5000 >/dev/null || exit 1; done`;
      const docker = spawn('sh', ['-c', script], { env: { ...sb.env, DOCKER_HOST: `unix://${join(sb.dir, 'no-daemon.sock')}` }, stdio: 'inherit' });
      const done = new Promise<number | null>((resolve) => docker.on('close', resolve));
      let finished = false;
      void done.then(() => (finished = true));
      let writes = 0;
      const sets = [REGS, ['reg.mycompany.test:5000'], ['index.docker.io', 'other.mycompany.test']];
      while (!finished) {
        await manager.ensure(sets[writes % sets.length]!);
        writes++;
        // Far busier than an agent, which writes on state changes and repairs.
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
      assert.equal(await done, 0, 'docker logout failed');
      await manager.ensure(REGS);
      await within(500, () => manager.inspect().state === 'ok', 'Bosun entries present');
      const final = readConfig(path);
      // Every docker logout removed its entry; one that Bosun had overwritten would have brought it back.
      const lost = Object.keys(final.auths ?? {});
      console.log(`  race: ${writes} Bosun writes against ${N} docker writes; docker writes lost: ${lost.length}`);
      assert.deepEqual(lost, [], 'docker logout writes overwritten by Bosun');
      assert.equal(final.credHelpers?.['gcr.io'], 'gcloud');
      assert.ok(writes >= 3, `the manager wrote only ${writes} times during the race`);
    },
  );
});
