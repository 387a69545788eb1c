// `bosun policy show [--json]`: the effective policy on this machine, every source looked at, the
// winner, protection, errors and warnings, and Bosun's own admin settings.
// Exit 0: the policy and settings are usable (enforced or no policy) and protected.
// Exit 1: the policy fails closed (policy error) or settings.json is invalid.
// Exit 3: usable, but a policy or settings file can be changed by non-admins.
// Exit 2: usage error.
import { toPolicyView, type PolicyReport } from '../../../core/workstationPolicy/policyReport.js';
import type { ProtectionVerdict } from '../../../core/workstationPolicy/protectionRules.js';
import { readAdminSettings, type AdminSettingsReport } from '../../../platform/workstationPolicy/readAdminSettings.js';
import { readPolicy } from '../../../platform/workstationPolicy/readPolicy.js';
import { issueLines, parseFlags } from './format.js';

const USAGE = 'Usage: bosun policy show [--json]\n  Exit 0 usable and protected, 1 policy error or invalid settings, 3 writable by non-admins, 2 usage error.';

const STATUS_MARK = { valid: '✔', invalid: '✘', absent: '·', skipped: '-' } as const;

function protectionLines(p: ProtectionVerdict | undefined, indent: string): string[] {
  if (!p) return [];
  if (p.secure) return [`${indent}protection: ok (owned by root, not writable by others: ${p.checked.length} paths checked)`];
  return [`${indent}protection: NOT PROTECTED`, ...p.problems.map((x) => `${indent}  ${x.message}; ${x.fix}`)];
}

function render(report: PolicyReport, settings: AdminSettingsReport): string {
  const lines: string[] = [];
  const state =
    report.state === 'enforced'
      ? `enforced: developers must sign in to ${report.allowedOrgs.join(' or ')}`
      : report.state === 'no-policy'
        ? 'no policy: no allowedOrgs source is present, nothing is enforced'
        : 'POLICY ERROR: the policy is present but invalid, so sign-in cannot be satisfied (fail closed) until it is fixed';
  lines.push(`Policy: ${state}`);
  if (report.winner) lines.push(`Decided by: ${report.winner.location}`);
  if (report.root.seam !== 'inactive') lines.push(`Note: ${report.root.note ?? ''}`);
  lines.push('', 'Sources looked at (highest precedence first):');
  for (const s of report.sources) {
    const detail = s.status === 'valid' ? `valid: ${s.allowedOrgs.join(', ')}` : s.status;
    lines.push(`  ${STATUS_MARK[s.status]} ${s.label}: ${s.location}`, `      ${detail}${s.note ? ` (${s.note})` : ''}`);
  }
  lines.push('', ...protectionLines(report.protection, '').map((l) => l.replace(/^protection/, 'Protection')));
  if (report.conflicts.length) lines.push('', 'Conflicts:', ...report.conflicts.map((c) => `  ${c}`));
  lines.push('', report.errors.length ? 'Errors:' : 'Errors: none', ...issueLines('error', report.errors));
  // Conflicts, the seam note and protection problems are shown in their own sections above.
  const shownAbove = (w: (typeof report.warnings)[number]) =>
    w.source === 'precedence' || w.source === 'BOSUN_POLICY_ROOT' || !!report.protection?.problems.some((p) => p.path === w.source);
  const warnings = report.warnings.filter((w) => !shownAbove(w));
  lines.push(warnings.length ? 'Warnings:' : 'Warnings: none', ...issueLines('warning', warnings));
  lines.push('', `Bosun settings: ${settings.path}`);
  if (settings.status === 'absent') lines.push('  absent: the agent has no server configured; deploy settings.json (see README, "policy")');
  if (settings.status === 'invalid') lines.push('  INVALID: the agent cannot use its server until this is fixed');
  if (settings.settings) {
    const s = settings.settings;
    lines.push(`  server: ${s.server}${s.hubMode ? ' (Docker Hub mode)' : ''}`);
    lines.push(
      `  registries: ${s.registries ? s.registries.map((r) => r.host + (r.service ? ` (service ${r.service})` : '')).join(', ') : 'discovered from the server'}`,
    );
    lines.push(`  offline grace: ${s.offlineGraceMinutes} min, re-check every ${s.recheckMinutes} min`);
  }
  lines.push(
    ...protectionLines(settings.protection, '  '),
    ...issueLines('error', settings.errors),
    ...issueLines(
      'warning',
      settings.warnings.filter((w) => !settings.protection?.problems.some((p) => w.message.startsWith(p.message))),
    ),
  );
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.unknown.length || flags.positional.length) {
    console.error(`bosun policy show: unexpected ${[...flags.unknown, ...flags.positional].join(' ')}\n${USAGE}`);
    return 2;
  }
  const [report, settings] = await Promise.all([readPolicy(), readAdminSettings()]);
  if (flags.json) console.log(JSON.stringify({ policy: report, view: toPolicyView(report), settings }, null, 2));
  else console.log(render(report, settings));
  if (report.state === 'policy-error' || settings.status === 'invalid') return 1;
  const insecure = (report.protection && !report.protection.secure) || (settings.protection && !settings.protection.secure);
  return insecure ? 3 : 0;
}
