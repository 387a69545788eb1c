// `bosun login --username NAME --password-stdin [--org ORG]` and `bosun login --device [--org ORG]`.
// The secret is read from stdin (or a hidden prompt), never from argv or the environment, and goes
// to the agent over its per-user socket; the agent keeps the resulting identity in the OS keychain.
import { createInterface } from 'node:readline';
import { parseCommandArgs } from '../commandArgs.js';
import { statusLine, type AgentStatus } from '../../core/agent/agentStatus.js';
import type { LoginOutcome } from '../../agent/core.js';
import type { DeviceCodePrompt } from '../../agent/ports.js';
import { askAgent, EXIT_NO_AGENT, NoAgentError } from '../agentClient.js';

const HELP = `Usage:
  bosun login --username NAME --password-stdin [--org ORG]
  bosun login --device [--org ORG]

Signs you in to your organization. The password or personal access token is read from stdin
(--password-stdin), or asked for when stdin is a terminal. --device signs in with your browser
(a code to enter on the server's page). --org picks the organization when you belong to several
that your organization's policy allows.`;

type Reply = { outcome: LoginOutcome; status: AgentStatus };

async function readStdin(): Promise<string> {
  let data = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) data += chunk as string;
  // `echo secret | bosun login` adds one newline; a secret never ends in one.
  return data.replace(/\r?\n$/, '');
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => {}; // do not echo the secret
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

function report(reply: Reply): number {
  const { outcome, status } = reply;
  switch (outcome.kind) {
    case 'signed-in':
      console.log(statusLine(status));
      return 0;
    case 'pick-org':
      console.error(`You belong to several organizations this machine allows: ${outcome.orgs.join(', ')}. Run again with --org ORG to choose one.`);
      return 4;
    case 'failed':
      console.error(`Sign-in failed: ${outcome.message}`);
      return 1;
  }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs<{ username?: string; 'password-stdin'?: boolean; org?: string; device?: boolean }>(
    'login',
    argv,
    {
      username: { type: 'string', short: 'u' },
      'password-stdin': { type: 'boolean' },
      org: { type: 'string' },
      device: { type: 'boolean' },
    },
    HELP,
  );
  if (!parsed.ok) return parsed.exitCode;
  const { values } = parsed;
  try {
    if (values.device) return await deviceLogin(values.org);
    if (!values.username) {
      console.error(`bosun login: --username is required (or use --device to sign in with your browser).\n\n${HELP}`);
      return 2;
    }
    let secret: string;
    if (values['password-stdin']) secret = await readStdin();
    else if (process.stdin.isTTY) secret = await promptHidden(`Password or token for ${values.username}: `);
    else {
      console.error('bosun login: stdin is not a terminal; pass --password-stdin to read the password or token from it.');
      return 2;
    }
    if (!secret) {
      console.error('bosun login: the password or token is empty.');
      return 2;
    }
    const reply = await askAgent<Reply>('agent.login', { username: values.username, secret, ...(values.org ? { org: values.org } : {}) }, 60_000);
    return report(reply);
  } catch (err) {
    if (err instanceof NoAgentError) {
      console.error(err.message);
      return EXIT_NO_AGENT;
    }
    throw err;
  }
}

async function deviceLogin(org: string | undefined): Promise<number> {
  const started = await askAgent<{ prompt?: DeviceCodePrompt } & Partial<Reply>>('agent.deviceLogin.start', org ? { org } : {}, 60_000);
  if (!started.prompt) return report(started as Reply);
  const p = started.prompt;
  console.log(`To sign in, open ${p.verificationUri} and enter the code ${p.userCode}`);
  if (p.verificationUriComplete) console.log(`(or open ${p.verificationUriComplete})`);
  console.log(`Waiting for you to approve (the code expires in ${Math.round(p.expiresInSec / 60)} minutes)…`);
  const reply = await askAgent<Reply>('agent.deviceLogin.wait', {}, (p.expiresInSec + 30) * 1000);
  return report(reply);
}
