// Bosun's own API as a table of routes: each declares its method, path, who may call it, and the
// schema of its body. The same table registers the fastify routes and generates the OpenAPI
// document (openapi.ts), so the documentation cannot drift from what is served.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticated } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';
import { parseBody, requireAccount, requireWriteCredential } from './errors.js';

export const ADMIN_SCHEMA_FILE = 'admin-api.schema.json';

export interface ApiCall<B = unknown> {
  caller: Authenticated;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: B;
  ip: string;
  request: FastifyRequest;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`:param`). */
  path: string;
  summary: string;
  /** Who may call it, in words (for the OpenAPI description); the handler enforces it. */
  access: string;
  /** `$defs` name in schemas/admin-api.schema.json. */
  body?: string;
  /** Success status (200 by default). */
  status?: number;
  tag: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler(call: ApiCall<any>): Promise<unknown> | unknown;
}

export function registerRouteTable(app: FastifyInstance, ctx: ServerContext, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const caller = await requireAccount(ctx, request);
        if (route.method !== 'GET') requireWriteCredential(caller);
        const body = route.body ? parseBody(route.body, request.body, ADMIN_SCHEMA_FILE) : undefined;
        const result = await route.handler({
          caller,
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | undefined>,
          body,
          ip: request.ip,
          request,
        });
        const status = route.status ?? 200;
        return status === 204 ? reply.code(204).send() : reply.code(status).send(result);
      },
    });
  }
}

/** Writes the audit record of an admin-API change, naming the caller and their address. */
export function auditor(ctx: ServerContext): (call: ApiCall, action: string, target: string, detail?: string) => void {
  return (call, action, target, detail) => ctx.audit({ actor: call.caller.user.name, ip: call.ip, action, target, detail: detail ?? null });
}
