// The agent's composition root (`bosun agent`, and the Electron shell through electron/agentWiring.ts):
// the real parts (policy and settings feeds, keychain, Docker config, server account, logs) handed to
// wireAgent(), whose core the agent socket serves to the credential helper and the
// `bosun login/logout/status` control methods. Ordered and fail closed: the socket is claimed first
// (one agent per user), and a policy that cannot be satisfied is a policy error, never "no policy".
import { bosunHome, agentSocketPath, helperHintsPath, logsDir } from './paths.js';
import { createLogger, type BosunLogger } from '../common/log.js';
import { openAdminSettingsFeed, openPolicyFeed, type AdminSettingsFeed, type PolicyFeed } from '../platform/workstationPolicy/policyFeed.js';
import { SettingsAccount } from './account/settingsAccount.js';
import type { AgentCore, AgentTimings } from './core.js';
import { loadDeviceIdentity } from './deviceIdentity.js';
import { DockerConfigManager } from './dockerConfig/manager.js';
import { KeychainIdentityStore } from './keychain.js';
import type { IdentityPort } from './ports.js';
import { AgentSocketServer } from './socket/server.js';
import { wireAgent } from './wireAgent.js';

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
  const device = loadDeviceIdentity(bosunHome());
  const account = new SettingsAccount({
    settings: () => settingsNow().settings,
    missingSettings: () => `Bosun has no usable settings file at ${settingsNow().path}; IT must deploy it (see docs/it-deployment.md).`,
    ...device,
  });
  const dockerConfig = new DockerConfigManager({ logger });
  const identity = opts.identity ?? new KeychainIdentityStore();
  const agent = wireAgent({ policy, settings, identity, account, dockerConfig, logger, hintsPath: helperHintsPath(), timings: opts.timings });
  const { core } = agent;
  agent.serve(socket);

  await dockerConfig.watch();
  await agent.start();
  logger.info(`agent ready on ${socketPath}`, { state: core.state.state.name });

  let closed = false;
  return {
    core,
    identity,
    policy,
    settings,
    dockerConfig,
    logger,
    socketPath,
    async close() {
      if (closed) return;
      closed = true;
      await socket.close();
      await agent.dispose(); // closes the policy and settings feeds
      await dockerConfig.dispose();
      logger.info('agent stopped');
      await logger.close();
    },
  };
}
