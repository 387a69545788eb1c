// `bosun doctor`'s report: a list of checks, each saying what it found, what that means, and what to
// do. Pure: collectors gather the facts elsewhere; this file only orders, summarizes and renders.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one or two sentences. */
  detail: string;
  /** What to do about it; absent when nothing needs doing. */
  fix?: string;
}

export interface DoctorReport {
  generatedAt: string;
  summary: { ok: number; warn: number; fail: number; info: number };
  healthy: boolean;
  checks: DoctorCheck[];
}

export function buildDoctorReport(checks: DoctorCheck[], now: Date): DoctorReport {
  const summary = { ok: 0, warn: 0, fail: 0, info: 0 };
  for (const c of checks) summary[c.status]++;
  return { generatedAt: now.toISOString(), summary, healthy: summary.fail === 0, checks };
}

const MARK: Record<CheckStatus, string> = { ok: '✔', warn: '!', fail: '✘', info: 'i' };

/** Plain text for a terminal and for "copy for IT": no colours, stable order, one check per block. */
export function renderDoctorReport(report: DoctorReport): string {
  const lines = [`Bosun doctor — ${report.generatedAt}`, ''];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.title}: ${c.detail}`);
    if (c.fix) lines.push(`    → ${c.fix}`);
  }
  const s = report.summary;
  lines.push('', `${s.ok} ok, ${s.warn} warning${s.warn === 1 ? '' : 's'}, ${s.fail} problem${s.fail === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

/**
 * What a Docker CLI version means for enforcement:
 * CLI ≤ 28 ignores credential-helper errors on pull and pulls anonymously, so the user sees the
 * registry's denial instead of the helper's explanation. Enforcement still holds at the token service.
 */
export function dockerCliCheck(versionOutput: string | undefined): DoctorCheck {
  if (versionOutput === undefined) {
    return { id: 'docker-cli', title: 'Docker CLI', status: 'info', detail: 'no docker command on PATH; nothing to configure for it.' };
  }
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!m) return { id: 'docker-cli', title: 'Docker CLI', status: 'warn', detail: `could not read the version from "${versionOutput.trim().slice(0, 80)}".` };
  const major = Number(m[1]);
  const version = `${m[1]}.${m[2]}.${m[3]}`;
  if (major <= 28) {
    return {
      id: 'docker-cli',
      title: 'Docker CLI',
      status: 'info',
      detail: `${version}: when you are signed out it pulls anonymously instead of stopping, so the registry's denial (which names the rule) is what you see.`,
      fix: 'Nothing to do; Docker CLI 29 or later shows Bosun’s sign-in message directly.',
    };
  }
  return { id: 'docker-cli', title: 'Docker CLI', status: 'ok', detail: `${version}: stops with Bosun's message when sign-in is needed.` };
}
