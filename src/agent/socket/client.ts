// A tiny client for the agent socket: one request per connection, after the agent has proved it is
// this user's agent (handshake.ts). Node built-ins only, because the credential helper bundles it and
// must start fast.
import { createConnection } from 'node:net';
import { agentKeyPathFor } from '../paths.js';
import { HELLO_METHOD, newChallenge, proofMatches, readAgentKey } from './handshake.js';
import type { SocketErrorBody, SocketResponse } from './protocol.js';

/** The agent answered with an error. */
export class AgentCallError extends Error {
  override name = 'AgentCallError';
  constructor(readonly error: SocketErrorBody) {
    super(error.message);
  }
  get code(): string {
    return this.error.code;
  }
}

/** Nobody answers on the socket (agent not running), or the answer was not understood. */
export class AgentUnavailableError extends Error {
  override name = 'AgentUnavailableError';
}

/** Something answers on the agent's socket but cannot prove it is this user's agent: nothing is sent to it. */
export class AgentImpostorError extends AgentUnavailableError {
  override name = 'AgentImpostorError';
}

export interface CallOptions {
  timeoutMs?: number;
  /** The agent key file; default agentKeyPathFor(socketPath). */
  keyPath?: string;
}

export function callAgent<R = unknown>(socketPath: string, method: string, params?: unknown, options: CallOptions = {}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 5000;
    const keyPath = options.keyPath ?? agentKeyPathFor(socketPath);
    const key = readAgentKey(keyPath);
    if (!key) return reject(new AgentUnavailableError(`the Bosun agent is not running (no agent key at ${keyPath})`));
    const challenge = newChallenge();
    const socket = createConnection(socketPath);
    let buffered = '';
    let settled = false;
    let proven = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new AgentUnavailableError(`the Bosun agent did not answer within ${timeoutMs} ms`))), timeoutMs);
    socket.setEncoding('utf8');
    // First the challenge; the request (which may carry a password or a token) only after the proof.
    socket.once('connect', () => socket.write(JSON.stringify({ id: 0, method: HELLO_METHOD, params: { challenge } }) + '\n'));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0 && !settled; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let resp: SocketResponse;
        try {
          resp = JSON.parse(line) as SocketResponse;
        } catch {
          return settle(() => reject(new AgentUnavailableError('the Bosun agent sent an unreadable answer')));
        }
        if (!proven) {
          const answer = 'result' in resp ? (resp.result as { proof?: unknown } | null)?.proof : undefined;
          if (resp.id !== 0 || !proofMatches(key, challenge, answer)) {
            return settle(() =>
              reject(
                new AgentImpostorError(
                  `something other than your Bosun agent answers on ${socketPath}; nothing was sent to it. Restart Bosun; if this persists, tell IT.`,
                ),
              ),
            );
          }
          proven = true;
          socket.write(JSON.stringify({ id: 1, method, ...(params === undefined ? {} : { params }) }) + '\n');
          continue;
        }
        if ('error' in resp) settle(() => reject(new AgentCallError(resp.error)));
        else settle(() => resolve(resp.result as R));
      }
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      settle(() => reject(new AgentUnavailableError(`the Bosun agent is not running (${err.code ?? err.message})`))),
    );
    socket.once('close', () => settle(() => reject(new AgentUnavailableError('the Bosun agent closed the connection without answering'))));
  });
}
