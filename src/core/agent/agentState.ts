// The agent's state machine (the states in README, "The agent"), as a pure reducer: (state, event)
// → (state, effects). The agent core performs the effects (keychain, Docker config, notifications)
// and feeds the results back as events; UIs only ever see the published state.

/** What the agent needs to know of the admin policy (a projection of the policy report). */
export interface PolicyView {
  state: 'no-policy' | 'enforced' | 'policy-error';
  allowedOrgs: string[];
  /** Admin-readable problems when state is policy-error. */
  errors: string[];
  /** The policy file or a parent is writable by non-admins: shown alongside whatever state applies. */
  insecure: boolean;
}

export interface Session {
  server: string;
  user: string;
  org: string;
}

export type AgentState =
  | { name: 'no-policy'; session?: Session }
  | {
      name: 'signed-out';
      allowedOrgs: string[];
      /** Why the user is signed out, in words (absent at first start). */
      reason?: string;
      /** An identity kept in the keychain that could not be verified (offline past the grace period). */
      dormant?: Session;
    }
  | { name: 'signing-in'; allowedOrgs: string[] }
  /**
   * `verifiedAt` absent: the session was restored from the keychain and the server has not yet
   * confirmed it (its user, its org, the membership); nothing is handed out until it has.
   */
  | { name: 'signed-in'; allowedOrgs: string[]; session: Session; verifiedAt?: number }
  | { name: 'offline-grace'; allowedOrgs: string[]; session: Session; since: number; deadline: number }
  | { name: 'policy-error'; errors: string[]; session?: Session };

export interface AgentSnapshot {
  state: AgentState;
  policy: PolicyView;
}

export type AgentEvent =
  | { type: 'policy'; policy: PolicyView }
  /** A stored identity was found in the keychain at start; it is verified by a later check. */
  | { type: 'restored'; session: Session }
  /** Starting a sign-in does not end a held session: it keeps being served until a new one has succeeded. */
  | { type: 'sign-in-started' }
  /** `replaces`: the session held when this sign-in started, which the new one takes over from. */
  | { type: 'sign-in-succeeded'; session: Session; now: number; replaces?: Session }
  | { type: 'sign-in-failed'; message: string }
  | { type: 'sign-out-requested' }
  /** The server confirmed the token and the membership of session.org. */
  | { type: 'check-passed'; now: number }
  /** The server answered: the session can no longer be used. */
  | { type: 'session-invalid'; why: SessionInvalidReason; message: string }
  | { type: 'server-unreachable'; now: number; graceMs: number }
  | { type: 'tick'; now: number };

/**
 * Why the server says a session can no longer be used. `session-mismatch`: the server's user or org for
 * the stored token differs from the keychain entry's label (a token planted under another label).
 */
export type SessionInvalidReason = 'membership-revoked' | 'token-revoked' | 'account-disabled' | 'session-mismatch';

export type AgentEffect =
  /**
   * Forget the session in the keychain. `revoke`: also end it on the server first, because the agent
   * stops using it for good (policy, membership, a mismatch), so no live token is left behind.
   */
  | { kind: 'erase-credentials'; session: Session; revoke: boolean }
  | { kind: 'notify'; topic: 'sign-in-required' | 'signed-out' | 'policy-changed' | 'offline-grace' | 'grace-ended'; message: string }
  | { kind: 'check-session' };

export interface Transition {
  snapshot: AgentSnapshot;
  effects: AgentEffect[];
}

export const NO_POLICY: PolicyView = { state: 'no-policy', allowedOrgs: [], errors: [], insecure: false };

export function initialSnapshot(): AgentSnapshot {
  return { state: { name: 'no-policy' }, policy: NO_POLICY };
}

/** The session an agent state holds, if any (the identity the credential helper may hand out). */
export function sessionOf(state: AgentState): Session | undefined {
  switch (state.name) {
    case 'signed-in':
    case 'offline-grace':
      return state.session;
    case 'no-policy':
      return state.session;
    default:
      return undefined;
  }
}

/**
 * Whether the credential helper may hand out the identity in this state. Fail closed otherwise: a
 * session restored from the keychain is handed out only once the server has confirmed it.
 */
export function mayUseCredentials(state: AgentState): boolean {
  if (state.name === 'signed-in') return state.verifiedAt !== undefined;
  return state.name === 'offline-grace' || (state.name === 'no-policy' && !!state.session);
}

/** A signed-in session restored from the keychain that the server has not confirmed yet. */
export function awaitingVerification(state: AgentState): boolean {
  return state.name === 'signed-in' && state.verifiedAt === undefined;
}

/** Every identity the agent still holds in the keychain, usable or not. */
function heldSession(state: AgentState): Session | undefined {
  if (state.name === 'signed-out') return state.dormant;
  if (state.name === 'policy-error') return state.session;
  return sessionOf(state);
}

function orgAllowed(policy: PolicyView, org: string): boolean {
  return policy.allowedOrgs.includes(org);
}

function signedOut(policy: PolicyView, reason?: string, dormant?: Session): AgentState {
  return {
    name: 'signed-out',
    allowedOrgs: policy.allowedOrgs,
    ...(reason ? { reason } : {}),
    ...(dormant ? { dormant } : {}),
  };
}

function signInRequired(policy: PolicyView): AgentEffect {
  return {
    kind: 'notify',
    topic: 'sign-in-required',
    message: `Your organization requires you to sign in to ${policy.allowedOrgs.join(' or ')} to pull images.`,
  };
}

/** Re-derives the state when the policy changes, keeping the session only where it is still allowed. */
function onPolicy(prev: AgentSnapshot, policy: PolicyView): Transition {
  const session = heldSession(prev.state);
  const effects: AgentEffect[] = [];
  if (policy.state === 'policy-error') {
    // Fail closed: nothing is handed out while the policy is unreadable, but the identity is kept,
    // because the error is IT's to fix and the user did nothing wrong.
    return {
      snapshot: { policy, state: { name: 'policy-error', errors: policy.errors, ...(session ? { session } : {}) } },
      effects: [{ kind: 'notify', topic: 'policy-changed', message: 'Your organization’s Bosun policy cannot be read; contact IT.' }],
    };
  }
  if (policy.state === 'no-policy') {
    if (prev.policy.state !== 'no-policy') {
      effects.push({ kind: 'notify', topic: 'policy-changed', message: 'Sign-in is no longer required on this machine.' });
    }
    return { snapshot: { policy, state: { name: 'no-policy', ...(session ? { session } : {}) } }, effects };
  }
  // Enforced.
  if (prev.policy.state === 'enforced' && sameOrgs(prev.policy, policy) && prev.state.name !== 'policy-error') {
    return { snapshot: { policy, state: withAllowedOrgs(prev.state, policy) }, effects: [] };
  }
  if (session && !orgAllowed(policy, session.org)) {
    effects.push({ kind: 'erase-credentials', session, revoke: true });
    effects.push({
      kind: 'notify',
      topic: 'signed-out',
      message: `You were signed out: your organization's policy no longer allows ${session.org}. Sign in to ${policy.allowedOrgs.join(' or ')}.`,
    });
    return {
      snapshot: { policy, state: signedOut(policy, `The policy no longer allows organization ${session.org}.`) },
      effects,
    };
  }
  if (prev.state.name === 'signing-in') {
    return { snapshot: { policy, state: { name: 'signing-in', allowedOrgs: policy.allowedOrgs } }, effects };
  }
  if (session) {
    if (prev.state.name === 'offline-grace') return { snapshot: { policy, state: withAllowedOrgs(prev.state, policy) }, effects };
    if (prev.state.name === 'signed-out') {
      return { snapshot: { policy, state: withAllowedOrgs(prev.state, policy) }, effects: [{ kind: 'check-session' }] };
    }
    // Re-verify membership whenever the policy changes (design: checks on start, timer, policy change).
    // A session the server already confirmed stays usable meanwhile; an unconfirmed one stays unusable.
    const verifiedAt = prev.state.name === 'signed-in' ? prev.state.verifiedAt : undefined;
    return {
      snapshot: { policy, state: { name: 'signed-in', allowedOrgs: policy.allowedOrgs, session, ...(verifiedAt === undefined ? {} : { verifiedAt }) } },
      effects: [{ kind: 'check-session' }],
    };
  }
  effects.push(signInRequired(policy));
  return { snapshot: { policy, state: signedOut(policy) }, effects };
}

function sameOrgs(a: PolicyView, b: PolicyView): boolean {
  return a.allowedOrgs.length === b.allowedOrgs.length && a.allowedOrgs.every((o, i) => o === b.allowedOrgs[i]);
}

function withAllowedOrgs(state: AgentState, policy: PolicyView): AgentState {
  return 'allowedOrgs' in state ? { ...state, allowedOrgs: policy.allowedOrgs } : state;
}

export function reduce(prev: AgentSnapshot, event: AgentEvent): Transition {
  const { state, policy } = prev;
  const stay: Transition = { snapshot: prev, effects: [] };
  switch (event.type) {
    case 'policy':
      return onPolicy(prev, event.policy);

    case 'restored': {
      if (policy.state === 'enforced' && !orgAllowed(policy, event.session.org)) {
        return {
          snapshot: { policy, state: signedOut(policy, `The stored sign-in is for ${event.session.org}, which the policy does not allow.`) },
          effects: [{ kind: 'erase-credentials', session: event.session, revoke: true }, signInRequired(policy)],
        };
      }
      if (policy.state === 'policy-error') {
        return { snapshot: { policy, state: { name: 'policy-error', errors: policy.errors, session: event.session } }, effects: [] };
      }
      if (policy.state === 'no-policy') {
        return { snapshot: { policy, state: { name: 'no-policy', session: event.session } }, effects: [{ kind: 'check-session' }] };
      }
      return {
        snapshot: { policy, state: { name: 'signed-in', allowedOrgs: policy.allowedOrgs, session: event.session } },
        effects: [{ kind: 'check-session' }],
      };
    }

    case 'sign-in-started':
      // A held session stays in use (and handed out) while the new sign-in runs: a wrong password
      // must not sign out a working session.
      if (sessionOf(state)) return stay;
      if (state.name === 'signed-out' || state.name === 'no-policy') {
        return { snapshot: { policy, state: { name: 'signing-in', allowedOrgs: policy.allowedOrgs } }, effects: [] };
      }
      return stay; // policy-error: sign-in cannot be satisfied until IT fixes the policy.

    case 'sign-in-succeeded': {
      const held = sessionOf(state);
      const replacing = !!held && !!event.replaces && sameSession(held, event.replaces);
      // Anything else is a late result (the user signed out meanwhile): ignored; the core revokes it.
      if (state.name !== 'signing-in' && !replacing) return stay;
      if (policy.state === 'enforced' && !orgAllowed(policy, event.session.org)) {
        // The new session is not accepted; the core revokes and forgets it. A held one stays as it was.
        if (replacing) return stay;
        return { snapshot: { policy, state: signedOut(policy, `${event.session.org} is not an allowed organization.`) }, effects: [] };
      }
      if (policy.state === 'no-policy') {
        return { snapshot: { policy, state: { name: 'no-policy', session: event.session } }, effects: [] };
      }
      return {
        snapshot: { policy, state: { name: 'signed-in', allowedOrgs: policy.allowedOrgs, session: event.session, verifiedAt: event.now } },
        effects: [],
      };
    }

    case 'sign-in-failed':
      if (state.name !== 'signing-in') return stay;
      if (policy.state === 'no-policy') return { snapshot: { policy, state: { name: 'no-policy' } }, effects: [] };
      return { snapshot: { policy, state: signedOut(policy, event.message) }, effects: [] };

    case 'sign-out-requested': {
      const session = heldSession(state);
      // The core's logout() has revoked the session on the server already (or could not: offline).
      const effects: AgentEffect[] = session ? [{ kind: 'erase-credentials', session, revoke: false }] : [];
      if (state.name === 'policy-error') return { snapshot: { policy, state: { name: 'policy-error', errors: state.errors } }, effects };
      if (policy.state === 'no-policy') return { snapshot: { policy, state: { name: 'no-policy' } }, effects };
      return { snapshot: { policy, state: signedOut(policy, 'You signed out.') }, effects };
    }

    case 'check-passed':
      if (state.name === 'signed-in') return { snapshot: { policy, state: { ...state, verifiedAt: event.now } }, effects: [] };
      if (state.name === 'offline-grace') {
        return {
          snapshot: { policy, state: { name: 'signed-in', allowedOrgs: state.allowedOrgs, session: state.session, verifiedAt: event.now } },
          effects: [],
        };
      }
      if (state.name === 'signed-out' && state.dormant) {
        return {
          snapshot: { policy, state: { name: 'signed-in', allowedOrgs: state.allowedOrgs, session: state.dormant, verifiedAt: event.now } },
          effects: [],
        };
      }
      return stay;

    case 'session-invalid': {
      const session = heldSession(state);
      if (!session) return stay;
      const effects: AgentEffect[] = [
        { kind: 'erase-credentials', session, revoke: true },
        { kind: 'notify', topic: 'signed-out', message: event.message },
      ];
      if (state.name === 'no-policy') return { snapshot: { policy, state: { name: 'no-policy' } }, effects };
      return { snapshot: { policy, state: signedOut(policy, event.message) }, effects };
    }

    case 'server-unreachable':
      if (awaitingVerification(state) && state.name === 'signed-in') {
        // Fail closed: the offline grace is for a session the server confirmed. One restored from the
        // keychain and never confirmed is kept, unused, and confirmed once the server answers.
        const reason = `Bosun cannot reach ${state.session.server} to confirm your stored sign-in as ${state.session.user} · ${state.session.org}; it keeps trying.`;
        return { snapshot: { policy, state: signedOut(policy, reason, state.session) }, effects: [] };
      }
      if (state.name === 'signed-in') {
        const deadline = event.now + event.graceMs;
        return {
          snapshot: { policy, state: { name: 'offline-grace', allowedOrgs: state.allowedOrgs, session: state.session, since: event.now, deadline } },
          effects: [
            {
              kind: 'notify',
              topic: 'offline-grace',
              message: `Bosun cannot reach ${state.session.server}; you stay signed in until ${new Date(deadline).toISOString()}.`,
            },
          ],
        };
      }
      return stay; // Already in grace: the deadline is not extended by repeated failures.

    case 'tick':
      if (state.name === 'offline-grace' && event.now >= state.deadline) {
        const reason = `Bosun could not reach ${state.session.server} within the offline grace period. Sign in again once you are online.`;
        return {
          snapshot: { policy, state: signedOut(policy, reason, state.session) },
          effects: [{ kind: 'notify', topic: 'grace-ended', message: reason }],
        };
      }
      return stay;
  }
}

/** The stable state names of `bosun status --json` (the external contract). */
export function publicStateName(state: AgentState): string {
  return state.name;
}

export function sameSession(a: Session, b: Session): boolean {
  return a.server === b.server && a.user === b.user && a.org === b.org;
}
