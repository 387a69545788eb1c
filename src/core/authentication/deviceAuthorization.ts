// The OAuth 2.0 Device Authorization Grant (RFC 8628) as pure state: a pending request, the
// user's decision, and what a poll of the token endpoint answers. Randomness and time come in as
// arguments so every rule here is testable.

/** RFC 8628 §6.1: a base-20 alphabet without vowels or look-alikes, entered case-insensitively. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

export interface DeviceRequest {
  userCode: string;
  clientId: string;
  createdAt: number;
  expiresAt: number;
  /** Minimum seconds between polls (§3.2 `interval`). */
  intervalSec: number;
  lastPollAt?: number;
  status: 'pending' | 'approved' | 'denied';
  /** The account that approved, once approved. */
  user?: string;
}

export type PollAnswer =
  | { kind: 'approved'; user: string }
  // §3.5 error codes, verbatim.
  | { kind: 'error'; error: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' };

/** Formats 8 alphabet indices (0–19) as XXXX-XXXX. */
export function formatUserCode(indices: readonly number[]): string {
  if (indices.length !== USER_CODE_LENGTH || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= USER_CODE_ALPHABET.length)) {
    throw new RangeError('a user code needs 8 indices into the alphabet');
  }
  const s = indices.map((i) => USER_CODE_ALPHABET[i]).join('');
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** What the user typed → the canonical code, or undefined if it cannot be one (§6.1: ignore case and dashes/spaces). */
export function normalizeUserCode(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== USER_CODE_LENGTH || [...s].some((c) => !USER_CODE_ALPHABET.includes(c))) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The answer to one poll of the token endpoint, and the request as it is after that poll. */
export function poll(req: DeviceRequest, now: number): { answer: PollAnswer; next: DeviceRequest } {
  if (now >= req.expiresAt) return { answer: { kind: 'error', error: 'expired_token' }, next: req };
  if (req.status === 'denied') return { answer: { kind: 'error', error: 'access_denied' }, next: req };
  if (req.status === 'approved' && req.user) return { answer: { kind: 'approved', user: req.user }, next: req };
  // §3.5: polling faster than the interval earns slow_down, and the interval grows by 5 seconds.
  if (req.lastPollAt !== undefined && now - req.lastPollAt < req.intervalSec * 1000) {
    return { answer: { kind: 'error', error: 'slow_down' }, next: { ...req, lastPollAt: now, intervalSec: req.intervalSec + 5 } };
  }
  return { answer: { kind: 'error', error: 'authorization_pending' }, next: { ...req, lastPollAt: now } };
}

export function decide(
  req: DeviceRequest,
  now: number,
  decision: { approve: true; user: string } | { approve: false },
): DeviceRequest | 'expired' | 'already-decided' {
  if (now >= req.expiresAt) return 'expired';
  if (req.status !== 'pending') return 'already-decided';
  return decision.approve ? { ...req, status: 'approved', user: decision.user } : { ...req, status: 'denied' };
}
