// The "Where the policy was looked for" table of the Organization permissions window, from the
// policy report the policy feed keeps (src/platform/workstationPolicy/policyFeed.ts). Pure mapping, plus the
// port over a feed.
import type { PolicyReport, SourceReport } from '../src/core/workstationPolicy/policyReport.js';
import type { PolicySourcesPort } from './handlers.js';
import type { PolicySourceView } from './ipcContract.js';

function verdict(s: SourceReport, winner: PolicyReport['winner']): string {
  const wins = winner?.kind === s.kind && winner.location === s.location;
  switch (s.status) {
    case 'absent':
      return 'Not present.';
    case 'skipped':
      return `Not consulted${s.note ? `: ${s.note}` : '.'}`;
    case 'invalid':
      return `Cannot be used: ${s.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}. Contact IT.`;
    case 'valid': {
      const orgs = `allows ${s.allowedOrgs.join(', ')}`;
      const guard = s.protection
        ? s.protection.secure
          ? 'only administrators can change it'
          : `non-admin users can change it (${s.protection.problems.map((p) => p.message).join('; ')})`
        : 'its protection could not be checked';
      return `${wins ? 'In force' : 'Present, overridden by a higher source'}: ${orgs}; ${guard}.`;
    }
  }
}

export function policySourceViews(report: PolicyReport): PolicySourceView[] {
  return report.sources.map((s) => ({
    location: `${s.label}: ${s.location}`,
    found: s.status === 'valid' || s.status === 'invalid',
    ...(s.protection ? { protected: s.protection.secure } : {}),
    verdict: verdict(s, report.winner),
  }));
}

export function policySourcesFromFeed(feed: { report(): PolicyReport }): PolicySourcesPort {
  return { sources: async () => policySourceViews(feed.report()) };
}
