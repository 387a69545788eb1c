// What the tray and every window say about the agent, derived from the core's snapshot. Pure, so the
// words are unit-tested and the same everywhere.
import { publicStateName, type AgentSnapshot } from '../src/core/agent/agentState.js';
import { agentStatus, statusLine } from '../src/core/agent/agentStatus.js';
import type { StatusView } from './ipcContract.js';

/** The view of a snapshot; the headline is the same line `bosun status` prints (src/core/agent/agentStatus.ts). */
export function statusView(snapshot: AgentSnapshot): StatusView {
  const view = detailedView(snapshot);
  return { ...view, headline: statusLine(agentStatus(snapshot, [])) };
}

function detailedView(snapshot: AgentSnapshot): StatusView {
  const { state, policy } = snapshot;
  const base = { state: publicStateName(state), allowedOrgs: policy.allowedOrgs, enforced: policy.state === 'enforced', policyInsecure: policy.insecure };
  const orgs = policy.allowedOrgs.join(' or ');
  switch (state.name) {
    case 'signed-in':
      return { ...base, headline: `Signed in as ${state.session.user} · ${state.session.org}`, ...sessionFields(state.session) };
    case 'offline-grace':
      return {
        ...base,
        headline: `Signed in as ${state.session.user} · ${state.session.org} (offline)`,
        detail: `The server cannot be reached; you stay signed in until ${new Date(state.deadline).toLocaleString()}.`,
        graceEndsAt: new Date(state.deadline).toISOString(),
        ...sessionFields(state.session),
      };
    case 'signing-in':
      return { ...base, headline: 'Signing in…' };
    case 'signed-out':
      return {
        ...base,
        headline: 'Sign-in required by your organization',
        detail: state.reason ? `${state.reason} Sign in to ${orgs} to pull images.` : `Sign in to ${orgs} to pull images.`,
      };
    case 'policy-error':
      return { ...base, headline: 'Policy error: contact IT', detail: state.errors.join(' ') || 'Your organization’s Bosun policy cannot be read.' };
    case 'no-policy':
      return state.session
        ? {
            ...base,
            headline: `Signed in as ${state.session.user} · ${state.session.org}`,
            detail: 'No sign-in policy is deployed on this machine.',
            ...sessionFields(state.session),
          }
        : { ...base, headline: 'Not signed in', detail: 'No sign-in policy is deployed on this machine.' };
  }
}

function sessionFields(session: { user: string; org: string; server: string }): Pick<StatusView, 'user' | 'org' | 'server'> {
  return { user: session.user, org: session.org, server: session.server };
}
