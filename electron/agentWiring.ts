// THE SEAM between the Electron shell and the agent: the only file that knows which adapters the
// core runs on (admin settings and policy feed, keychain, Docker config, logs, agent socket, Bosun
// server account). main.ts calls `loadAdapters()` then `createAgent()`, and nothing else in electron/
// imports an adapter. Every step fails closed with a StartupError that main shows before quitting.
import { hostname } from 'node:os';
import { createLogger, type BosunLogger } from '../src/common/log.js';
import { BosunAccount } from '../src/agent/account/bosunAccount.js';
import { controlMethods } from '../src/agent/control/controlMethods.js';
import { DockerConfigManager } from '../src/agent/dockerConfig/manager.js';
import { createHelperHandler } from '../src/agent/helperHandler.js';
import { KeychainIdentityStore } from '../src/agent/keychain.js';
import { agentSocketPath, currentPathContext, helperHintsPath, logsDir } from '../src/agent/paths.js';
import { AgentAlreadyRunningError, AgentSocketServer } from '../src/agent/socket/server.js';
import { AgentCore, type AgentTimings } from '../src/agent/core.js';
import { dockerCliVersionCheck, helperOnPathCheck } from '../src/agent/doctor/environmentChecks.js';
import type { AccountPort, DockerConfigPort, IdentityPort, PolicyPort } from '../src/agent/ports.js';
import { readAdminSettings } from '../src/platform/policy/adminSettings.js';
import { openPolicyFeed } from '../src/platform/policy/policyFeed.js';
import type { DoctorCheck } from '../src/policy/doctorReport.js';
import { policyLogLine } from '../src/policy/policyReport.js';
import type { OrgSettingsPort, PolicySourcesPort } from './handlers.js';
import { HubOrgSettings } from './orgSettings.js';
import { policySourcesFromFeed } from './policySources.js';

export interface AgentAdapters {
  policy: PolicyPort;
  identity: IdentityPort;
  dockerConfig: DockerConfigPort;
  account: AccountPort;
  policySources: PolicySourcesPort;
  /** Origins the app may open in the browser: the Bosun server (device-flow page), docs. */
  externalOrigins: string[];
  /** The doctor's checks (helper on PATH, Docker CLI, and whatever the adapters add). */
  doctorChecks: () => Promise<DoctorCheck[]>;
  logsDir: string;
  logger: { info(message: string): void; warn(message: string): void };
  /** Tampering in Docker's config was repaired (for the notification). */
  onRepaired(listener: (registries: string[]) => void): () => void;
  timings?: Partial<AgentTimings>;
  /** Services that run on top of the core, e.g. the agent socket the credential helper calls; returns their stop function. */
  startServices: (core: AgentCore) => Promise<() => Promise<void>>;
}

/** A startup step failed: main shows the message in a dialog and quits (fail closed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The keychain, Docker config (watched, repaired), logs, and the agent socket for the credential helper and `bosun` commands. */
interface LocalAdapters {
  identity: IdentityPort;
  dockerConfig: DockerConfigPort;
  logsDir: string;
  logger: BosunLogger;
  /** Tampering repaired in Docker's config.json: the tray notifies. */
  onRepaired(listener: (registries: string[]) => void): () => void;
  startServices: (core: AgentCore) => Promise<() => Promise<void>>;
}
async function localAdapters(): Promise<LocalAdapters> {
  const ctx = currentPathContext();
  const logs = logsDir(ctx);
  const logger = createLogger({ dir: logs });
  const dockerConfig = new DockerConfigManager({ logger });
  await dockerConfig.watch();
  return {
    identity: new KeychainIdentityStore(),
    dockerConfig,
    logsDir: logs,
    logger,
    onRepaired: (listener) => dockerConfig.bus.on('repaired', (e) => listener(e.registries)),
    startServices: async (core) => {
      const socket = new AgentSocketServer(agentSocketPath(ctx));
      const helper = createHelperHandler(core, { logger, hintsPath: helperHintsPath(ctx) });
      helper.register(socket);
      const control = controlMethods(core);
      for (const [method, handler] of Object.entries(control.methods)) socket.register(method, handler);
      try {
        await socket.listen();
      } catch (err) {
        if (err instanceof AgentAlreadyRunningError) throw new StartupError('Another Bosun agent is already running for this user (`bosun agent`); stop it, then start the app.');
        throw err;
      }
      return async () => {
        control.dispose();
        helper.dispose();
        await socket.close();
        await dockerConfig.dispose();
        await logger.close();
      };
    },
  };
}

export async function loadAdapters(): Promise<AgentAdapters> {
  // Ordered like Rancher Desktop's startup: read the admin settings, validate, then start services.
  const settings = await readAdminSettings();
  if (settings.status !== 'valid' || !settings.settings) {
    const why = settings.status === 'absent' ? `there is no Bosun settings file at ${settings.path}` : settings.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    throw new StartupError(`Bosun's admin settings cannot be used: ${why}. Contact IT.`);
  }
  const { server, offlineGraceMinutes, recheckMinutes } = settings.settings;
  const local = await localAdapters();
  const policy = await openPolicyFeed();
  // One line admins can grep (style.md: "[Managed-by]"), now and whenever the policy changes.
  local.logger.info(policyLogLine(policy.report()));
  policy.subscribeReports((r) => local.logger.info(policyLogLine(r)));
  return {
    policy,
    identity: local.identity,
    dockerConfig: local.dockerConfig,
    account: new BosunAccount({ serverUrl: server, deviceId: hostname(), deviceName: `Bosun app on ${hostname()}` }),
    policySources: policySourcesFromFeed(policy),
    externalOrigins: [server],
    doctorChecks: async () => [helperOnPathCheck(), await dockerCliVersionCheck()],
    logsDir: local.logsDir,
    logger: local.logger,
    onRepaired: local.onRepaired,
    timings: { offlineGraceMs: offlineGraceMinutes * 60_000, recheckMs: recheckMinutes * 60_000 },
    startServices: local.startServices,
  };
}

export function createAgent(adapters: AgentAdapters): { core: AgentCore; orgSettings: OrgSettingsPort } {
  const { policy, identity, dockerConfig, account, timings } = adapters;
  return { core: new AgentCore({ policy, identity, dockerConfig, account, ...(timings ? { timings } : {}) }), orgSettings: new HubOrgSettings(identity) };
}
