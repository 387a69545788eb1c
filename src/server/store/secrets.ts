// Server-side secrets: random tokens for users (PATs, refresh tokens) and the keys that protect
// them at rest. Tokens are stored as a keyed HMAC-SHA-256, so a lookup is one indexed query (a PAT
// sign-in is not limited by password hashing) and a copy of the database alone cannot be used to
// check guesses. Passwords use scrypt (memory-hard), verified in constant time.
import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomicFile.js';
import type { BosunTokenPrefix } from '../../common/tokenPrefixes.js';

export interface ServerKeys {
  /** Keys the HMAC of stored tokens. */
  tokenHmac: Buffer;
  /** Signs the account API's short-lived access tokens (HS256). */
  accessTokenSigning: Buffer;
}

const KEY_FILE = 'server.key';

/** Loads the data dir's keys, creating them (mode 0600, written atomically) on first start. */
export function loadOrCreateKeys(dataDir: string): ServerKeys {
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) writeFileAtomic(path, randomBytes(64), { mode: 0o600 });
  const raw = readFileSync(path);
  if (raw.length !== 64) throw new Error(`${path} is damaged (expected 64 bytes). Restore it from a backup; without it no token can be checked.`);
  return { tokenHmac: raw.subarray(0, 32), accessTokenSigning: raw.subarray(32, 64) };
}

/** A new secret token with a recognisable prefix (like Hub's dckr_pat_), 256 bits of randomness. */
export function newToken(prefix: BosunTokenPrefix): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(key: Buffer, token: string): string {
  return createHmac('sha256', key).update(token, 'utf8').digest('base64url');
}

// scrypt parameters: N=2^15, r=8, p=1 (32 MiB), stored with the hash so they can be raised later.
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;

function scryptAsync(secret: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LEN, { ...SCRYPT, maxmem: maxmem(SCRYPT.N, SCRYPT.r) });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash of a random password, verified when the account does not exist so both paths take as long. */
let decoyHash: Promise<string> | undefined;

/** Constant-time check of a password against a stored hash; a missing hash still costs one scrypt. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const effective = stored ?? (await (decoyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const parts = effective.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0) return false;
  const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(actual, expected) && stored !== null && stored !== undefined;
}
