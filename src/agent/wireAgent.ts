// How the agent's parts fit together, the same for every process that runs an agent: `bosun agent`
// (runtime.ts), the app (electron/agentWiring.ts) and the tests. The parts that differ between them
// come in as ports; this file adds the rest. An enforced policy whose settings cannot be satisfied is
// a policy error, never "no policy" (fail closed; docs/it-deployment.md).
import type { AuditEvent, LogFields } from '../common/log.js';
import type { PolicyView } from '../core/agent/agentState.js';
import { effectivePolicyView } from '../core/workstationPolicy/effectivePolicy.js';
import { policyLogLine } from '../core/workstationPolicy/policyReport.js';
import type { AdminSettingsFeed, PolicyFeed } from '../platform/workstationPolicy/policyFeed.js';
import { controlMethods } from './control/controlMethods.js';
import { AgentCore, type AgentTimings } from './core.js';
import { createHelperHandler } from './helperHandler.js';
import type { AccountPort, DockerConfigPort, IdentityPort, PolicyPort } from './ports.js';
import { auditSessions } from './sessionAudit.js';
import type { AgentSocketServer } from './socket/server.js';

export interface AgentLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  audit(event: AuditEvent, fields?: LogFields): void;
}

/** The parts that differ between the app, `bosun agent` and the tests. */
export interface AgentParts {
  /** allowedOrgs, from the admin policy sources. */
  policy: PolicyFeed;
  /** Bosun's own settings.json (server, registries, timings). */
  settings: AdminSettingsFeed;
  identity: IdentityPort;
  account: AccountPort;
  dockerConfig: DockerConfigPort;
  logger: AgentLogger;
  /** Where the credential helper's hints are kept (paths.ts `helperHintsPath()`); omitted: not written. */
  hintsPath?: string;
  /** Overrides the settings' timings. */
  timings?: Partial<AgentTimings>;
}

export interface WiredAgent {
  core: AgentCore;
  /** Answers the credential helper and the `bosun login/logout/status` control methods on the agent socket. */
  serve(socket: AgentSocketServer): void;
  /** Starts the core; then the helper's hints name the registries it discovered. */
  start(): Promise<void>;
  /** Disposes the core, which closes the policy and settings feeds, and removes every listener. */
  dispose(): Promise<void>;
}

/** The policy port the core sees: allowedOrgs combined with whether the settings can satisfy it. */
function enforcedPolicy(policy: PolicyFeed, settings: AdminSettingsFeed): PolicyPort {
  const view = (): PolicyView => effectivePolicyView(policy.current(), settings.current());
  return {
    current: view,
    subscribe(listener) {
      let last = JSON.stringify(view());
      const emit = () => {
        const v = view();
        const key = JSON.stringify(v);
        if (key === last) return;
        last = key;
        listener(v);
      };
      const a = policy.subscribe(emit);
      const b = settings.subscribe(emit);
      return () => {
        a();
        b();
      };
    },
    close: async () => {
      await policy.close();
      await settings.close();
    },
  };
}

/** Wires the core and its listeners; the caller starts it once its socket is served. */
export function wireAgent(parts: AgentParts): WiredAgent {
  const { policy, settings, logger } = parts;
  const s0 = settings.current().settings;
  const core = new AgentCore({
    policy: enforcedPolicy(policy, settings),
    identity: parts.identity,
    dockerConfig: parts.dockerConfig,
    account: parts.account,
    timings: {
      ...(s0 ? { offlineGraceMs: s0.offlineGraceMinutes * 60_000, recheckMs: s0.recheckMinutes * 60_000 } : {}),
      ...parts.timings,
    },
  });

  // Log lines admins can grep: where the managed policy came from, every state, every problem.
  logger.info(policyLogLine(policy.report()));
  const unsubscribeReports = policy.subscribeReports((r) => {
    logger.info(policyLogLine(r));
    logger.audit('policy-change', { state: r.state, allowedOrgs: r.allowedOrgs });
  });
  const unsubscribes = [
    core.bus.on('state', (snap) => {
      const next = snap.state;
      logger.info(`state ${next.name}`, { state: next.name, ...('session' in next && next.session ? { user: next.session.user, org: next.session.org } : {}) });
    }),
    core.bus.on('notification', (n) => logger.info(`notification ${n.topic}: ${n.message}`)),
    core.bus.on('problem', (p) => logger.warn(`${p.where}: ${p.message}`)),
    core.bus.on('sign-in-prompt', (p) => logger.info(`a credential request for ${p.registry} needs sign-in`)),
  ];
  const sessionAudit = auditSessions(core, logger);
  const helper = createHelperHandler(core, { logger, hintsPath: parts.hintsPath, sessionAudit });
  const control = controlMethods(core);

  return {
    core,
    serve(socket) {
      helper.register(socket);
      for (const [method, handler] of Object.entries(control.methods)) socket.register(method, handler);
    },
    async start() {
      await core.start();
      helper.refreshHints();
    },
    async dispose() {
      helper.dispose();
      control.dispose();
      unsubscribeReports();
      // The log and audit listeners hear the core's last states while it settles.
      await core.dispose(); // closes the policy and settings feeds
      sessionAudit.dispose();
      for (const off of unsubscribes) off();
    },
  };
}
