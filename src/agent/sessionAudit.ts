// The one writer of the `sign-in` and `sign-out` audit lines: every change of session the core
// publishes, whatever started it. A caller that knows how a change came (`docker login` through the
// credential helper) says so around its action, and the line carries that as `via`.
import type { AuditEvent, LogFields } from '../common/log.js';
import type { AgentCore } from './core.js';

/** How a session change came, when it did not come from the app or `bosun login/logout`. */
export interface SessionChangeOrigin {
  via: string;
  registry: string;
}

export interface SessionAudit {
  /** Runs `action`; a sign-in or sign-out it causes is audited with `origin`. */
  during<T>(origin: SessionChangeOrigin, action: () => Promise<T>): Promise<T>;
  dispose(): void;
}

export function auditSessions(core: AgentCore, logger: { audit(event: AuditEvent, fields?: LogFields): void }): SessionAudit {
  let origin: SessionChangeOrigin | undefined;
  let previous = core.state.state;
  const unsubscribe = core.bus.on('state', (snap) => {
    const next = snap.state;
    const how = origin ? { via: origin.via, registry: origin.registry } : {};
    if (next.name === 'signed-in' && previous.name !== 'signed-in' && previous.name !== 'offline-grace') {
      logger.audit('sign-in', { user: next.session.user, org: next.session.org, server: next.session.server, ...how });
    }
    if ((previous.name === 'signed-in' || previous.name === 'offline-grace') && next.name === 'signed-out') {
      logger.audit('sign-out', { user: previous.session.user, org: previous.session.org, reason: next.reason ?? 'signed out', ...how });
    }
    previous = next;
  });
  return {
    async during(o, action) {
      origin = o;
      try {
        return await action();
      } finally {
        origin = undefined;
      }
    },
    dispose: unsubscribe,
  };
}
