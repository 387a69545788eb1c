// How CLI commands reach the running agent, and the words they print when it is not there.
import { agentSocketPath } from '../agent/paths.js';
import { AgentCallError, AgentUnavailableError, callAgent } from '../agent/socket/client.js';
import { isPackagedBuild } from '../common/buildFlavor.js';

// The installed command has no `bosun agent` (src/cli/workstationInstall.ts): the app runs the agent.
export const AGENT_NOT_RUNNING = isPackagedBuild
  ? 'The Bosun agent is not running. Open Bosun from your applications (it runs the agent), then try again.'
  : 'The Bosun agent is not running. Start it with `bosun agent` (or open the Bosun app), then try again.';

/** Exit code when the agent cannot be reached (distinct from 1, "the agent said no"). */
export const EXIT_NO_AGENT = 3;

export class NoAgentError extends Error {
  override name = 'NoAgentError';
}

export async function askAgent<R>(method: string, params?: unknown, timeoutMs = 30_000): Promise<R> {
  try {
    return await callAgent<R>(agentSocketPath(), method, params, { timeoutMs });
  } catch (err) {
    if (err instanceof AgentUnavailableError) throw new NoAgentError(AGENT_NOT_RUNNING);
    if (err instanceof AgentCallError) throw new Error(err.message);
    throw err;
  }
}
