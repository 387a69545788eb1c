// `bosun status [--json] [--check]`: the agent's state. The JSON is a contract: at least
// {state, user, org}, state one of no-policy, signed-out, signing-in, signed-in, offline-grace,
// policy-error. When no agent answers, the state still comes from the admin policy and settings
// (nobody can be signed in without the agent, so an enforced policy means signed-out), with
// `agentRunning: false` and what to do.
import { parseCommandArgs } from '../commandArgs.js';
import { renderStatus, type AgentStatus } from '../../core/agent/agentStatus.js';
import { effectivePolicyView } from '../../core/workstationPolicy/effectivePolicy.js';
import { toPolicyView } from '../../core/workstationPolicy/policyReport.js';
import { AGENT_NOT_RUNNING, askAgent, NoAgentError } from '../agentClient.js';

const HELP = `Usage: bosun status [--json] [--check]

Shows whether you are signed in, to which organization, and what your organization's policy requires.
--check asks the agent to re-check your session with the server first (membership, revocation).
When the agent is not running, the state comes from the policy alone and the output says so.`;

/** What can be said without the agent: the policy's verdict, and that nobody is signed in. */
async function statusWithoutAgent(): Promise<AgentStatus & { agentRunning: false; message: string }> {
  const [{ readPolicy }, { readAdminSettings }] = await Promise.all([
    import('../../platform/workstationPolicy/readPolicy.js'),
    import('../../platform/workstationPolicy/readAdminSettings.js'),
  ]);
  const view = effectivePolicyView(toPolicyView(await readPolicy()), await readAdminSettings());
  const state = view.state === 'enforced' ? 'signed-out' : view.state;
  return {
    state,
    user: null,
    org: null,
    server: null,
    allowedOrgs: view.allowedOrgs,
    policyInsecure: view.insecure,
    reason: state === 'policy-error' ? view.errors.join(' ') : state === 'signed-out' ? 'The Bosun agent is not running.' : null,
    graceDeadline: null,
    policyErrors: view.errors,
    registries: [],
    agentRunning: false,
    message: AGENT_NOT_RUNNING,
  };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ json?: boolean; check?: boolean }>('status', argv, { json: { type: 'boolean' }, check: { type: 'boolean' } }, HELP);
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  let status: AgentStatus & { agentRunning?: boolean; message?: string };
  try {
    status = { ...(await askAgent<AgentStatus>(values.check ? 'agent.check' : 'agent.status', {})), agentRunning: true };
  } catch (err) {
    if (!(err instanceof NoAgentError)) throw err;
    status = await statusWithoutAgent();
  }
  if (values.json) console.log(JSON.stringify(status, null, 2));
  else {
    console.log(renderStatus(status));
    if (status.agentRunning === false) console.log(AGENT_NOT_RUNNING);
  }
  return 0;
}
