// The agent's socket server: newline-delimited JSON requests (protocol.ts), dispatched to handlers
// registered by method name. Only the same OS user can connect: on unix the socket sits in a 0700
// directory and is itself 0600; on Windows it is a per-user named pipe (paths.ts).
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describeSchemaErrors, validatorFor } from '../../common/schemas.js';
import { agentKeyPathFor } from '../paths.js';
import { HELLO_METHOD, proof, removeAgentKey, writeAgentKey } from './handshake.js';
import { DEFAULT_MAX_LINE_BYTES, SocketMethodError, type RequestId, type SocketErrorBody, type SocketRequest, type SocketResponse } from './protocol.js';

export type MethodHandler<P = unknown, R = unknown> = (params: P) => Promise<R> | R;

export interface RegisterOptions {
  /** Validates `params` before the handler runs, e.g. `validatorFor('agent-socket.schema.json#/$defs/helperServer')`. */
  params?: ValidateFunction;
}

export interface AgentSocketServerOptions {
  maxLineBytes?: number;
  /** Where the agent key goes (handshake.ts); default agentKeyPathFor(path). */
  keyPath?: string;
  /** Called for every request that ended in an error (for audit lines); never gets params. */
  onError?: (method: string, error: SocketErrorBody) => void;
}

export class AgentAlreadyRunningError extends Error {
  override name = 'AgentAlreadyRunningError';
}

interface Registration {
  handler: MethodHandler;
  params: ValidateFunction | undefined;
}

const validateRequest = () => validatorFor<SocketRequest>('agent-socket.schema.json#/$defs/request');

export class AgentSocketServer {
  private readonly methods = new Map<string, Registration>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly maxLineBytes: number;

  private readonly keyPath: string;
  private key: Buffer | undefined;

  constructor(
    private readonly path: string,
    private readonly options: AgentSocketServerOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.keyPath = options.keyPath ?? agentKeyPathFor(path);
    this.register<{ challenge: string }, { proof: string }>(
      HELLO_METHOD,
      ({ challenge }) => {
        if (!this.key) throw new SocketMethodError('internal', 'the agent has no key yet');
        return { proof: proof(this.key, challenge) };
      },
      { params: validatorFor('agent-socket.schema.json#/$defs/hello') },
    );
  }

  register<P, R>(method: string, handler: MethodHandler<P, R>, options: RegisterOptions = {}): void {
    if (this.methods.has(method)) throw new Error(`agent socket: method ${method} is already registered`);
    this.methods.set(method, { handler: handler as MethodHandler, params: options.params });
  }

  /** Starts listening. Throws AgentAlreadyRunningError when another agent answers on the path. */
  async listen(): Promise<void> {
    if (process.platform !== 'win32') await this.prepareUnixPath();
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (process.platform !== 'win32') chmodSync(this.path, 0o600);
    // The key is written only once the socket is ours, so a second agent that failed to listen never
    // replaces the running agent's key. Nothing is read from a client before its first line arrives.
    this.key = writeAgentKey(this.keyPath);
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.key) removeAgentKey(this.keyPath);
    this.key = undefined;
  }

  /** The directory must be ours and private; a stale socket from a crashed agent is removed. */
  private async prepareUnixPath(): Promise<void> {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
      throw new Error(`agent socket: ${dir} is not a directory owned by this user; remove it and start Bosun again`);
    }
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    let existing;
    try {
      existing = lstatSync(this.path);
    } catch {
      return;
    }
    if (!existing.isSocket()) throw new Error(`agent socket: ${this.path} exists and is not a socket; remove it and start Bosun again`);
    if (await answers(this.path)) throw new AgentAlreadyRunningError(`another Bosun agent is already running (${this.path})`);
    rmSync(this.path, { force: true });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let chain = Promise.resolve();
    let refused = false;
    const refuse = () => {
      refused = true;
      buffered = Buffer.alloc(0);
      this.refuseOversize(socket);
    };
    socket.on('data', (chunk: Buffer) => {
      if (refused) return;
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const nl = buffered.indexOf(0x0a);
        if (nl < 0) break;
        const line = buffered.subarray(0, nl).toString('utf8');
        buffered = buffered.subarray(nl + 1);
        if (nl > this.maxLineBytes) return refuse();
        // Answer in order: a client may pipeline requests on one connection.
        chain = chain
          .then(() => this.answer(line))
          .then((resp) => {
            if (!socket.destroyed) socket.write(JSON.stringify(resp) + '\n');
          });
      }
      if (buffered.length > this.maxLineBytes) refuse();
    });
  }

  private refuseOversize(socket: Socket): void {
    const error = { code: 'too-large', message: `request line longer than ${this.maxLineBytes} bytes` };
    this.options.onError?.('(unknown)', error);
    socket.end(JSON.stringify({ id: null, error }) + '\n');
  }

  private async answer(line: string): Promise<SocketResponse> {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return this.fail(null, '(unknown)', { code: 'parse-error', message: 'request is not valid JSON' });
    }
    const validate = validateRequest();
    if (!validate(request)) {
      const id = typeof request === 'object' && request && 'id' in request ? ((request as { id: unknown }).id as RequestId) : null;
      const why = describeSchemaErrors(validate.errors)
        .map((i) => `${i.path || '/'} ${i.message}`)
        .join('; ');
      return this.fail(typeof id === 'string' || typeof id === 'number' ? id : null, '(unknown)', { code: 'invalid-request', message: why });
    }
    const { id, method, params } = request;
    const reg = this.methods.get(method);
    if (!reg) return this.fail(id, method, { code: 'unknown-method', message: `unknown method ${method}` });
    if (reg.params && !reg.params(params ?? {})) {
      const why = describeSchemaErrors(reg.params.errors)
        .map((i) => `params${i.path} ${i.message}`)
        .join('; ');
      return this.fail(id, method, { code: 'invalid-params', message: why });
    }
    try {
      return { id, result: (await reg.handler(params ?? {})) ?? null };
    } catch (err) {
      if (err instanceof SocketMethodError) {
        return this.fail(id, method, { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) });
      }
      // Other typed errors carry their own `code` (e.g. the control methods' ControlParamsError).
      const code = (err as { code?: unknown } | null)?.code;
      if (err instanceof Error && typeof code === 'string' && /^[a-z][a-z-]*$/.test(code)) {
        return this.fail(id, method, { code, message: err.message });
      }
      return this.fail(id, method, { code: 'internal', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private fail(id: RequestId | null, method: string, error: SocketErrorBody): SocketResponse {
    this.options.onError?.(method, error);
    return { id, error };
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
