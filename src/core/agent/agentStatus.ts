// What `bosun status`, the tray's status line and the control socket report about the agent: a
// projection of the state machine's snapshot into stable, documented fields (the `bosun status
// --json` contract) and the words a user reads. Pure.
import { sessionOf, type AgentSnapshot } from './agentState.js';

export type PublicState = 'no-policy' | 'signed-out' | 'signing-in' | 'signed-in' | 'offline-grace' | 'policy-error';

export interface AgentStatus {
  state: PublicState;
  user: string | null;
  org: string | null;
  server: string | null;
  allowedOrgs: string[];
  /** The policy file (or a parent) is writable by non-admins: shown alongside any state. */
  policyInsecure: boolean;
  /** Why the user is signed out, or what is wrong with the policy, in words. */
  reason: string | null;
  /** When offline grace ends (RFC 3339), only in offline-grace. */
  graceDeadline: string | null;
  policyErrors: string[];
  /** Registries whose credHelpers point at bosun. */
  registries: string[];
}

export function agentStatus(snapshot: AgentSnapshot, registries: readonly string[]): AgentStatus {
  const { state, policy } = snapshot;
  const session = sessionOf(state);
  return {
    state: state.name,
    user: session?.user ?? null,
    org: session?.org ?? null,
    server: session?.server ?? null,
    allowedOrgs: [...policy.allowedOrgs],
    policyInsecure: policy.insecure,
    reason: state.name === 'signed-out' ? (state.reason ?? null) : state.name === 'policy-error' ? state.errors.join(' ') || null : null,
    graceDeadline: state.name === 'offline-grace' ? new Date(state.deadline).toISOString() : null,
    policyErrors: [...policy.errors],
    registries: [...registries],
  };
}

/** One line, as the tray menu and the first line of `bosun status` show it. */
export function statusLine(status: AgentStatus): string {
  switch (status.state) {
    case 'signed-in':
      return `Signed in as ${status.user ?? '?'} · ${status.org ?? '?'}`;
    case 'offline-grace':
      return `Offline: signed in as ${status.user ?? '?'} · ${status.org ?? '?'} until ${status.graceDeadline ?? '?'}`;
    case 'signing-in':
      return 'Signing in…';
    case 'signed-out':
      return 'Sign-in required by your organization';
    case 'policy-error':
      return 'Policy error: contact IT';
    case 'no-policy':
      return status.user ? `No sign-in policy on this machine (signed in as ${status.user} · ${status.org ?? '?'})` : 'No sign-in policy on this machine';
  }
}

/** The full text of `bosun status` for a terminal. */
export function renderStatus(status: AgentStatus): string {
  const lines = [statusLine(status)];
  if (status.allowedOrgs.length) lines.push(`Allowed organizations: ${status.allowedOrgs.join(', ')}`);
  if (status.reason) lines.push(`Why: ${status.reason}`);
  if (status.state === 'signed-out') lines.push('To sign in: bosun login --username NAME --password-stdin (or use the tray).');
  if (status.registries.length) lines.push(`Registries using docker-credential-bosun: ${status.registries.join(', ')}`);
  if (status.policyInsecure) {
    lines.push('Warning: the policy file can be changed by non-admins, so it could be tampered with. Run `bosun policy show` and tell IT.');
  }
  return lines.join('\n');
}
