// Server side of browser sign-in: the OAuth 2.0 Device Authorization Grant (RFC 8628).
//   POST /oauth/device/code   → device_code, user_code, verification_uri(_complete), expires_in, interval (§3.2)
//   GET  /device              → the verification page, where the user approves with their account (§3.3)
//   POST /device              → approve or deny, once the account's credentials pass; guesses are
//                                limited per address (§5.1) and an unknown code is only named as such
//                                to a caller whose credentials passed
//   POST /oauth/token         → grant_type=urn:ietf:params:oauth:grant-type:device_code (§3.4, §3.5)
// The token issued is the same short-lived account-API token as `POST /v2/auth/token`, so the agent
// continues exactly as after a password sign-in (orgs, then an org-bound session).
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  decide,
  formatUserCode,
  normalizeUserCode,
  poll,
  USER_CODE_ALPHABET,
  USER_CODE_LENGTH,
  type DeviceRequest,
} from '../../core/authentication/deviceAuthorization.js';
import { tooManyFailedSignIns } from '../../core/authentication/signInThrottle.js';
import { FailureLimiter } from '../token/failureLimiter.js';
import { renderVerificationPage } from './page.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceFlowDeps {
  /**
   * Checks a username and password; null when refused, `retryAfterSec` when the sign-in limits
   * refuse this account from this address for now. Those limits are the caller's.
   */
  authenticate(username: string, secret: string, ip: string): Promise<{ user: string } | { retryAfterSec: number } | null>;
  /** The account-API access token for a user, as `POST /v2/auth/token` returns it. */
  issueAccessToken(user: string): Promise<{ accessToken: string; expiresInSec: number }>;
  audit(event: { action: string; actor?: string; ip: string; detail: string }): void;
  /** The server's public base URL, for verification_uri. */
  publicUrl(): string;
  now?: () => number;
  /** Failed attempts on the verification page allowed per address per 15 minutes (default 10). */
  maxCodeAttempts?: number;
  lifetimeSec?: number;
  intervalSec?: number;
}

/** At most this many pending requests, so an anonymous endpoint cannot grow memory without bound. */
const MAX_PENDING = 10_000;

/**
 * RFC 8628 §5.1: a user code has 20^8 (about 2^34) values, so guesses on the verification page are
 * limited per address; at 10 per 15 minutes a guesser needs centuries for an even chance.
 */
const DEFAULT_MAX_CODE_ATTEMPTS = 10;
const CODE_ATTEMPT_WINDOW_MS = 15 * 60_000;

/** A message as a page sentence: capitalised (the period is the caller's). */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

const hash = (deviceCode: string) => createHash('sha256').update(deviceCode).digest('base64url');

export async function registerDeviceFlowRoutes(app: FastifyInstance, deps: DeviceFlowDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  const lifetimeSec = deps.lifetimeSec ?? 600;
  const intervalSec = deps.intervalSec ?? 5;
  // Pending requests live in memory: they last minutes, and a restart only asks the user to start over.
  // Keyed by the SHA-256 of the device code, so a memory dump holds no usable code.
  const byDeviceCode = new Map<string, DeviceRequest>();
  const byUserCode = new Map<string, string>();
  const codeAttempts = new FailureLimiter({ maxFailures: deps.maxCodeAttempts ?? DEFAULT_MAX_CODE_ATTEMPTS, windowMs: CODE_ATTEMPT_WINDOW_MS, now });

  const sweep = () => {
    const t = now();
    for (const [k, r] of byDeviceCode) {
      if (t >= r.expiresAt) {
        byDeviceCode.delete(k);
        byUserCode.delete(r.userCode);
      }
    }
  };

  const oauthError = (reply: FastifyReply, status: number, error: string, description?: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .send({ error, ...(description ? { error_description: description } : {}) });

  app.post(
    '/oauth/device/code',
    {
      schema: {
        body: {
          type: 'object',
          required: ['client_id'],
          properties: { client_id: { type: 'string', minLength: 1, maxLength: 100 }, scope: { type: 'string', maxLength: 1000 } },
        },
      },
    },
    async (request, reply) => {
      sweep();
      if (byDeviceCode.size >= MAX_PENDING) return oauthError(reply, 503, 'temporarily_unavailable', 'too many pending sign-ins; try again shortly');
      const { client_id } = request.body as { client_id: string };
      const deviceCode = randomBytes(32).toString('base64url');
      let userCode: string;
      do {
        userCode = formatUserCode(Array.from({ length: USER_CODE_LENGTH }, () => randomInt(USER_CODE_ALPHABET.length)));
      } while (byUserCode.has(userCode));
      const t = now();
      byDeviceCode.set(hash(deviceCode), { userCode, clientId: client_id, createdAt: t, expiresAt: t + lifetimeSec * 1000, intervalSec, status: 'pending' });
      byUserCode.set(userCode, hash(deviceCode));
      const verificationUri = new URL('/device', deps.publicUrl()).toString();
      return reply.header('cache-control', 'no-store').send({
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
        expires_in: lifetimeSec,
        interval: intervalSec,
      });
    },
  );

  app.post(
    '/oauth/token',
    {
      schema: {
        body: {
          type: 'object',
          required: ['grant_type'],
          properties: {
            grant_type: { type: 'string', maxLength: 200 },
            device_code: { type: 'string', maxLength: 200 },
            client_id: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { grant_type: string; device_code?: string; client_id?: string };
      if (body.grant_type !== DEVICE_CODE_GRANT) return oauthError(reply, 400, 'unsupported_grant_type', `only ${DEVICE_CODE_GRANT} is served here`);
      const key = body.device_code ? hash(body.device_code) : '';
      const req = byDeviceCode.get(key);
      if (!req || (body.client_id && body.client_id !== req.clientId)) return oauthError(reply, 400, 'invalid_grant', 'unknown device_code');
      const { answer, next } = poll(req, now());
      byDeviceCode.set(key, next);
      if (answer.kind === 'error') {
        if (answer.error === 'expired_token' || answer.error === 'access_denied') {
          byDeviceCode.delete(key);
          byUserCode.delete(req.userCode);
        }
        return oauthError(reply, 400, answer.error);
      }
      // A device code is good for one token (§3.5: the authorization is consumed).
      byDeviceCode.delete(key);
      byUserCode.delete(req.userCode);
      const token = await deps.issueAccessToken(answer.user);
      deps.audit({ action: 'device-sign-in', actor: answer.user, ip: request.ip, detail: `client ${req.clientId}` });
      return reply.header('cache-control', 'no-store').send({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresInSec });
    },
  );

  const page = (reply: FastifyReply, status: number, view: Parameters<typeof renderVerificationPage>[0]) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(renderVerificationPage(view));

  app.get('/device', async (request, reply) => {
    const q = request.query as { user_code?: string };
    return page(reply, 200, { kind: 'form', userCode: typeof q.user_code === 'string' ? (normalizeUserCode(q.user_code) ?? '') : '' });
  });

  app.post(
    '/device',
    {
      schema: {
        body: {
          type: 'object',
          required: ['user_code', 'username', 'password', 'decision'],
          properties: {
            user_code: { type: 'string', maxLength: 20 },
            username: { type: 'string', maxLength: 200 },
            password: { type: 'string', maxLength: 1000 },
            decision: { enum: ['approve', 'deny'] },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { user_code: string; username: string; password: string; decision: 'approve' | 'deny' };
      const ip = request.ip;
      const userCode = normalizeUserCode(body.user_code);
      // Echoed the same way whether or not the code exists.
      const typedCode = userCode ?? body.user_code.slice(0, 20);
      // §5.1: user codes are short, so guesses are limited per address. Every attempt that decides
      // nothing counts (bad credentials or a bad code), so the count says nothing about which codes exist.
      const tooMany = (wait: number) =>
        page(reply.header('retry-after', String(wait)), 429, { kind: 'form', userCode: typedCode, error: `${sentence(tooManyFailedSignIns(wait))}.` });
      const wait = codeAttempts.retryAfterSeconds([ip]);
      if (wait > 0) {
        deps.audit({ action: 'device-sign-in-refused', ip, detail: `rate limited for ${wait} s` });
        return tooMany(wait);
      }
      // Credentials first, whatever the code: until they pass, a valid code and an invalid one get the
      // same answer after the same work, so the page cannot be used to find live codes.
      const who = await deps.authenticate(body.username, body.password, ip);
      if (who && 'retryAfterSec' in who) return tooMany(who.retryAfterSec);
      if (!who) {
        codeAttempts.recordFailure([ip]);
        deps.audit({ action: 'device-sign-in-refused', ip, detail: 'bad credentials' });
        return page(reply, 401, { kind: 'form', userCode: typedCode, error: 'The username or password was not accepted.' });
      }
      const key = userCode ? byUserCode.get(userCode) : undefined;
      const req = key ? byDeviceCode.get(key) : undefined;
      if (!key || !req) {
        codeAttempts.recordFailure([ip]);
        deps.audit({ action: 'device-code-refused', actor: who.user, ip, detail: 'unknown or expired user code' });
        return page(reply, 400, {
          kind: 'form',
          userCode: typedCode,
          error: 'That code is not valid or has expired. Check the code shown by Bosun, or start sign-in again.',
        });
      }
      const decided = decide(req, now(), body.decision === 'approve' ? { approve: true, user: who.user } : { approve: false });
      if (decided === 'expired') return page(reply, 400, { kind: 'form', userCode: '', error: 'That code has expired. Start sign-in again from Bosun.' });
      if (decided === 'already-decided') return page(reply, 409, { kind: 'done', approved: req.status === 'approved', user: who.user });
      byDeviceCode.set(key, decided);
      deps.audit({ action: body.decision === 'approve' ? 'device-approved' : 'device-denied', actor: who.user, ip, detail: `client ${req.clientId}` });
      return page(reply, 200, { kind: 'done', approved: decided.status === 'approved', user: who.user });
    },
  );
}
