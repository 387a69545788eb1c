// A tiny client for the agent socket: one request per connection. Node built-ins only, because the
// credential helper bundles it and must start fast.
import { createConnection } from 'node:net';
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

export interface CallOptions {
  timeoutMs?: number;
}

export function callAgent<R = unknown>(socketPath: string, method: string, params?: unknown, options: CallOptions = {}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buffered = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new AgentUnavailableError(`the Bosun agent did not answer within ${options.timeoutMs ?? 5000} ms`))),
      options.timeoutMs ?? 5000,
    );
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(JSON.stringify({ id: 1, method, ...(params === undefined ? {} : { params }) }) + '\n'));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      let resp: SocketResponse;
      try {
        resp = JSON.parse(buffered.slice(0, nl)) as SocketResponse;
      } catch {
        return settle(() => reject(new AgentUnavailableError('the Bosun agent sent an unreadable answer')));
      }
      if ('error' in resp) settle(() => reject(new AgentCallError(resp.error)));
      else settle(() => resolve(resp.result as R));
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      settle(() => reject(new AgentUnavailableError(`the Bosun agent is not running (${err.code ?? err.message})`))),
    );
    socket.once('close', () => settle(() => reject(new AgentUnavailableError('the Bosun agent closed the connection without answering'))));
  });
}
