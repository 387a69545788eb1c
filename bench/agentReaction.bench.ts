// Reaction time of the whole agent (BENCHMARKS.md, "Agent reaction and idle footprint"): from an
// MDM-style policy rename (temp file, rename) to the agent core publishing the new state, median
// and p95 (target ≤ 500 ms), next to the raw fs.watch notification for the same rename measured in
// the same run. The agent is the real composition root (startAgent) in this process, with its state
// under a sandbox.
import { watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeAdminFile } from '../test/helpers/agentStack.js';
import { makeSandbox } from '../test/helpers/sandbox.js';
import { MemoryIdentity } from '../test/helpers/memoryPorts.js';
import { median, p95 } from './stats.js';

const ROUNDS = 30;

const sb = makeSandbox('bosun-bench-');
Object.assign(process.env, sb.env);
const policy = join(sb.policyRoot, 'usr/share/docker-desktop/registry/registry.json');
const settings = join(sb.policyRoot, 'etc/bosun/settings.json');
const writeRenamed = (file: string, body: unknown) => writeAdminFile(file, JSON.stringify(body));
// The server is never reached here (port 9 is discard): reaction to the policy needs no network.
writeRenamed(settings, { server: 'http://127.0.0.1:9' });
writeRenamed(policy, { allowedOrgs: ['org0'] });

try {
  const raw: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(
      await new Promise<number>((res) => {
        const w = watch(dirname(policy), () => {
          w.close();
          res(performance.now() - t0);
        });
        const t0 = performance.now();
        writeRenamed(policy, { allowedOrgs: ['org0'], round: i });
      }),
    );
  }
  writeRenamed(policy, { allowedOrgs: ['org0'] });

  const { startAgent } = await import('../src/agent/runtime.js');
  const agent = await startAgent({ identity: new MemoryIdentity() });
  const reaction: number[] = [];
  try {
    for (let i = 1; i <= ROUNDS; i++) {
      const org = `org${i}`;
      reaction.push(
        await new Promise<number>((res) => {
          const off = agent.core.bus.on('state', (snap) => {
            if (snap.policy.allowedOrgs[0] !== org) return;
            off();
            res(performance.now() - t0);
          });
          const t0 = performance.now();
          writeRenamed(policy, { allowedOrgs: [org] });
        }),
      );
    }
  } finally {
    await agent.close();
  }
  const m = median(reaction);
  console.log(
    `policy rename → agent state: median ${m.toFixed(1)} ms, p95 ${p95(reaction).toFixed(1)} ms over ${ROUNDS} rounds (target ≤ 500 ms: ${p95(reaction) <= 500 ? 'met' : 'MISSED'})`,
  );
  console.log(`baseline raw fs.watch notification: median ${median(raw).toFixed(2)} ms`);
  console.log(`ratio to the 500 ms budget: ${(m / 500).toFixed(2)}; to the raw notification: ${(m / median(raw)).toFixed(0)}x`);
} finally {
  sb.cleanup();
}
