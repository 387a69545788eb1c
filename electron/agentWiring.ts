// THE SEAM between the Electron shell and the agent: the only file that knows which adapters the
// core runs on. main.ts calls `loadAdapters()` then `createAgent()`, and nothing else in electron/
// imports an adapter. To plug in the real ones, fill `loadAdapters()` below (one import per port).
import { AgentCore } from '../src/agent/core.js';
import type { AccountPort, DockerConfigPort, IdentityPort, PolicyPort } from '../src/agent/ports.js';
import type { DoctorCheck } from '../src/policy/doctorReport.js';
import type { OrgSettingsPort, PolicySourcesPort } from './handlers.js';
import { HubOrgSettings } from './orgSettings.js';

export interface AgentAdapters {
  policy: PolicyPort;
  identity: IdentityPort;
  dockerConfig: DockerConfigPort;
  account: AccountPort;
  policySources: PolicySourcesPort;
  /** Origins the app may open in the browser: the Bosun server (device-flow page), docs. */
  externalOrigins: string[];
  /** Extra doctor checks the adapters know about (policy files, keychain, Docker config). */
  doctorChecks: () => Promise<DoctorCheck[]>;
  logsDir: string;
  /** Services that run on top of the core, e.g. the agent socket the credential helper calls; returns their stop function. */
  startServices?: (core: AgentCore) => Promise<() => Promise<void>>;
}

/** A startup step failed: main shows the message in a dialog and quits (fail closed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Builds the adapters from the admin settings. Until the adapters are merged the app refuses to start
 * rather than run without enforcement (fail closed). The lead replaces the throw with:
 *
 *   const settings = await readAdminSettings();                    // src/policy + src/platform (policy helper)
 *   const policy = await startPolicyWatcher();                     // PolicyPort: admin sources, chokidar + timer
 *   const identity = new KeychainIdentity();                       // IdentityPort: keytar (agentparts)
 *   const dockerConfig = new DockerConfigManager();                // DockerConfigPort: credHelpers (agentparts)
 *   const account = new BosunAccount({ serverUrl: settings.serverUrl, deviceId, deviceName }); // src/agent/account
 *   const startServices = (core) => startAgentSocket(core);       // the helper's socket (agentparts)
 *   return { policy, identity, dockerConfig, account, policySources, externalOrigins: [settings.serverUrl], doctorChecks, logsDir, startServices };
 */
export async function loadAdapters(): Promise<AgentAdapters> {
  throw new StartupError('This build of Bosun has no agent adapters wired in (electron/agentWiring.ts), so it cannot enforce the policy and will not start.');
}

export function createAgent(adapters: AgentAdapters): { core: AgentCore; orgSettings: OrgSettingsPort } {
  const { policy, identity, dockerConfig, account } = adapters;
  return { core: new AgentCore({ policy, identity, dockerConfig, account }), orgSettings: new HubOrgSettings(identity) };
}
