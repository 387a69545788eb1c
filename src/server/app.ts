// The server's composition root: opens the store, builds authentication, and registers every route
// set: health, the Hub-compatible account API, the agent endpoints, apply, the admin API, the
// device flow and the registry token service (`/token`).
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'winston';
import { buildAccessFacts } from './accessFactsBuilder.js';
import { AccountTokens } from './auth/accountTokens.js';
import { Authenticator } from './auth/authenticator.js';
import { SignInLimiter, type SignInLimits, DEFAULT_SIGN_IN_LIMITS } from './auth/signInLimiter.js';
import type { ServerContext } from './context.js';
import { registerDeviceFlowRoutes } from './deviceFlow/routes.js';
import { registerAdminRoutes } from './http/adminRoutes.js';
import { registerAgentRoutes } from './http/agentRoutes.js';
import { registerApplyRoutes } from './http/applyRoutes.js';
import { HttpError, errorBody, sendError } from './http/errors.js';
import { registerHealthRoutes } from './http/healthRoutes.js';
import { registerHubRoutes } from './http/hubRoutes.js';
import { createServerLogger } from './logger.js';
import { Store } from './store/store.js';
import { BatchSigner } from './token/batchSigner.js';
import { registerRegistryTokenService } from './token/serverRoutes.js';

export interface ServerOptions {
  dataDir: string;
  logger?: Logger;
  /** Public base URL; defaults to the address the server listens on. */
  publicUrl?: string;
  signInLimits?: SignInLimits;
}

export interface BosunServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** Listens (port 0 = any free port) and returns the base URL. */
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export async function buildServer(opts: ServerOptions): Promise<BosunServer> {
  const logger = opts.logger ?? createServerLogger();
  const store = Store.open(opts.dataDir);
  const accountTokens = new AccountTokens(
    store.keys.accessTokenSigning,
    () => store.settings.get().tokenLifetimeSeconds,
    (name) => {
      const user = store.users.byName(name);
      return user && { id: user.id, createdAt: user.createdAt, epoch: store.users.tokenEpoch(user.id) };
    },
  );
  const auth = new Authenticator(store, new SignInLimiter(opts.signInLimits ?? DEFAULT_SIGN_IN_LIMITS), accountTokens);
  let publicUrl = opts.publicUrl ?? 'http://127.0.0.1/';
  const ctx: ServerContext = {
    store,
    auth,
    accountTokens,
    logger,
    dataDir: opts.dataDir,
    publicUrl: () => publicUrl,
    audit: (e) => store.audit.write(e),
    facts: (caller, credential, repository) => buildAccessFacts(store, caller, credential, repository),
  };

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false });
  await app.register(formbody);
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err);
    const e = err as { statusCode?: number; validation?: unknown; message: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send(errorBody(e.message));
    logger.error('request failed', { method: request.method, path: request.routeOptions.url, error: e.message });
    return reply.code(500).send(errorBody('internal error; the server log has the details'));
  });
  app.addHook('onResponse', async (request, reply) => {
    // Below the `http` level winston would still format every record before dropping it: a
    // noticeable share of a small request's cost (bench/token.bench.ts).
    if (!logger.isLevelEnabled('http')) return;
    logger.http('request', {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ip: request.ip,
    });
  });

  registerHealthRoutes(app, ctx);
  registerHubRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  registerApplyRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  await registerDeviceFlowRoutes(app, {
    // The verification page takes an account password; a PAT is refused there, because the token
    // the device receives would otherwise lose the PAT's scopes.
    authenticate: async (username, secret, ip) => {
      const r = await auth.signIn(username, secret, ip, 'device');
      if (!r.ok && r.status === 429) return { retryAfterSec: r.retryAfterSec ?? 1 };
      return r.ok && r.credential.kind === 'password' ? { user: r.user.name } : null;
    },
    issueAccessToken: async (user) => {
      const t = await accountTokens.issue({ user, patId: null });
      return { accessToken: t.token, expiresInSec: t.expiresInSec };
    },
    audit: (e) => store.audit.write({ actor: e.actor ?? null, ip: e.ip, action: e.action, detail: e.detail }),
    publicUrl: () => publicUrl,
  });
  const signer = new BatchSigner();
  await registerRegistryTokenService(app, ctx, { signer });

  return {
    app,
    ctx,
    async listen(host, port) {
      const address = await app.listen({ host, port });
      const url = new URL(address);
      if (host === '127.0.0.1' || host === 'localhost') url.hostname = host;
      if (!opts.publicUrl) publicUrl = url.toString();
      return url.toString().replace(/\/$/, '');
    },
    async close() {
      await app.close();
      await signer.close();
      store.close();
    },
  };
}
