// Registry bearer tokens (design.md, "JWT accepted by distribution 2.8 (and 3.x)"):
// - header: alg ES256, `kid` = libtrust key ID, `x5c` = [signing certificate] (3.x verifies it);
// - ES256 signatures are raw r‖s (64 bytes), which JWS (RFC 7518 §3.4) and jose produce;
// - `aud` is a plain string: distribution 2.8 rejects an array;
// - claims iss, sub, aud, exp, nbf, iat, jti, access[{type, name, actions}].
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
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

export async function issueRegistryToken(key: ActiveSigningKey, req: RegistryTokenRequest): Promise<IssuedRegistryToken> {
  const issuedAt = req.now ?? new Date();
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const expiresIn = Math.max(60, req.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS); // clients need ≥ 60 s
  const token = await new SignJWT({ access: req.access })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid, x5c: [key.certificateDer] })
    .setIssuer(req.issuer)
    .setSubject(req.subject)
    .setAudience(req.audience) // a string, never an array
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + expiresIn)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresIn, issuedAt };
}
