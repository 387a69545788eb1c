// Idle footprint of the headless agent (`bosun agent`, the built bin) with a policy enforced and a
// Secret Service running: resident memory and CPU over an idle minute's sample, next to an idle
// `node` process (a timer and nothing else) measured the same way in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAdminFile } from '../test/helpers/agentStack.js';
import { binPath } from '../test/helpers/cli.js';
import { stopChild } from '../test/helpers/real/process.js';
import { makeSandbox } from '../test/helpers/sandbox.js';
import { startSecretService } from '../test/helpers/secretService.js';

const SETTLE_MS = 3000;
const SAMPLE_MS = Number(process.env.BENCH_IDLE_SECONDS ?? 20) * 1000;
const TICKS = 100; // USER_HZ on Linux

function sample(pid: number): { rssKiB: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // /proc/PID/stat: fields after the ")" — utime and stime are the 12th and 13th of them.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKiB, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function measure(child: ChildProcess): Promise<{ rssMiB: number; cpuPercent: number }> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const a = sample(child.pid!);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const b = sample(child.pid!);
  const seconds = (Date.now() - t0) / 1000;
  return { rssMiB: b.rssKiB / 1024, cpuPercent: ((b.cpuTicks - a.cpuTicks) / TICKS / seconds) * 100 };
}

const sb = makeSandbox('bosun-bench-');
const secrets = await startSecretService(join(sb.dir, 'dbus'), sb.env);
try {
  const writeAdmin = (file: string, body: unknown) => writeAdminFile(file, JSON.stringify(body));
  writeAdmin(join(sb.policyRoot, 'usr/share/docker-desktop/registry/registry.json'), { allowedOrgs: ['mycompany'] });
  writeAdmin(join(sb.policyRoot, 'etc/bosun/settings.json'), { server: 'http://127.0.0.1:9' });

  const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  const base = await measure(baseline);
  await stopChild(baseline);

  const agent = spawn(process.execPath, [binPath('bosun'), 'agent'], { env: { ...sb.env, ...secrets.env }, stdio: 'ignore' });
  const idle = await measure(agent);
  await stopChild(agent);

  console.log(`idle bosun agent: RSS ${idle.rssMiB.toFixed(1)} MiB, CPU ${idle.cpuPercent.toFixed(2)}% of one core over ${SAMPLE_MS / 1000} s`);
  console.log(`baseline idle node: RSS ${base.rssMiB.toFixed(1)} MiB, CPU ${base.cpuPercent.toFixed(2)}%`);
  console.log(`ratio RSS: ${(idle.rssMiB / base.rssMiB).toFixed(2)}x; CPU difference: ${(idle.cpuPercent - base.cpuPercent).toFixed(2)} percentage points`);
} finally {
  await secrets.stop();
  sb.cleanup();
}
