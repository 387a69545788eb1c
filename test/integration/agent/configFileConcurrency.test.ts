// Bosun's config.json writes against other programs writing the same file at the worst moments,
// on real files with the real renameat2(RENAME_EXCHANGE). The competing writes are made the way the
// docker CLI makes them (read, change, write `config.json<digits>`, rename over config.json) or in
// place (an editor), at the exact instants the update's race-window seam names; then a real process
// hammers the file while Bosun rewrites it in a loop. Nobody's entries may be lost.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  BACKUP_SUFFIX,
  dockerConfigPath,
  dockerConfigWriteMethod,
  MalformedDockerConfigError,
  updateDockerConfig,
} from '../../../src/agent/dockerConfig/configFile.js';
import { exchangeSupport } from '../../../src/platform/fs/exchangePaths.js';
import { applyBosunEntries } from '../../../src/core/dockerConfig/dockerConfigMerge.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

type Config = { auths?: Record<string, unknown>; credHelpers?: Record<string, string>; [key: string]: unknown };

const read = (path: string): Config => JSON.parse(readFileSync(path, 'utf8')) as Config;

/** What the docker CLI does (cli/config/configfile.Save): temp file beside config.json, then rename. */
function dockerStyleWrite(path: string, change: (c: Config) => void): void {
  const config = read(path);
  change(config);
  const tmp = `${path}${Math.floor(Math.random() * 1e9)}`;
  writeFileSync(tmp, JSON.stringify(config, null, '\t'));
  renameSync(tmp, path);
}

const bosunEntries = (registries: string[]) => (config: Record<string, unknown>) => {
  const r = applyBosunEntries(config, registries);
  return r.changed ? r.config : undefined;
};

// Only where the OS has no exchange call does this suite skip. On Linux a missing exchange is a broken
// install (koffi not installed) and must fail, not skip: the first test asserts the method.
const exchange = exchangeSupport();
const noExchange =
  process.platform !== 'linux' &&
  process.platform !== 'darwin' &&
  'unavailable' in exchange &&
  `the atomic exchange is unavailable here: ${exchange.unavailable}`;

describe('config.json updates racing other writers', { skip: noExchange }, () => {
  let sb: Sandbox;
  let path: string;
  beforeEach(() => {
    sb = makeSandbox();
    path = dockerConfigPath(sb.env);
    writeFileSync(path, JSON.stringify({ auths: { 'ghcr.io': { auth: 'dTpw' } }, credsStore: 'desktop' }), { mode: 0o600 });
  });
  afterEach(() => sb.cleanup());

  it('uses the exchange here, and says so for bosun doctor', () => {
    assert.deepEqual(dockerConfigWriteMethod(path), { method: 'exchange' });
  });

  it('a docker write that lands just before Bosun replaces the file is kept', async () => {
    let raced = false;
    const r = await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: (moment) => {
        if (moment !== 'replace' || raced) return;
        raced = true;
        dockerStyleWrite(path, (c) => void ((c.auths ??= {})['quay.io'] = { auth: 'cTpw' }));
      },
    });
    assert.equal(r.method, 'exchange');
    assert.equal(r.retries, 1, 'Bosun saw the other write and started over from it');
    const after = read(path);
    assert.deepEqual(Object.keys(after.auths ?? {}), ['ghcr.io', 'quay.io']);
    assert.equal(after.credHelpers?.['reg.mycompany.test'], 'bosun');
    assert.equal(after.credsStore, 'desktop');
    assert.ok('quay.io' in (read(path + BACKUP_SUFFIX).auths ?? {}), 'the backup is the version Bosun replaced: the docker write');
  });

  it('a docker logout (a deletion) that lands just before Bosun replaces the file stays deleted', async () => {
    let raced = false;
    await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: () => {
        if (raced) return;
        raced = true;
        dockerStyleWrite(path, (c) => void delete c.auths?.['ghcr.io']);
      },
    });
    const after = read(path);
    assert.deepEqual(after.auths, {});
    assert.equal(after.credHelpers?.['reg.mycompany.test'], 'bosun');
  });

  it("an in-place rewrite (same file, an editor's save) just before the exchange is kept", async () => {
    let raced = false;
    const inode = statSync(path).ino;
    await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: () => {
        if (raced) return;
        raced = true;
        writeFileSync(path, JSON.stringify({ ...read(path), currentContext: 'remote' }));
        assert.equal(statSync(path).ino, inode);
      },
    });
    assert.equal(read(path).currentContext, 'remote');
    assert.equal(read(path).credHelpers?.['reg.mycompany.test'], 'bosun');
  });

  it("two writes in a row, the second by a program that read Bosun's version, are merged: none is lost", async () => {
    // The worst case the exchange allows: docker A lands before the exchange; docker B reads Bosun's
    // file in the microseconds before A's file is put back, and renames over it.
    const moments: string[] = [];
    await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: (moment) => {
        moments.push(moment);
        if (moments.length === 1) dockerStyleWrite(path, (c) => void ((c.auths ??= {})['a.example'] = { auth: 'YQ==' }));
        if (moments.length === 2) {
          assert.equal(moment, 'restore');
          const seen = read(path);
          assert.equal(seen.credHelpers?.['reg.mycompany.test'], 'bosun', "B read Bosun's file");
          assert.equal(seen.auths?.['a.example'], undefined, "which lacks A's entry");
          dockerStyleWrite(path, (c) => {
            (c.auths ??= {})['b.example'] = { auth: 'Yg==' };
            c.currentContext = 'b';
          });
        }
      },
    });
    assert.deepEqual(moments.slice(0, 2), ['replace', 'restore']);
    const after = read(path);
    assert.deepEqual(Object.keys(after.auths ?? {}).sort(), ['a.example', 'b.example', 'ghcr.io']);
    assert.equal(after.currentContext, 'b');
    assert.equal(after.credHelpers?.['reg.mycompany.test'], 'bosun');
    assert.equal(after.credsStore, 'desktop');
  });

  it('a config.json deleted just before the exchange is created again, and one created first by another program is kept', async () => {
    let raced = false;
    await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: () => {
        if (!raced) unlinkSync(path);
        raced = true;
      },
    });
    assert.deepEqual(read(path), { credHelpers: { 'reg.mycompany.test': 'bosun' } });

    rmSync(path);
    let created = false;
    await updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
      onRaceWindow: () => {
        if (!created) writeFileSync(path, JSON.stringify({ auths: { 'first.example': {} } }));
        created = true;
      },
    });
    assert.deepEqual(read(path), { auths: { 'first.example': {} }, credHelpers: { 'reg.mycompany.test': 'bosun' } });
  });

  it('a competing version that is not JSON is never merged or deleted: kept beside config.json, with an error naming it', async () => {
    let n = 0;
    await assert.rejects(
      updateDockerConfig(path, bosunEntries(['reg.mycompany.test']), {
        onRaceWindow: () => {
          n++;
          if (n === 1) dockerStyleWrite(path, (c) => void (c.x = 1));
          if (n === 2) {
            writeFileSync(`${path}.new`, '{ half a file');
            renameSync(`${path}.new`, path);
          }
        },
      }),
      (err: unknown) => err instanceof MalformedDockerConfigError && /kept in .*bosun-conflict-/.test(err.message),
    );
    const kept = readdirSync(sb.dockerConfig).filter((f) => f.startsWith('config.json.bosun-conflict-'));
    assert.equal(kept.length, 1);
    assert.equal(readFileSync(join(sb.dockerConfig, kept[0]!), 'utf8'), '{ half a file');
    assert.equal(read(path).x, 1, 'config.json holds the other valid write');
    assert.equal(readdirSync(sb.dockerConfig).filter((f) => f.endsWith('.tmp')).length, 0, 'no temp file left');
  });

  it('a real process rewriting config.json as fast as it can, against Bosun rewriting it in a loop: every write survives', { timeout: 120_000 }, async () => {
    // The writer adds one auths entry per write, docker's way, 2,000 times, back to back (no pause, unlike
    // any real docker CLI). Bosun meanwhile switches its registry set continuously. Each of the writer's
    // entries must be in the final file, and so must Bosun's last set and the user's other settings.
    const N = 2000;
    const writer = `
      const fs = require('node:fs');
      const path = process.argv[1];
      for (let i = 0; i < ${N}; i++) {
        for (;;) {
          let c;
          try { c = JSON.parse(fs.readFileSync(path, 'utf8')); } catch { continue; }
          (c.auths ??= {})['w' + i + '.example'] = { auth: 'dzpw' };
          const tmp = path + String(Math.floor(Math.random() * 1e9));
          fs.writeFileSync(tmp, JSON.stringify(c, null, '\\t'));
          fs.renameSync(tmp, path);
          break;
        }
      }`;
    const child = spawn(process.execPath, ['-e', writer, path], { stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let done = false;
    void exited.then(() => (done = true));
    const sets = [['reg.mycompany.test'], ['reg.mycompany.test', 'other.mycompany.test'], ['third.mycompany.test']];
    let writes = 0;
    let retries = 0;
    let rescued = 0;
    while (!done) {
      const r = await updateDockerConfig(path, bosunEntries(sets[writes % sets.length]!), { maxAttempts: 1000 });
      retries += r.retries;
      rescued += r.rescued;
      writes++;
      await new Promise((r) => setImmediate(r)); // Let the child's exit be noticed; otherwise no pause.
    }
    assert.equal(await exited, 0);
    const final = read(path);
    const missing = Array.from({ length: N }, (_, i) => `w${i}.example`).filter((k) => !(k in (final.auths ?? {})));
    console.log(
      `  ${writes} Bosun writes against ${N} of the writer's: ${retries} times the file changed under Bosun, ${rescued} of them after the last check (the writer's file put back); lost: ${missing.length}`,
    );
    assert.deepEqual(missing, [], 'writes of the other program lost');
    assert.ok(writes >= 10, `Bosun wrote only ${writes} times`);
    assert.ok(retries > 0, 'no conflict happened, so this run proved nothing; make the race tighter');
    assert.deepEqual(final.auths?.['ghcr.io'], { auth: 'dTpw' });
    assert.equal(final.credsStore, 'desktop');
    assert.equal(existsSync(path + BACKUP_SUFFIX), true);
  });
});
