// The policy report: every source looked at, the one that won by Docker Desktop's precedence,
// conflicts between sources, protection, and the resulting state. Pure: the adapters in
// src/platform/workstationPolicy gather each source's findings; this file combines them.
import type { PolicyView } from '../agent/agentState.js';
import type { Issue, SourceFindings } from './policyDocument.js';
import type { ProtectionVerdict } from './protectionRules.js';

/** Docker Desktop's precedence, highest first (README, "The allowedOrgs policy"). */
export const SOURCE_PRECEDENCE = ['windows-registry', 'macos-profile', 'macos-desktop-plist', 'registry-json'] as const;
export type PolicySourceKind = (typeof SOURCE_PRECEDENCE)[number];

export const SOURCE_LABELS: Record<PolicySourceKind, string> = {
  'windows-registry': 'Windows policy registry value',
  'macos-profile': 'macOS configuration profile (com.docker.config)',
  'macos-desktop-plist': 'macOS desktop.plist',
  'registry-json': 'registry.json',
};

export interface SourceReport {
  kind: PolicySourceKind;
  label: string;
  /** A file path, or a registry key and value. */
  location: string;
  /** absent: looked at, not there. skipped: not consulted here (note says why). */
  status: 'absent' | 'valid' | 'invalid' | 'skipped';
  allowedOrgs: string[];
  errors: Issue[];
  warnings: Issue[];
  protection?: ProtectionVerdict;
  note?: string;
}

/** An issue with the source it came from, for reports that list them all together. */
export interface SourcedIssue extends Issue {
  source: string;
}

export interface RootInfo {
  /** The directory standing in for "/" (or C:\ on Windows). */
  path: string;
  /** inactive: no seam asked for. active: BOSUN_POLICY_ROOT used (development build). ignored: asked for in a packaged build. */
  seam: 'inactive' | 'active' | 'ignored';
  note?: string;
}

export interface PolicyReport {
  state: PolicyView['state'];
  allowedOrgs: string[];
  /** The source that decides, if any is present. */
  winner?: { kind: PolicySourceKind; location: string };
  sources: SourceReport[];
  /** Present sources whose organizations differ from the winner's. */
  conflicts: string[];
  errors: SourcedIssue[];
  warnings: SourcedIssue[];
  /** Protection of the winning source (absent when nothing won). */
  protection?: ProtectionVerdict;
  root: RootInfo;
  readAt: string;
}

export function sourceReport(
  kind: PolicySourceKind,
  location: string,
  findings: SourceFindings | undefined,
  extra: { protection?: ProtectionVerdict; note?: string; skipped?: boolean } = {},
): SourceReport {
  const status: SourceReport['status'] = extra.skipped ? 'skipped' : !findings ? 'absent' : findings.errors.length ? 'invalid' : 'valid';
  return {
    kind,
    label: SOURCE_LABELS[kind],
    location,
    status,
    allowedOrgs: findings?.allowedOrgs ?? [],
    errors: findings?.errors ?? [],
    warnings: findings?.warnings ?? [],
    ...(extra.protection ? { protection: extra.protection } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/**
 * Combines the sources: the highest-precedence *present* source wins, valid or not. An invalid
 * winner fails closed (policy-error); it never falls through to a lower source, because that would
 * let a broken top-level policy be replaced by an older or weaker one.
 */
export function combineSources(sources: readonly SourceReport[], root: RootInfo, now: Date): PolicyReport {
  const ordered = [...sources].sort((a, b) => SOURCE_PRECEDENCE.indexOf(a.kind) - SOURCE_PRECEDENCE.indexOf(b.kind));
  const present = ordered.filter((s) => s.status === 'valid' || s.status === 'invalid');
  const winner = present[0];
  const errors: SourcedIssue[] = [];
  const warnings: SourcedIssue[] = [];
  for (const s of ordered) {
    for (const e of s.errors) errors.push({ source: s.location, ...e });
    for (const w of s.warnings) warnings.push({ source: s.location, ...w });
  }
  const conflicts: string[] = [];
  if (winner?.status === 'valid') {
    for (const other of present.slice(1)) {
      if (other.status === 'valid' && !sameSet(other.allowedOrgs, winner.allowedOrgs)) {
        conflicts.push(
          `${other.label} (${other.location}) allows [${other.allowedOrgs.join(', ')}] but ${winner.label} (${winner.location}) ` +
            `allows [${winner.allowedOrgs.join(', ')}]; ${winner.label} wins. Make them agree or remove the one you no longer deploy.`,
        );
      } else if (other.status === 'invalid') {
        conflicts.push(`${other.label} (${other.location}) is also present but invalid; ${winner.label} wins. Fix or remove it.`);
      }
    }
  }
  for (const c of conflicts) warnings.push({ source: 'precedence', path: '', message: c });
  if (root.seam !== 'inactive' && root.note) warnings.push({ source: 'BOSUN_POLICY_ROOT', path: '', message: root.note });
  const protection = winner ? combinedProtection(winner, ordered.slice(0, ordered.indexOf(winner))) : undefined;
  if (protection) for (const p of protection.problems) warnings.push({ source: p.path, path: '', message: `${p.message}; ${p.fix}` });
  const base = { sources: ordered, conflicts, errors, warnings, root, readAt: now.toISOString(), ...(protection ? { protection } : {}) };
  if (!winner) return { state: 'no-policy', allowedOrgs: [], ...base };
  const win = { kind: winner.kind, location: winner.location };
  if (winner.status === 'invalid') return { state: 'policy-error', allowedOrgs: [], winner: win, ...base };
  return { state: 'enforced', allowedOrgs: winner.allowedOrgs, winner: win, ...base };
}

/**
 * The winner's protection, plus that of every absent source that would outrank it: if a user can
 * create a higher-precedence source (say, desktop.plist beside an admin's registry.json), they can
 * override the policy without touching the protected file.
 */
function combinedProtection(winner: SourceReport, above: readonly SourceReport[]): ProtectionVerdict | undefined {
  const shadows = above.filter((s) => s.status === 'absent' && s.protection);
  if (!winner.protection && shadows.length === 0) return undefined;
  const checked = [...(winner.protection?.checked ?? [])];
  const problems = [...(winner.protection?.problems ?? [])];
  for (const s of shadows) {
    for (const c of s.protection?.checked ?? []) if (!checked.includes(c)) checked.push(c);
    for (const p of s.protection?.problems ?? []) {
      if (problems.some((q) => q.path === p.path)) continue;
      problems.push({ ...p, message: `${p.message}: a user could create ${s.location}, which would override ${winner.label}` });
    }
  }
  return { secure: problems.length === 0, checked, problems };
}

/** The agent's view of a report: errors as sentences naming their source, and the protection flag. */
export function toPolicyView(report: PolicyReport): PolicyView {
  const winnerLocation = report.winner?.location;
  const errors =
    report.state === 'policy-error'
      ? report.errors
          .filter((e) => e.source === winnerLocation)
          .map((e) => `${e.source}${e.path ? ` ${e.path}` : ''}: ${e.message}. Contact IT to fix the Bosun policy.`)
      : [];
  return {
    state: report.state,
    allowedOrgs: report.allowedOrgs,
    errors,
    insecure: report.protection ? !report.protection.secure : false,
  };
}

/**
 * One line for the agent's log when a policy is loaded or changes, in a form admins can grep
 * (`[Managed-by]`, as Podman Desktop does): the state, where it came from, and what needs fixing.
 */
export function policyLogLine(report: PolicyReport): string {
  const from = report.winner ? ` from ${report.winner.location}` : '';
  const seam = report.root.seam === 'active' ? ` [${report.root.note ?? 'BOSUN_POLICY_ROOT active'}]` : '';
  const unprotected =
    report.protection && !report.protection.secure ? `; NOT PROTECTED: ${report.protection.problems.map((p) => `${p.message} (${p.fix})`).join('; ')}` : '';
  const conflicts = report.conflicts.length ? `; ${report.conflicts.length} conflicting source(s)` : '';
  switch (report.state) {
    case 'no-policy':
      return `[Managed-by]: no allowedOrgs policy (looked at ${report.sources.map((s) => s.location).join(', ')})${seam}`;
    case 'enforced':
      return `[Managed-by]: allowedOrgs=${report.allowedOrgs.join(',')}${from}${unprotected}${conflicts}${seam}`;
    case 'policy-error': {
      const errs = report.errors.filter((e) => e.source === report.winner?.location);
      return `[Managed-by]: POLICY ERROR${from}, failing closed: ${errs.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ')}${unprotected}${seam}`;
    }
  }
}
