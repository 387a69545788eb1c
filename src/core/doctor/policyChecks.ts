// `bosun doctor` checks for the admin policy and Bosun's settings, from the reports readPolicy() and
// readAdminSettings() produce. Pure: the doctor collector passes the reports in.
import type { DoctorCheck } from './doctorReport.js';
import type { Issue } from '../workstationPolicy/policyDocument.js';
import type { PolicyReport, RootInfo } from '../workstationPolicy/policyReport.js';
import type { ProtectionVerdict } from '../workstationPolicy/protectionRules.js';
import type { AdminSettings } from '../workstationPolicy/adminSettingsRules.js';

/** The parts of an admin settings report a check needs (src/platform/workstationPolicy/readAdminSettings.ts). */
export interface SettingsFacts {
  status: 'absent' | 'valid' | 'invalid';
  path: string;
  settings?: AdminSettings;
  errors: Issue[];
  protection?: ProtectionVerdict;
  root: RootInfo;
}

const issues = (list: readonly (Issue & { source?: string })[]) => list.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');

function protectionCheck(id: string, title: string, p: ProtectionVerdict | undefined): DoctorCheck[] {
  if (!p) return [];
  if (p.secure) return [{ id, title, status: 'ok', detail: `owned by root and not writable by other users (${p.checked.length} paths checked).` }];
  return [
    {
      id,
      title,
      status: 'fail',
      detail: `${p.problems.map((x) => x.message).join('; ')}. A user could change what Bosun enforces.`,
      fix: p.problems.map((x) => x.fix).join('; then '),
    },
  ];
}

export function policyDoctorChecks(report: PolicyReport, settings: SettingsFacts): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  if (report.state === 'enforced') {
    checks.push({
      id: 'policy',
      title: 'allowedOrgs policy',
      status: 'ok',
      detail: `sign-in to ${report.allowedOrgs.join(' or ')} is required (from ${report.winner?.location ?? '?'}).`,
    });
  } else if (report.state === 'no-policy') {
    checks.push({
      id: 'policy',
      title: 'allowedOrgs policy',
      status: 'info',
      detail: `no policy is deployed, so nothing is enforced (looked at ${report.sources.map((s) => s.location).join(', ')}).`,
    });
  } else {
    const errs = report.errors.filter((e) => e.source === report.winner?.location);
    checks.push({
      id: 'policy',
      title: 'allowedOrgs policy',
      status: 'fail',
      detail: `${report.winner?.location ?? 'the policy'} is invalid, so sign-in cannot be satisfied: ${issues(errs)}.`,
      fix: 'Contact IT: the policy file must be fixed or redeployed (`bosun policy check <file>` shows every problem).',
    });
  }
  checks.push(...protectionCheck('policy-protection', 'Policy file protection', report.protection));
  if (report.conflicts.length) {
    checks.push({ id: 'policy-conflicts', title: 'Policy sources agree', status: 'warn', detail: report.conflicts.join(' ') });
  }
  if (report.root.seam !== 'inactive') {
    checks.push({ id: 'policy-root', title: 'Policy location', status: report.root.seam === 'active' ? 'warn' : 'info', detail: report.root.note ?? '' });
  }
  if (settings.status === 'valid' && settings.settings) {
    checks.push({
      id: 'settings',
      title: 'Bosun settings',
      status: 'ok',
      detail: `server ${settings.settings.server}${settings.settings.hubMode ? ' (Docker Hub mode)' : ''} (from ${settings.path}).`,
    });
  } else if (settings.status === 'absent') {
    checks.push({
      id: 'settings',
      title: 'Bosun settings',
      status: report.state === 'enforced' ? 'fail' : 'info',
      detail: `${settings.path} does not exist, so Bosun does not know its server.`,
      fix: 'Contact IT: deploy settings.json with at least {"server": "<Bosun server URL>"}.',
    });
  } else {
    checks.push({
      id: 'settings',
      title: 'Bosun settings',
      status: 'fail',
      detail: `${settings.path} is invalid: ${issues(settings.errors)}.`,
      fix: 'Contact IT: fix or redeploy settings.json.',
    });
  }
  checks.push(...protectionCheck('settings-protection', 'Settings file protection', settings.protection));
  return checks;
}
