// The workstation `bosun` command as the installers ship it: the esbuild bundle of src/cli/main.ts
// (scripts/bundle.mjs, exactly as scripts/build.mjs makes dist/cli/bosun.cjs), run from a temporary
// directory with no node_modules, no package.json and no schemas/ anywhere above it, in both
// flavors; and, where this node supports it, as the single executable with an empty environment.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { packageRoot } from '../../../src/common/packageRoot.js';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';

const root = packageRoot();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const noSeaSupport = readFileSync(process.execPath).includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2')
  ? false
  : `${process.execPath} has no single-executable-application sentinel (a node built without SEA support); the release workflow builds the SEA with the official node`;

let box: Sandbox;
let dev: string;
let packaged: string;

/** Builds the CLI bundle into the sandbox (outfile is relative to root in scripts/bundle.mjs). */
async function buildCli(dir: string, flavor: { packaged: boolean }): Promise<string> {
  const { bundle, cliBundleOptions } = (await import(join(root, 'scripts/bundle.mjs'))) as {
    bundle(root: string, spec: [string, string, string, object], o: { version: string; packaged: boolean }): Promise<void>;
    cliBundleOptions(root: string): object;
  };
  const outfile = join(dir, 'bosun.cjs');
  mkdirSync(dir, { recursive: true });
  await bundle(root, ['src/cli/main.ts', outfile, 'cjs', cliBundleOptions(root)], { version, ...flavor });
  return outfile;
}

before(async () => {
  box = makeSandbox();
  // Nothing of the repository may be reachable from the bundle's directory.
  assert.ok(!box.dir.startsWith(root), 'the sandbox is outside the repository');
  for (let d = box.dir; d !== dirname(d); d = dirname(d)) {
    assert.ok(!existsSync(join(d, 'node_modules')) && !existsSync(join(d, 'package.json')), `${d} has a node_modules or package.json`);
  }
  dev = await buildCli(join(box.dir, 'dev'), { packaged: false });
  packaged = await buildCli(join(box.dir, 'packaged'), { packaged: true });
});
after(() => box.cleanup());

function bosun(file: string, args: string[], env: NodeJS.ProcessEnv = box.env) {
  return spawnSync(process.execPath, [file, ...args], { cwd: dirname(file), env, encoding: 'utf8', timeout: 30_000 });
}

test("--version is package.json's version, baked in (no package.json beside the bundle)", () => {
  for (const file of [dev, packaged]) {
    const r = bosun(file, ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `bosun ${version}\n`);
  }
});

test('policy check validates against the embedded schemas', () => {
  const good = join(box.dir, 'good.json');
  const bad = join(box.dir, 'bad.json');
  writeFileSync(good, '{"allowedOrgs": ["MyCompany", "partner"]}');
  writeFileSync(bad, '{"allowedOrgs": 5}');
  for (const file of [dev, packaged]) {
    const ok = bosun(file, ['policy', 'check', good, '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual((JSON.parse(ok.stdout) as { valid: boolean; allowedOrgs: string[] }).allowedOrgs, ['mycompany', 'partner']);
    const no = bosun(file, ['policy', 'check', bad, '--json']);
    assert.equal(no.status, 1, no.stderr);
    const out = JSON.parse(no.stdout) as { valid: boolean; errors: { path: string; message: string }[] };
    assert.equal(out.valid, false);
    assert.deepEqual(
      out.errors.map((e) => e.path),
      ['/allowedOrgs'],
    );
    assert.match(out.errors[0]?.message ?? '', /^must be an array/, "the schema's own type error");
  }
});

test('status --json with no agent: the state from the policy alone; the installed command points at the app', () => {
  rmSync(join(box.policyRoot, 'usr'), { recursive: true, force: true });
  for (const file of [dev, packaged]) {
    const r = bosun(file, ['status', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { state: string; user: null; org: null; agentRunning: boolean; message: string };
    assert.deepEqual([out.user, out.org, out.agentRunning], [null, null, false]);
    if (file === packaged) {
      // The packaged build reads this machine's real policy locations, whatever they hold.
      assert.ok(['no-policy', 'signed-out', 'policy-error'].includes(out.state), out.state);
      assert.match(out.message, /Open Bosun from your applications/);
    } else {
      assert.equal(out.state, 'no-policy', 'the sandbox policy root is empty');
      assert.match(out.message, /Start it with `bosun agent`/);
    }
  }
});

test('packaged: BOSUN_POLICY_ROOT is ignored, and policy show says so', () => {
  const seamPolicy = join(box.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
  mkdirSync(dirname(seamPolicy), { recursive: true });
  writeFileSync(seamPolicy, '{"allowedOrgs": ["seamorg"]}');
  const d = bosun(dev, ['policy', 'show']);
  assert.match(d.stdout, /enforced: developers must sign in to seamorg/, 'the development build honours the seam (so the next check can fail)');
  const p = bosun(packaged, ['policy', 'show']);
  assert.match(p.stdout, new RegExp(`BOSUN_POLICY_ROOT=${box.policyRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is ignored: this is a packaged build`));
  assert.doesNotMatch(p.stdout, /seamorg/);
  assert.ok(!p.stdout.includes(seamPolicy), "the seam's file is not even looked at");
});

test('packaged: agent and server say they are not part of the workstation install, without loading native modules', () => {
  const agent = bosun(packaged, ['agent']);
  assert.equal(agent.status, 1);
  assert.match(agent.stderr, /^bosun agent is not part of the workstation install; the Bosun app runs the agent/);
  const server = bosun(packaged, ['server', 'start', '--data', join(box.dir, 'data')]);
  assert.equal(server.status, 1);
  assert.match(server.stderr, /^bosun server is not part of the workstation install; install the server on a server from npm or from source/);
  assert.ok(!existsSync(join(box.dir, 'data')), 'nothing was started');
});

test('doctor: without keytar, the keychain is reported as checked by the running agent', () => {
  const r = bosun(dev, ['doctor', '--json']);
  assert.equal(r.status, 1, 'no agent running is a problem');
  const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; detail: string }[] };
  const keychain = report.checks.find((c) => c.id === 'keychain');
  assert.deepEqual(keychain && { status: keychain.status, detail: keychain.detail }, {
    status: 'info',
    detail: 'checked by the running agent, and no agent is running (see Agent above).',
  });
});

test('the packaged command as a single executable runs with an empty environment', { skip: noSeaSupport }, () => {
  const out = join(box.dir, 'sea', process.platform === 'win32' ? 'bosun.exe' : 'bosun');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-helper-sea.mjs'), '--entry', packaged, '--out', out], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  const bare = (args: string[]) => spawnSync(out, args, { env: {}, cwd: tmpdir(), encoding: 'utf8', timeout: 10_000 });
  const v = bare(['--version']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout, `bosun ${version}\n`);
  const good = join(box.dir, 'sea-good.json');
  writeFileSync(good, '{"allowedOrgs": ["MyCompany", "partner"]}');
  const check = bare(['policy', 'check', good, '--json']);
  assert.equal(check.status, 0, check.stderr);
  assert.deepEqual((JSON.parse(check.stdout) as { allowedOrgs: string[] }).allowedOrgs, ['mycompany', 'partner']);
});
