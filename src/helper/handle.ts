// The Docker credential-helper protocol (docs/helper.md) as one function of (action, stdin, agent):
// no process, no streams, so every answer is testable in process, like docker-credential-helpers'
// `credentials.HandleCommand`. src/helper/main.ts is the bin that feeds it argv and stdin.
import { NOT_FOUND_MESSAGE } from '../core/dockerConfig/credentialHelperProtocol.js';
import { AgentCallError, AgentUnavailableError } from '../agent/socket/client.js';
import type { HelperCredentials } from '../agent/socket/protocol.js';

/** What the helper needs from the running agent, and what it may know when there is none. */
export interface HelperAgent {
  /** One agent socket call; throws AgentCallError for the agent's refusal, AgentUnavailableError when nobody answers. */
  ask<R>(method: string, params: unknown): Promise<R>;
  /** With no agent to ask: whether `serverURL` is Bosun's, and the sentence that tells the user why it fails. */
  knownWithoutAgent(serverURL: string): { protected: boolean; explanation: string };
  /** The `version` line. */
  version(): string;
}

/** What the bin writes: stdout, stderr (each with its final newline) and the exit code. */
export interface HelperResult {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1;
}

export const USAGE = 'Usage: docker-credential-bosun <store|get|erase|list|version>';
const STORE_INPUT = 'store expects {"ServerURL","Username","Secret"} as JSON on stdin';

class HelperFailure extends Error {
  /** `stdoutMessage` goes to stdout (the protocol's error channel); `explanation` to stderr, for the user. */
  constructor(
    readonly stdoutMessage: string,
    readonly explanation?: string,
  ) {
    super(stdoutMessage);
  }
}

/** The agent's error as the protocol wants it: the sentinel for not-found, the explanation otherwise. */
function failureFrom(err: unknown, serverURL: string, agent: HelperAgent): HelperFailure {
  if (err instanceof AgentCallError) {
    if (err.code === 'not-found') return new HelperFailure(NOT_FOUND_MESSAGE);
    return new HelperFailure(err.message, err.message);
  }
  if (err instanceof AgentUnavailableError) {
    const known = agent.knownWithoutAgent(serverURL);
    if (!known.protected) return new HelperFailure(NOT_FOUND_MESSAGE);
    const why = `${known.explanation} (the Bosun agent is not running)`;
    return new HelperFailure(why, why);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HelperFailure(message, message);
}

async function answer(action: string | undefined, stdin: string, agent: HelperAgent): Promise<string> {
  switch (action) {
    case 'get': {
      const serverURL = stdin.trim();
      if (!serverURL) throw new HelperFailure('no server URL on stdin');
      try {
        return JSON.stringify(await agent.ask<HelperCredentials>('helper.get', { serverURL }));
      } catch (err) {
        throw failureFrom(err, serverURL, agent);
      }
    }
    case 'store': {
      let input: { ServerURL?: unknown; Username?: unknown; Secret?: unknown };
      try {
        input = JSON.parse(stdin) as typeof input;
      } catch {
        throw new HelperFailure(STORE_INPUT);
      }
      const { ServerURL, Username, Secret } = input ?? {};
      if (typeof ServerURL !== 'string' || typeof Username !== 'string' || typeof Secret !== 'string') {
        throw new HelperFailure(STORE_INPUT);
      }
      try {
        await agent.ask('helper.store', { serverURL: ServerURL, username: Username, secret: Secret });
        return '';
      } catch (err) {
        const f = failureFrom(err, ServerURL, agent);
        // A credential Bosun would take cannot be checked while the agent is down: refuse, in words.
        if (err instanceof AgentUnavailableError && f.stdoutMessage === NOT_FOUND_MESSAGE) {
          throw new HelperFailure('the Bosun agent is not running; start Bosun, then run docker login again');
        }
        throw f;
      }
    }
    case 'erase': {
      const serverURL = stdin.trim();
      try {
        await agent.ask('helper.erase', { serverURL });
        return '';
      } catch (err) {
        throw failureFrom(err, serverURL, agent);
      }
    }
    case 'list':
      try {
        return JSON.stringify(await agent.ask<Record<string, string>>('helper.list', {}));
      } catch (err) {
        if (err instanceof AgentUnavailableError) return '{}';
        throw failureFrom(err, '', agent);
      }
    case 'version':
      return agent.version();
    default:
      throw new HelperFailure(USAGE);
  }
}

/** Answers one helper invocation. Never throws: every failure is an exit code 1 result. */
export async function handle(action: string | undefined, stdin: string, agent: HelperAgent): Promise<HelperResult> {
  try {
    const out = await answer(action, stdin, agent);
    return { stdout: out ? out + '\n' : '', stderr: '', exitCode: 0 };
  } catch (err) {
    const f = err instanceof HelperFailure ? err : new HelperFailure(err instanceof Error ? err.message : String(err));
    // Protocol: the error goes to stdout with exit 1; stderr is what the user reads.
    return { stdout: f.stdoutMessage + '\n', stderr: f.explanation ? f.explanation + '\n' : '', exitCode: 1 };
  }
}
