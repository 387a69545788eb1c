// The headless agent's composition root (`bosun agent`; the Electron shell wires the same parts):
// policy and settings feeds → AgentCore → keychain, Docker config, server account; the agent socket
// serves the credential helper and the `bosun login/logout/status` control methods. Ordered and fail
// closed: the socket is claimed first (one agent per user), and a policy that cannot be satisfied is
// a policy error, never "no policy".
import { bosunHome, agentSocketPath, helperHintsPath, logsDir } from './paths.js';
import { createLogger, type BosunLogger } from '../common/log.js';
import { effectivePolicyView } from '../core/workstationPolicy/effectivePolicy.js';
import { policyLogLine } from '../core/workstationPolicy/policyReport.js';
import type { PolicyView } from '../core/agent/agentState.js';
import { openAdminSettingsFeed, openPolicyFeed, type AdminSettingsFeed, type PolicyFeed } from '../platform/workstationPolicy/policyFeed.js';
import { SettingsAccount } from './account/settingsAccount.js';
import { controlMethods } from './control/controlMethods.js';
import { AgentCore, type AgentTimings } from './core.js';
import { loadDeviceIdentity } from './deviceIdentity.js';
import { DockerConfigManager } from './dockerConfig/manager.js';
import { createHelperHandler } from './helperHandler.js';
import { KeychainIdentityStore } from './keychain.js';
import type { IdentityPort, PolicyPort } from './ports.js';
import { AgentSocketServer } from './socket/server.js';

export interface AgentRuntimeOptions {
  /** Human-readable log lines on stderr too (the foreground `bosun agent`). */
  console?: boolean;
  /** Replaces the OS keychain (the Electron shell passes its own; tests use the real Secret Service). */
  identity?: IdentityPort;
  timings?: Partial<AgentTimings>;
}

export interface AgentRuntime {
  core: AgentCore;
  identity: IdentityPort;
  policy: PolicyFeed;
  settings: AdminSettingsFeed;
  dockerConfig: DockerConfigManager;
  logger: BosunLogger;
  socketPath: string;
  close(): Promise<void>;
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

export async function startAgent(opts: AgentRuntimeOptions = {}): Promise<AgentRuntime> {
  const logger = createLogger({ dir: logsDir(), console: opts.console });
  const socketPath = agentSocketPath();
  const socket = new AgentSocketServer(socketPath);
  // Claim the socket before anything else: a second agent for the same user stops here.
  await socket.listen().catch(async (err: unknown) => {
    await logger.close();
    throw err;
  });

  const settings = await openAdminSettingsFeed();
  const policy = await openPolicyFeed();
  const settingsNow = () => settings.current();
  const s0 = settingsNow().settings;
  const device = loadDeviceIdentity(bosunHome());
  const account = new SettingsAccount({
    settings: () => settingsNow().settings,
    missingSettings: () => `Bosun has no usable settings file at ${settingsNow().path}; IT must deploy it (see docs/it-deployment.md).`,
    ...device,
  });
  const dockerConfig = new DockerConfigManager({ logger });
  const identity = opts.identity ?? new KeychainIdentityStore();
  const core = new AgentCore({
    policy: enforcedPolicy(policy, settings),
    identity,
    dockerConfig,
    account,
    timings: {
      ...(s0 ? { offlineGraceMs: s0.offlineGraceMinutes * 60_000, recheckMs: s0.recheckMinutes * 60_000 } : {}),
      ...opts.timings,
    },
  });

  // Log lines admins can grep: where the managed policy came from, every state, every problem.
  logger.info(policyLogLine(policy.report()));
  const unsubscribeReports = policy.subscribeReports((r) => {
    logger.info(policyLogLine(r));
    logger.audit('policy-change', { state: r.state, allowedOrgs: r.allowedOrgs });
  });
  let previous = core.state.state;
  core.bus.on('state', (snap) => {
    const next = snap.state;
    logger.info(`state ${next.name}`, { state: next.name, ...('session' in next && next.session ? { user: next.session.user, org: next.session.org } : {}) });
    if (next.name === 'signed-in' && previous.name !== 'signed-in' && previous.name !== 'offline-grace') {
      logger.audit('sign-in', { user: next.session.user, org: next.session.org, server: next.session.server });
    }
    if ((previous.name === 'signed-in' || previous.name === 'offline-grace') && next.name === 'signed-out') {
      logger.audit('sign-out', { user: previous.session.user, org: previous.session.org, reason: next.reason ?? 'signed out' });
    }
    previous = next;
  });
  core.bus.on('notification', (n) => logger.info(`notification ${n.topic}: ${n.message}`));
  core.bus.on('problem', (p) => logger.warn(`${p.where}: ${p.message}`));
  core.bus.on('sign-in-prompt', (p) => logger.info(`a credential request for ${p.registry} needs sign-in`));

  const helper = createHelperHandler(core, { logger, hintsPath: helperHintsPath() });
  helper.register(socket);
  const control = controlMethods(core);
  for (const [method, handler] of Object.entries(control.methods)) socket.register(method, handler);

  await dockerConfig.watch();
  await core.start();
  logger.info(`agent ready on ${socketPath}`, { state: core.state.state.name });

  let closed = false;
  return {
    core, identity, policy, settings, dockerConfig, logger, socketPath,
    async close() {
      if (closed) return;
      closed = true;
      await socket.close();
      helper.dispose();
      control.dispose();
      unsubscribeReports();
      await core.dispose(); // closes the policy and settings feeds
      await dockerConfig.dispose();
      logger.info('agent stopped');
      await logger.close();
    },
  };
}
