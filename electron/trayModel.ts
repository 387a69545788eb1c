// The tray menu as data: a pure function of the agent's snapshot, keyed by item id, so the tray
// class only renders it and the unit tests read it directly.
import type { AgentSnapshot } from '../src/core/agent/agentState.js';
import { statusView } from './statusView.js';

export type TrayIconState = 'signed-in' | 'signed-out' | 'attention' | 'idle';

export type TrayItemId = 'status' | 'detail' | 'sign-in' | 'sign-out' | 'switch-org' | 'permissions' | 'diagnostics' | 'open-logs' | 'about' | 'quit';

export interface TrayItem {
  id: TrayItemId;
  label: string;
  enabled: boolean;
  /** A separator is drawn before this item. */
  separatorBefore?: boolean;
}

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  items: TrayItem[];
}

export function trayIconState(snapshot: AgentSnapshot): TrayIconState {
  const { state, policy } = snapshot;
  if (state.name === 'policy-error' || state.name === 'offline-grace' || policy.insecure) return 'attention';
  if (state.name === 'signed-in' || (state.name === 'no-policy' && state.session)) return 'signed-in';
  if (state.name === 'signed-out' || state.name === 'signing-in') return 'signed-out';
  return 'idle';
}

export function trayModel(snapshot: AgentSnapshot): TrayModel {
  const view = statusView(snapshot);
  const { state, policy } = snapshot;
  const hasSession = view.user !== undefined;
  const canSignIn = state.name !== 'policy-error' && state.name !== 'signing-in';
  const items: TrayItem[] = [{ id: 'status', label: view.headline, enabled: false }];
  if (policy.insecure) items.push({ id: 'detail', label: 'Warning: the policy files are not admin-only', enabled: false });
  else if (state.name === 'offline-grace' && view.graceEndsAt) {
    items.push({ id: 'detail', label: `Offline: signed in until ${new Date(view.graceEndsAt).toLocaleString()}`, enabled: false });
  }
  if (!hasSession) items.push({ id: 'sign-in', label: 'Sign in…', enabled: canSignIn, separatorBefore: true });
  else items.push({ id: 'sign-out', label: 'Sign out', enabled: true, separatorBefore: true });
  // Switching only makes sense when the policy allows several orgs (or none is enforced).
  if (hasSession && (policy.allowedOrgs.length > 1 || policy.state === 'no-policy')) {
    items.push({ id: 'switch-org', label: 'Switch organization…', enabled: canSignIn });
  }
  items.push(
    { id: 'permissions', label: 'Organization permissions', enabled: true, separatorBefore: true },
    { id: 'diagnostics', label: 'Diagnostics', enabled: true },
    { id: 'open-logs', label: 'Open logs', enabled: true },
    { id: 'about', label: 'About Bosun', enabled: true, separatorBefore: true },
    { id: 'quit', label: 'Quit Bosun', enabled: true },
  );
  return { icon: trayIconState(snapshot), tooltip: `Bosun — ${view.headline}`, items };
}
