// `bosun status [--json]`: the agent's state. The JSON is a contract: at least {state, user, org},
// state one of no-policy, signed-out, signing-in, signed-in, offline-grace, policy-error; when no
// agent answers, {state: "agent-not-running"} and exit 3.
import { parseArgs } from 'node:util';
import { renderStatus, type AgentStatus } from '../../policy/agentStatus.js';
import { AGENT_NOT_RUNNING, askAgent, EXIT_NO_AGENT, NoAgentError } from '../agentClient.js';

const HELP = `Usage: bosun status [--json] [--check]

Shows whether you are signed in, to which organization, and what your organization's policy requires.
--check asks the agent to re-check your session with the server first (membership, revocation).
Exit codes: 0 the agent answered; 3 the agent is not running.`;

export async function run(argv: string[]): Promise<number> {
  let values: { json?: boolean; check?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    console.error(`bosun status: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
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
