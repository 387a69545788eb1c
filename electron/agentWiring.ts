// THE SEAM between the Electron shell and the agent. The app runs exactly the agent `bosun agent`
// runs (startAgent() in src/agent/runtime.ts, wired by src/agent/wireAgent.ts like the tests' agents:
// policy and settings feeds, keychain, watched Docker config, logs, the agent socket for the credential
// helper and `bosun login/status`, the server account in Bosun or Docker Hub mode); this file only adds
// what the windows need on top.
import { AgentAlreadyRunningError } from '../src/agent/socket/server.js';
import type { AgentCore } from '../src/agent/core.js';
import { logsDir } from '../src/agent/paths.js';
import { startAgent } from '../src/agent/runtime.js';
import { agentStatus } from '../src/core/agent/agentStatus.js';
import type { DoctorCheck } from '../src/core/doctor/doctorReport.js';
import type { OrgSettingsPort, PolicySourcesPort } from './handlers.js';
import { HubOrgSettings } from './orgSettings.js';
import { policySourcesFromFeed } from './policySources.js';

export interface AppAgent {
  core: AgentCore;
  orgSettings: OrgSettingsPort;
  policySources: PolicySourcesPort;
  /** Origins the app may open in the browser: the Bosun server (device-flow page). */
  externalOrigins: string[];
  /** Every `bosun doctor` check but the agent's, for the Diagnostics window (which takes that one from the core). */
  doctorChecks: () => Promise<DoctorCheck[]>;
  logsDir: string;
  logger: { info(message: string): void; warn(message: string): void };
  /** Tampering in Docker's config was repaired (for the notification). */
  onRepaired(listener: (registries: string[]) => void): () => void;
  /** Static credentials for a Bosun registry in Docker's config: removed, or left because the file is not Bosun's to change. */
  onStaticCredentials(listener: (event: { path: string; keys: string[]; removed: boolean; why?: string }) => void): () => void;
  stop(): Promise<void>;
}

/** A startup step failed: main shows the message in a dialog and quits (fail closed). */
export class StartupError extends Error {
  override name = 'StartupError';
}

export async function startAppAgent(): Promise<AppAgent> {
  let runtime: Awaited<ReturnType<typeof startAgent>>;
  try {
    runtime = await startAgent();
  } catch (err) {
    if (err instanceof AgentAlreadyRunningError)
      throw new StartupError('Another Bosun agent is already running for this user (`bosun agent`); stop it, then start the app.');
    throw err;
  }
  const server = runtime.settings.current().settings?.server;
  return {
    core: runtime.core,
    orgSettings: new HubOrgSettings(runtime.identity),
    policySources: policySourcesFromFeed(runtime.policy),
    externalOrigins: server ? [new URL(server).origin] : [],
    // This process is the agent: the checks read its core, not its socket (one Agent line).
    doctorChecks: async () =>
      (await import('../src/agent/doctor/collectChecks.js')).collectChecksBesideAgent(async () =>
        agentStatus(runtime.core.state, runtime.core.managedRegistries()),
      ),
    logsDir: logsDir(),
    logger: runtime.logger,
    onRepaired: (listener) => runtime.dockerConfig.bus.on('repaired', (e) => listener(e.registries)),
    onStaticCredentials: (listener) => runtime.dockerConfig.bus.on('static-credentials', listener),
    stop: () => runtime.close(),
  };
}
