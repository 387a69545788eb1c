// `bosun logout`: revokes the session on the server (best effort), erases it from the keychain.
import { statusLine, type AgentStatus } from '../../core/agent/agentStatus.js';
import { askAgent, EXIT_NO_AGENT, NoAgentError } from '../agentClient.js';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('Usage: bosun logout\n\nSigns you out: the session is revoked on the server and erased from the OS keychain.');
    return 0;
  }
  if (argv.length) {
    console.error(`bosun logout: unexpected argument '${argv[0]}'. Usage: bosun logout`);
    return 2;
  }
  try {
    const status = await askAgent<AgentStatus>('agent.logout', {});
    console.log(`Signed out. ${statusLine(status)}.`);
    return 0;
  } catch (err) {
    if (err instanceof NoAgentError) {
      console.error(err.message);
      return EXIT_NO_AGENT;
    }
    throw err;
  }
}
