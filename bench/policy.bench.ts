// Policy reading cost, as ratios against baselines measured in the same run:
// 1. readPolicy() (safe read + identity re-check, decoding, ajv, normalization, protection walk,
//    report) against a bare readFile + JSON.parse of the same registry.json;
// 2. the watcher's change → new report delay against the raw fs.watch notification delay.
import { watch } from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { policyLocations } from '../src/platform/workstationPolicy/locations.js';
import { openPolicyFeed } from '../src/platform/workstationPolicy/policyFeed.js';
import { readPolicy } from '../src/platform/workstationPolicy/readPolicy.js';
import { evaluateRegistryJson } from '../src/core/workstationPolicy/policyDocument.js';
import { median } from './stats.js';

const root = mkdtempSync(join(tmpdir(), 'bosun-bench-'));
const env = { BOSUN_POLICY_ROOT: root };
const file = policyLocations({ env }).registryJson;
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ allowedOrgs: Array.from({ length: 20 }, (_, i) => `org-${i}`) }));

async function perOp(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

try {
  const base = await perOp(2000, async () => JSON.parse(await readFile(file, 'utf8')));
  const full = await perOp(2000, () => readPolicy({ env }));
  console.log(
    `readPolicy: ${(full * 1000).toFixed(0)} µs/op; baseline readFile+JSON.parse ${(base * 1000).toFixed(0)} µs/op; ratio ${(full / base).toFixed(1)}x`,
  );
  const content = await readFile(file);
  const judge = await perOp(2000, async () => evaluateRegistryJson(content, file));
  console.log(
    `evaluateRegistryJson (decode, duplicate-key scan, ajv, names): ${(judge * 1000).toFixed(0)} µs/op; ratio ${(judge / base).toFixed(1)}x the baseline`,
  );

  const rawDelays: number[] = [];
  for (let i = 0; i < 20; i++) {
    rawDelays.push(
      await new Promise<number>((res) => {
        const w = watch(dirname(file), () => {
          w.close();
          res(performance.now() - t0);
        });
        const t0 = performance.now();
        writeFileSync(file, JSON.stringify({ allowedOrgs: [`raw-${i}`] }));
      }),
    );
  }
  const feed = await openPolicyFeed({ env, rereadMs: 600_000 });
  const feedDelays: number[] = [];
  for (let i = 0; i < 20; i++) {
    feedDelays.push(
      await new Promise<number>((res) => {
        const off = feed.subscribeReports((r) => {
          if (r.allowedOrgs[0] !== `feed-${i}`) return;
          off();
          res(performance.now() - t0);
        });
        const t0 = performance.now();
        writeFileSync(file, JSON.stringify({ allowedOrgs: [`feed-${i}`] }));
      }),
    );
  }
  await feed.close();
  const raw = median(rawDelays);
  const fed = median(feedDelays);
  console.log(
    `watcher change→report: median ${fed.toFixed(1)} ms (max ${Math.max(...feedDelays).toFixed(1)} ms); baseline raw fs.watch ${raw.toFixed(2)} ms; ratio ${(fed / raw).toFixed(0)}x; ${((fed / 500) * 100).toFixed(0)}% of the 500 ms budget (includes the 75 ms debounce)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
