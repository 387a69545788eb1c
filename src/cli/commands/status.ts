// `bosun status [--json]`: the agent's state. The JSON is a contract: at least {state, user, org},
// state one of no-policy, signed-out, signing-in, signed-in, offline-grace, policy-error; when no
// agent answers, {state: "agent-not-running"} and exit 3.
import { parseCommandArgs } from '../commandArgs.js';
import { renderStatus, type AgentStatus } from '../../policy/agentStatus.js';
import { AGENT_NOT_RUNNING, askAgent, EXIT_NO_AGENT, NoAgentError } from '../agentClient.js';

const HELP = `Usage: bosun status [--json] [--check]

Shows whether you are signed in, to which organization, and what your organization's policy requires.
--check asks the agent to re-check your session with the server first (membership, revocation).
Exit codes: 0 the agent answered; 3 the agent is not running.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ json?: boolean; check?: boolean }>('status', argv, { json: { type: 'boolean' }, check: { type: 'boolean' } }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  try {
    const status = await askAgent<AgentStatus>(values.check ? 'agent.check' : 'agent.status', {});
    console.log(values.json ? JSON.stringify(status, null, 2) : renderStatus(status));
    return 0;
  } catch (err) {
    if (!(err instanceof NoAgentError)) throw err;
    if (values.json) console.log(JSON.stringify({ state: 'agent-not-running', user: null, org: null, message: AGENT_NOT_RUNNING }, null, 2));
    else console.error(AGENT_NOT_RUNNING);
    return EXIT_NO_AGENT;
  }
}
