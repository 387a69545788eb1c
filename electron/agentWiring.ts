// THE SEAM between the Electron shell and the agent: the only file that knows which adapters the
// core runs on. main.ts calls `loadAdapters()` then `createAgent()`, and nothing else in electron/
// imports an adapter. Every step fails closed with a StartupError that main shows before quitting.
import { hostname } from 'node:os';
import { BosunAccount } from '../src/agent/account/bosunAccount.js';
import { AgentCore, type AgentTimings } from '../src/agent/core.js';
import { dockerCliVersionCheck, helperOnPathCheck } from '../src/agent/doctor/environmentChecks.js';
import type { AccountPort, DockerConfigPort, IdentityPort, PolicyPort } from '../src/agent/ports.js';
import { readAdminSettings } from '../src/platform/policy/adminSettings.js';
import { openPolicyFeed } from '../src/platform/policy/policyFeed.js';
import type { DoctorCheck } from '../src/policy/doctorReport.js';
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
  timings?: Partial<AgentTimings>;
  /** Services that run on top of the core, e.g. the agent socket the credential helper calls; returns their stop function. */
  startServices?: (core: AgentCore) => Promise<() => Promise<void>>;
}

/** A startup step failed: main shows the message in a dialog and quits (fail closed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The keychain, Docker-config and socket adapters (branch agentparts). Plug them in here. */
interface LocalAdapters {
  identity: IdentityPort;
  dockerConfig: DockerConfigPort;
  logsDir: string;
  startServices?: (core: AgentCore) => Promise<() => Promise<void>>;
}
async function localAdapters(): Promise<LocalAdapters> {
  // When agentparts is merged, replace this throw with, for example:
  //   return { identity: new KeychainIdentity(), dockerConfig: new DockerConfigManager(), logsDir: logDirectory(),
  //            startServices: (core) => startAgentSocket(core) };
  throw new StartupError('This build of Bosun has no keychain or Docker-config adapters wired in (electron/agentWiring.ts), so it cannot enforce the policy and will not start.');
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
  return {
    policy,
    identity: local.identity,
    dockerConfig: local.dockerConfig,
    account: new BosunAccount({ serverUrl: server, deviceId: hostname(), deviceName: `Bosun app on ${hostname()}` }),
    policySources: policySourcesFromFeed(policy),
    externalOrigins: [server],
    doctorChecks: async () => [helperOnPathCheck(), await dockerCliVersionCheck()],
    logsDir: local.logsDir,
    timings: { offlineGraceMs: offlineGraceMinutes * 60_000, recheckMs: recheckMinutes * 60_000 },
    ...(local.startServices ? { startServices: local.startServices } : {}),
  };
}

export function createAgent(adapters: AgentAdapters): { core: AgentCore; orgSettings: OrgSettingsPort } {
  const { policy, identity, dockerConfig, account, timings } = adapters;
  return { core: new AgentCore({ policy, identity, dockerConfig, account, ...(timings ? { timings } : {}) }), orgSettings: new HubOrgSettings(identity) };
}
