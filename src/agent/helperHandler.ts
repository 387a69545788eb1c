// The agent's side of the credential helper: `helper.get|store|erase|list` on the agent socket,
// answered from the AgentCore. The helper process holds no secrets; it asks here every time.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile.js';
import { mayUseCredentials, sessionOf } from '../core/agent/agentState.js';
import type { AuditEvent, LogFields } from '../common/log.js';
import { validatorFor } from '../common/schemas.js';
import { NoCredentialsError, type AgentCore } from './core.js';
import { NOT_FOUND_MESSAGE } from '../core/dockerConfig/credentialHelperProtocol.js';
import { protectedRegistryFor, registryHost } from '../core/dockerConfig/registryHost.js';
import { SocketMethodError, type HelperCredentials, type HelperServerParams, type HelperStoreParams, type NoCredentialsData } from './socket/protocol.js';
import type { SessionAudit, SessionChangeOrigin } from './sessionAudit.js';
import type { AgentSocketServer } from './socket/server.js';

/** What the helper may read when the agent is not running: no secrets, only what makes its error useful. */
export interface HelperHints {
  registries: string[];
  explanation: string;
}

export interface HelperHandlerOptions {
  logger?: { audit(event: AuditEvent, fields?: LogFields): void; warn(message: string, fields?: LogFields): void };
  /** Where to keep HelperHints up to date (paths.ts `helperHintsPath()`); omitted: not written. */
  hintsPath?: string;
  /** Audits the sign-in of a `docker login` and the sign-out of a `docker logout` with how they came. */
  sessionAudit?: Pick<SessionAudit, 'during'>;
}

export interface HelperHandler {
  get(params: HelperServerParams): HelperCredentials;
  store(params: HelperStoreParams): Promise<null>;
  erase(params: HelperServerParams): Promise<null>;
  list(): Record<string, string>;
  /** Registers helper.get|store|erase|list on the agent socket, with their params schemas. */
  register(server: AgentSocketServer): void;
  /** Rewrites the hints file now: the core discovers its registries at start without a state change. */
  refreshHints(): void;
  /** Stops updating the hints file. */
  dispose(): void;
}

export function createHelperHandler(core: AgentCore, opts: HelperHandlerOptions = {}): HelperHandler {
  const audit = (event: AuditEvent, fields: LogFields) => opts.logger?.audit(event, fields);
  /** The protected registry a client's server URL names, under any of its spellings. */
  const managedFor = (serverURL: string) => protectedRegistryFor(serverURL, core.managedRegistries());

  const denied = (method: string, registry: string, reason: string) => audit('helper-denied', { method, registry, reason });
  const via = <T>(origin: SessionChangeOrigin, action: () => Promise<T>) => (opts.sessionAudit ? opts.sessionAudit.during(origin, action) : action());

  const handler: HelperHandler = {
    get({ serverURL }) {
      try {
        const c = core.credentialsFor(serverURL);
        return { ServerURL: serverURL.trim(), Username: c.username, Secret: c.secret };
      } catch (err) {
        if (!(err instanceof NoCredentialsError)) throw err;
        if (!err.protectedRegistry) throw new SocketMethodError('not-found', NOT_FOUND_MESSAGE);
        denied('get', registryHost(serverURL), err.message);
        throw new SocketMethodError('no-credentials', err.message, { protectedRegistry: true } satisfies NoCredentialsData);
      }
    },

    async store({ serverURL, username, secret }) {
      const host = managedFor(serverURL) ?? registryHost(serverURL);
      if (!managedFor(serverURL)) {
        const why =
          `Bosun keeps credentials only for the registries it manages (${core.managedRegistries().join(', ') || 'none yet'}); ` +
          `${host} is not one of them. Point credHelpers["${host}"] at another helper, or remove it.`;
        denied('store', host, why);
        throw new SocketMethodError('denied', why);
      }
      if (username === '<token>') {
        // docker hands back what `get` gave it (the agent's own session) when it re-stores: keep it.
        if (core.holdsSecret(secret)) return null;
        // A refresh token the token service issued to `docker login`: refused here, so it must not stay
        // live on the server either.
        await core.discardRefreshToken(secret);
        const why = `docker login with an identity token cannot be checked for membership; sign in with \`bosun login\` instead.`;
        denied('store', host, why);
        throw new SocketMethodError('denied', why);
      }
      // The same check Docker Desktop does: a docker login is accepted only for a member of an allowed org.
      const outcome = await via({ via: 'docker login', registry: host }, () => core.login(username, secret));
      if (outcome.kind === 'signed-in') return null;
      const why =
        outcome.kind === 'pick-org'
          ? `${username} belongs to several allowed organizations (${outcome.orgs.join(', ')}); choose one with \`bosun login --org ORG\`.`
          : outcome.message;
      denied('store', host, why);
      throw new SocketMethodError('denied', why);
    },

    async erase({ serverURL }) {
      const host = managedFor(serverURL) ?? registryHost(serverURL);
      if (!managedFor(serverURL)) throw new SocketMethodError('not-found', NOT_FOUND_MESSAGE);
      // `docker logout <registry>` on a Bosun registry means: sign out of Bosun.
      if (sessionOf(core.state.state)) await via({ via: 'docker logout', registry: host }, () => core.logout());
      return null;
    },

    list() {
      const state = core.state.state;
      const session = sessionOf(state);
      if (!session || !mayUseCredentials(state)) return {};
      const out: Record<string, string> = {};
      for (const host of core.managedRegistries()) out[host] = core.credentialsFor(host).username;
      return out;
    },

    register(server) {
      const serverParams = validatorFor('agent-socket.schema.json#/$defs/helperServer');
      server.register('helper.get', (p: HelperServerParams) => handler.get(p), { params: serverParams });
      server.register('helper.store', (p: HelperStoreParams) => handler.store(p), { params: validatorFor('agent-socket.schema.json#/$defs/helperStore') });
      server.register('helper.erase', (p: HelperServerParams) => handler.erase(p), { params: serverParams });
      server.register('helper.list', () => handler.list(), { params: validatorFor('agent-socket.schema.json#/$defs/none') });
    },

    refreshHints() {
      writeHints?.();
    },

    dispose() {
      unsubscribe?.();
    },
  };

  let unsubscribe: (() => void) | undefined;
  let writeHints: (() => void) | undefined;
  if (opts.hintsPath) {
    const path = opts.hintsPath;
    writeHints = () => {
      try {
        writeHintsFile(path, { registries: core.managedRegistries(), explanation: core.explainNoCredentials() });
      } catch (err) {
        opts.logger?.warn('could not write the credential helper hints', { path, error: err });
      }
    };
    writeHints();
    unsubscribe = core.bus.on('state', () => writeHints?.());
  }
  return handler;
}

/** Atomic, so the helper never reads half a file. */
export function writeHintsFile(path: string, hints: HelperHints): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, JSON.stringify(hints) + '\n', { mode: 0o600 });
}
