// `bosun doctor`'s collectors: each gathers one fact about this workstation and turns it into a
// DoctorCheck that says what it found, what it means and what to do. The report model is pure
// (src/core/doctor/doctorReport.ts); everything here is I/O, each with a timeout so doctor always answers.
import type { DoctorCheck } from '../../core/doctor/doctorReport.js';
import type { AgentStatus } from '../../core/agent/agentStatus.js';
import { statusLine } from '../../core/agent/agentStatus.js';
import { agentCheck } from '../../core/doctor/agentCheck.js';
import { readPolicy } from '../../platform/workstationPolicy/readPolicy.js';
import { readAdminSettings, type AdminSettingsReport } from '../../platform/workstationPolicy/readAdminSettings.js';
import { policyDoctorChecks } from '../../core/doctor/policyChecks.js';
import { dockerConfigPath, dockerConfigWriteMethod, notBosunsToChange } from '../dockerConfig/configFile.js';
import { DockerConfigManager } from '../dockerConfig/manager.js';
import { KeychainIdentityStore, KeychainUnavailableError } from '../keychain.js';
import { agentSocketPath } from '../paths.js';
import { AgentUnavailableError, callAgent } from '../socket/client.js';
import { dockerCliVersionCheck, helperOnPathCheck } from './environmentChecks.js';
import { anonymousPullCheck } from './serverSettingsCheck.js';
import { isPackagedBuild } from '../../common/buildFlavor.js';

export async function serverCheck(report: AdminSettingsReport, timeoutMs = 5000): Promise<DoctorCheck | undefined> {
  const s = report.settings;
  if (!s) return undefined;
  const url = s.hubMode ? new URL('/v2/', 'https://hub.docker.com').toString() : new URL('/.well-known/bosun', s.server).toString();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (res.status >= 500)
      return {
        id: 'server',
        title: 'Server',
        status: 'fail',
        detail: `${s.server} answered ${res.status}.`,
        fix: 'The server has a problem; tell IT. Signed-in users keep working during the offline grace period.',
      };
    return { id: 'server', title: 'Server', status: 'ok', detail: `${s.server} is reachable.` };
  } catch (err) {
    const why = err instanceof Error ? ((err.cause as { code?: string } | undefined)?.code ?? err.message) : String(err);
    return {
      id: 'server',
      title: 'Server',
      status: 'fail',
      detail: `cannot reach ${s.server} (${why}).`,
      fix: 'Check your network or VPN. Signed-in users keep working during the offline grace period.',
    };
  }
}

/** The running agent's status over its socket, or undefined when no agent answers. */
export async function agentStatusFromSocket(): Promise<AgentStatus | undefined> {
  try {
    return await callAgent<AgentStatus>(agentSocketPath(), 'agent.status', {}, { timeoutMs: 5000 });
  } catch (err) {
    if (!(err instanceof AgentUnavailableError)) throw err;
    return undefined;
  }
}

/** The Agent check of this product's build (src/core/doctor/agentCheck.ts). */
export function agentDoctorCheck(status: AgentStatus | undefined): DoctorCheck {
  return agentCheck(status, {
    notRunningFix: isPackagedBuild ? 'Open Bosun from your applications; it runs the agent.' : 'Open Bosun from your applications, or run `bosun agent`.',
  });
}

/**
 * The keychain, probed by this process. Where keytar cannot load (the installed `bosun` is a single
 * executable without native modules) the agent is the one using the keychain: its state says
 * whether a session was read from it, so that is what is reported.
 */
export async function keychainCheck(agent?: AgentStatus, timeoutMs = 5000): Promise<DoctorCheck> {
  const probe = new KeychainIdentityStore().load().then(
    (identity) => ({ ok: true as const, identity }),
    (err: unknown) => ({ ok: false as const, unavailable: err instanceof KeychainUnavailableError, message: err instanceof Error ? err.message : String(err) }),
  );
  const timeout = new Promise<{ ok: false; unavailable: false; message: string }>((resolve) =>
    setTimeout(() => resolve({ ok: false, unavailable: false, message: `no answer within ${timeoutMs} ms` }), timeoutMs).unref(),
  );
  const r = await Promise.race([probe, timeout]);
  if (!r.ok && r.unavailable) return keychainCheckedByAgent(agent);
  if (!r.ok)
    return {
      id: 'keychain',
      title: 'OS keychain',
      status: 'fail',
      detail: `the keychain cannot be used: ${r.message}.`,
      fix: 'Unlock your login keychain (on Linux: a Secret Service such as gnome-keyring must be running).',
    };
  return {
    id: 'keychain',
    title: 'OS keychain',
    status: 'ok',
    detail: r.identity
      ? `holds the session of ${r.identity.session.user} · ${r.identity.session.org} (the secret is not shown).`
      : 'reachable; no Bosun session is stored.',
  };
}

/** The keychain check where this process cannot load keytar: what the running agent holds. */
export function keychainCheckedByAgent(agent: AgentStatus | undefined): DoctorCheck {
  const title = 'OS keychain';
  const id = 'keychain';
  if (!agent) return { id, title, status: 'info', detail: 'checked by the running agent, and no agent is running (see Agent above).' };
  if (agent.user) {
    return { id, title, status: 'ok', detail: `checked by the running agent: it holds the session of ${agent.user} · ${agent.org ?? '?'} in the keychain.` };
  }
  return {
    id,
    title,
    status: 'info',
    detail: `checked by the running agent, which holds no session (${statusLine(agent)}).`,
    fix: 'Sign in from the tray or with `bosun login`; if sign-in fails with a keychain error, unlock your login keychain.',
  };
}

export function dockerConfigCheck(registries: string[] | undefined): DoctorCheck {
  const inspection = new DockerConfigManager().inspect(registries);
  if (inspection.state === 'malformed') {
    return {
      id: 'docker-config',
      title: 'Docker config',
      status: 'fail',
      detail: `${inspection.path} is not valid JSON (${inspection.message}); Bosun leaves it alone.`,
      fix: `Fix or remove ${inspection.path}; the agent then adds its entries again.`,
    };
  }
  if (inspection.state === 'not-managed') {
    return { id: 'docker-config', title: 'Docker config', status: 'info', detail: `${inspection.path}: the agent's registries are unknown (is it running?).` };
  }
  if (inspection.state === 'ok') {
    return {
      id: 'docker-config',
      title: 'Docker config',
      status: 'ok',
      detail: `${inspection.path} sends ${registries?.join(', ') || 'no registries'} to docker-credential-bosun.`,
    };
  }
  if (inspection.staticCredentials.length) {
    const why = notBosunsToChange(inspection.path);
    const keys = inspection.staticCredentials.join(', ');
    return {
      id: 'docker-config',
      title: 'Docker config',
      status: why ? 'fail' : 'warn',
      detail:
        `${inspection.path} holds static credentials for a Bosun registry in "auths" (${keys}); docker sends them instead of asking Bosun.` +
        (why ? ` Bosun does not remove them: ${why}.` : ' The running agent removes them (keeping a backup).'),
      fix: why ? `Remove ${keys} from "auths" in ${inspection.path}.` : 'If this persists, restart Bosun.',
    };
  }
  const parts = [
    inspection.missing.length ? `missing for ${inspection.missing.join(', ')}` : '',
    inspection.changed.length ? `pointing elsewhere for ${inspection.changed.map((c) => c.registry).join(', ')}` : '',
  ].filter(Boolean);
  return {
    id: 'docker-config',
    title: 'Docker config',
    status: 'warn',
    detail: `${inspection.path}: Bosun's entries are ${parts.join('; ')}.`,
    fix: 'The running agent restores them within a second; if this persists, restart Bosun.',
  };
}

/** Whether a `docker login` writing config.json at the same instant as Bosun can lose its write. */
export function dockerConfigWritesCheck(): DoctorCheck {
  const path = dockerConfigPath();
  const { method, why } = dockerConfigWriteMethod(path);
  if (method === 'exchange') {
    return {
      id: 'docker-config-writes',
      title: 'Docker config writes',
      status: 'ok',
      detail: `Bosun replaces ${path} with an atomic exchange: a write another program makes at the same instant is put back or merged, never lost.`,
    };
  }
  return {
    id: 'docker-config-writes',
    title: 'Docker config writes',
    status: 'info',
    detail: `Bosun replaces ${path} with a checked rename (${why}): a write by another program that lands in the same microseconds can be overwritten. Bosun's own entries are restored by the agent; the other program's change would need redoing.`,
  };
}

/**
 * Every check, in the order a reader follows: policy, settings, server, agent, keychain, Docker.
 * `agent` is where the agent's status comes from: `bosun doctor` asks the socket; the app, which is the
 * agent, passes its own core's (electron/agentWiring.ts).
 */
export async function collectDoctorChecks(agent: () => Promise<AgentStatus | undefined> = agentStatusFromSocket): Promise<DoctorCheck[]> {
  const { before, status, after } = await collectAround(agent);
  return [...before, agentDoctorCheck(status), ...after];
}

/** Every check but the agent's, for a caller that shows the agent's own line first (the Diagnostics window). */
export async function collectChecksBesideAgent(agent: () => Promise<AgentStatus | undefined>): Promise<DoctorCheck[]> {
  const { before, after } = await collectAround(agent);
  return [...before, ...after];
}

async function collectAround(
  agent: () => Promise<AgentStatus | undefined>,
): Promise<{ before: DoctorCheck[]; status: AgentStatus | undefined; after: DoctorCheck[] }> {
  const [policy, settings, status] = await Promise.all([readPolicy(), readAdminSettings(), agent()]);
  const [server, anonymousPull] = await Promise.all([serverCheck(settings), anonymousPullCheck(settings)]);
  const [keychain, docker] = await Promise.all([keychainCheck(status), dockerCliVersionCheck()]);
  return {
    before: [...policyDoctorChecks(policy, settings), ...(server ? [server] : []), ...(anonymousPull ? [anonymousPull] : [])],
    status,
    after: [keychain, dockerConfigCheck(status?.registries), dockerConfigWritesCheck(), helperOnPathCheck(), docker],
  };
}
