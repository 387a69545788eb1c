// Registry bearer tokens (docs/registry-token-service.md, "Signing keys"; distribution's token spec):
// - header: alg ES256, `kid` = libtrust key ID, `x5c` = [signing certificate] (3.x verifies it);
// - ES256 signatures are raw r‖s (64 bytes), which JWS (RFC 7518 §3.4) and jose produce;
// - `aud` is a plain string: distribution 2.8 rejects an array;
// - claims iss, sub, aud, exp, nbf, iat, jti, access[{type, name, actions}].
// The compact JWS is composed here and signed with node:crypto directly (dsaEncoding ieee-p1363 is
// r‖s): jose signs through WebCrypto's job queue, which cost ~15% of a grant. The signature is
// computed off the event loop, on a worker thread in batches (batchSigner.ts): on the event loop
// it was a fifth of the server's main-thread time per grant (bench/token.bench.ts). Tests verify
// the tokens with jose and with the real registry.
import { randomUUID, type KeyObject } from 'node:crypto';
import type { ActiveSigningKey } from './signingKeys.js';
import { TOKEN_LIFETIME_SECONDS } from './signingKeys.js';

export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryTokenRequest {
  issuer: string;
  /** The registry's `service`. */
  audience: string;
  /** The user name; empty for anonymous. */
  subject: string;
  access: AccessEntry[];
  lifetimeSeconds?: number;
  now?: Date;
}

export interface IssuedRegistryToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

/** What signs a token: the server's BatchSigner (batchSigner.ts), created and closed by its composition root. */
export interface TokenSigner {
  /** The ES256 signature of `input` (64 bytes, r‖s). */
  sign(input: string, key: KeyObject): Promise<Buffer>;
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The encoded header depends only on the key (kid, certificate), so it is built once per key. */
const encodedHeaders = new WeakMap<ActiveSigningKey, string>();
function encodedHeader(key: ActiveSigningKey): string {
  let header = encodedHeaders.get(key);
  if (header === undefined) {
    header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: key.kid, x5c: [key.certificateDer] }));
    encodedHeaders.set(key, header);
  }
  return header;
}

export async function issueRegistryToken(signer: TokenSigner, key: ActiveSigningKey, req: RegistryTokenRequest): Promise<IssuedRegistryToken> {
  const issuedAt = req.now ?? new Date();
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const expiresIn = Math.max(60, req.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS); // clients need ≥ 60 s
  const claims = {
    iss: req.issuer,
    sub: req.subject,
    aud: req.audience, // a string, never an array
    exp: iat + expiresIn,
    nbf: iat,
    iat,
    jti: randomUUID(),
    access: req.access,
  };
  const signingInput = `${encodedHeader(key)}.${base64url(JSON.stringify(claims))}`;
  const signature = await signer.sign(signingInput, key.privateKey);
  const token = `${signingInput}.${signature.toString('base64url')}`;
  return { token, expiresIn, issuedAt };
}
