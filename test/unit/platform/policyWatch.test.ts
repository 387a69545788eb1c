// The watcher against real file operations: create, change in place, atomic replace by rename
// (how MDM tools write), delete, and a directory created later. Each must produce a new report
// within 500 ms. The periodic re-read is set to a minute so only the watcher can pass these.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { policyLocations } from '../../../src/platform/workstationPolicy/locations.js';
import { openAdminSettingsFeed, openPolicyFeed, type PolicyFeed } from '../../../src/platform/workstationPolicy/policyFeed.js';
import type { PolicyReport } from '../../../src/core/workstationPolicy/policyReport.js';
import type { PolicyView } from '../../../src/core/agent/agentState.js';

const LIMIT_MS = 500;
let sb: Sandbox;
let file: string;
let feed: PolicyFeed;
const views: PolicyView[] = [];

before(async () => {
  sb = makeSandbox();
  file = policyLocations({ env: sb.env }).registryJson;
  feed = await openPolicyFeed({ env: sb.env, rereadMs: 60_000 });
  feed.subscribe((v) => views.push(v));
});
after(async () => {
  await feed.close();
  sb.cleanup();
});

/** Runs `act` and waits for the first report matching `want`; returns it with the delay. */
function reportAfter(
  act: () => void,
  want: (r: PolicyReport) => boolean,
  f: { subscribeReports: PolicyFeed['subscribeReports'] } = feed,
): Promise<{ report: PolicyReport; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const timeout = setTimeout(() => {
      off();
      reject(new Error(`no matching report within 3 s`));
    }, 3000);
    const off = f.subscribeReports((report) => {
      if (!want(report)) return;
      clearTimeout(timeout);
      off();
      resolve({ report, ms: performance.now() - t0 });
    });
    act();
  });
}

test('starts with no policy when the directory does not exist yet', () => {
  assert.equal(feed.report().state, 'no-policy');
  assert.equal(feed.current().state, 'no-policy');
});

test('create (directory and file created later) → enforced within 500 ms', async () => {
  const { report, ms } = await reportAfter(
    () => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '{"allowedOrgs": ["first"]}');
    },
    (r) => r.state === 'enforced',
  );
  assert.deepEqual(report.allowedOrgs, ['first']);
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('change in place → new orgs within 500 ms', async () => {
  const { ms } = await reportAfter(
    () => writeFileSync(file, '{"allowedOrgs": ["second"]}'),
    (r) => r.allowedOrgs[0] === 'second',
  );
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('atomic replace by rename → new orgs within 500 ms', async () => {
  const { ms } = await reportAfter(
    () => {
      writeFileSync(`${file}.tmp-mdm`, '{"allowedOrgs": ["third", "fourth"]}');
      renameSync(`${file}.tmp-mdm`, file);
    },
    (r) => r.allowedOrgs.join() === 'third,fourth',
  );
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('replace by an invalid file → policy error within 500 ms (fail closed)', async () => {
  const { report, ms } = await reportAfter(
    () => {
      writeFileSync(`${file}.new`, '{"allowedOrgs": []}');
      renameSync(`${file}.new`, file);
    },
    (r) => r.state === 'policy-error',
  );
  assert.match(report.errors[0]?.message ?? '', /at least 1 entry/);
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('delete → no policy within 500 ms', async () => {
  writeFileSync(file, '{"allowedOrgs": ["back"]}');
  await reportAfter(
    () => undefined,
    (r) => r.state === 'enforced',
  );
  const { ms } = await reportAfter(
    () => unlinkSync(file),
    (r) => r.state === 'no-policy',
  );
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('the directory removed and recreated → still watched', async () => {
  rmSync(dirname(file), { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, 150));
  const { ms } = await reportAfter(
    () => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '{"allowedOrgs": ["again"]}');
    },
    (r) => r.allowedOrgs[0] === 'again',
  );
  assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
});

test('a burst of writes is debounced into few reports, and the last write wins', async () => {
  const before = views.length;
  const { report } = await reportAfter(
    () => {
      for (let i = 0; i < 20; i++) writeFileSync(file, `{"allowedOrgs": ["burst${i}"]}`);
    },
    (r) => r.allowedOrgs[0] === 'burst19',
  );
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(report.allowedOrgs[0], 'burst19');
  assert.equal(feed.current().allowedOrgs[0], 'burst19');
  assert.ok(views.length - before <= 3, `${views.length - before} views for one burst`);
});

test('PolicyPort: subscribers got one view per change, and an unsubscribed listener gets nothing', async () => {
  const states = views.map((v) => v.state);
  assert.deepEqual(states.slice(0, 5), ['enforced', 'enforced', 'enforced', 'policy-error', 'enforced']);
  let calls = 0;
  const off = feed.subscribe(() => calls++);
  off();
  await reportAfter(
    () => writeFileSync(file, '{"allowedOrgs": ["quiet"]}'),
    (r) => r.allowedOrgs[0] === 'quiet',
  );
  assert.equal(calls, 0);
});

test('the periodic re-read catches what the watcher does not report (chmod)', async () => {
  const periodic = await openPolicyFeed({ env: sb.env, rereadMs: 150 });
  try {
    const { report } = await reportAfter(
      () => chmodSync(file, 0o666),
      (r) => r.protection?.secure === false,
      periodic,
    );
    assert.match(report.protection?.problems[0]?.message ?? '', /writable by every user/);
    assert.equal(periodic.current().insecure, true);
  } finally {
    chmodSync(file, 0o644);
    await periodic.close();
  }
});

test('the admin settings feed sees settings.json appear within 500 ms', async () => {
  const path = policyLocations({ env: sb.env }).adminSettings;
  const settings = await openAdminSettingsFeed({ env: sb.env, rereadMs: 60_000 });
  try {
    assert.equal(settings.current().status, 'absent');
    const t0 = performance.now();
    const got = new Promise<number>((resolve) => settings.subscribe((r) => r.status === 'valid' && resolve(performance.now() - t0)));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{"server": "http://127.0.0.1:8080"}');
    const ms = await got;
    assert.equal(settings.current().settings?.server, 'http://127.0.0.1:8080');
    assert.ok(ms < LIMIT_MS, `took ${ms.toFixed(0)} ms`);
  } finally {
    await settings.close();
  }
});
