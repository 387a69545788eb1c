// HTTP errors and body validation shared by the route modules. Error bodies carry `message` (read
// by the Bosun agent) and `detail` (Docker Hub's field, read by Hub clients) with the same text.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeSchemaErrors, schemaRegistry, type SchemaIssue } from '../../common/schemas.js';
import type { Authenticated, Refused } from '../auth/authenticator.js';
import type { ServerContext } from '../context.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, detail: message, ...extra };
}

/** Validates a request body against `schemas/<file>#/$defs/<def>`; a 400 names every bad field. */
export function parseBody<T>(def: string, body: unknown, file = 'api.schema.json'): T {
  const validate = schemaRegistry().getSchema(`${file}#/$defs/${def}`);
  if (!validate) throw new Error(`${file} has no $defs/${def}`);
  if (validate(body ?? {})) return (body ?? {}) as T;
  const errors = describeSchemaErrors(validate.errors);
  throw new HttpError(400, `invalid request body: ${describe(errors)}`, { errors });
}

export function describe(errors: readonly SchemaIssue[]): string {
  return errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
}

export function refusal(r: Refused): HttpError {
  return new HttpError(r.status, r.message, {}, r.retryAfterSec ? { 'retry-after': String(r.retryAfterSec) } : {});
}

/** The caller of an account-API route, from its Bearer access token; throws 401/403 otherwise. */
export async function requireAccount(ctx: ServerContext, request: FastifyRequest): Promise<Authenticated> {
  const r = await ctx.auth.bearer(request.headers.authorization);
  if (!r.ok) throw refusal(r);
  return r;
}

/** A read-only PAT may read through the account API but not change anything. */
export function requireWriteCredential(a: Authenticated): void {
  if (a.credential.kind === 'pat' && !a.credential.scopes.some((s) => s === 'write' || s === 'delete')) {
    throw new HttpError(403, 'this personal access token is read-only; changing settings needs a password sign-in or a token with write scope');
  }
}

export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
  return reply.code(err.status).send(errorBody(err.message, err.extra));
}
