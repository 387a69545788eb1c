// The Agent line of every doctor report, `bosun doctor`'s and the app's Diagnostics window's: one
// classification of the agent's status, whoever read it (the CLI over the agent socket, the app from
// its own core). Pure.
import { statusLine, type AgentStatus } from '../agent/agentStatus.js';
import type { DoctorCheck } from './doctorReport.js';

const BASE = { id: 'agent', title: 'Agent' };

export interface AgentCheckOptions {
  /** What to do when no agent answers: the installed product has no `bosun agent` to suggest. */
  notRunningFix: string;
}

/** `status` is the running agent's, or undefined when no agent answers. */
export function agentCheck(status: AgentStatus | undefined, opts: AgentCheckOptions): DoctorCheck {
  if (status) return runningAgentCheck(status);
  return {
    ...BASE,
    status: 'fail',
    detail: 'the Bosun agent is not running, so docker gets no credentials for your organization’s registries.',
    fix: opts.notRunningFix,
  };
}

/** The check of an agent known to run: the app's own core, or one that answered on the socket. */
export function runningAgentCheck(status: AgentStatus): DoctorCheck {
  const detail = `${statusLine(status)}.${status.reason ? ' ' + status.reason : ''}`;
  switch (status.state) {
    case 'policy-error':
      // Under a policy it cannot use, the agent hands out nothing (fail closed; docs/it-deployment.md).
      return { ...BASE, status: 'fail', detail };
    case 'signed-out':
      return { ...BASE, status: 'warn', detail, fix: 'Sign in from the tray or with `bosun login`.' };
    case 'offline-grace':
      // Pulls work until the deadline; then the user is signed out.
      return { ...BASE, status: 'warn', detail };
    default:
      return { ...BASE, status: 'ok', detail };
  }
}
