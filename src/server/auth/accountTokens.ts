// The account API's short-lived access token (`POST /v2/auth/token` → {access_token}): an HS256
// JWT signed with the data dir's key. It names the user and, after a PAT sign-in, the PAT, so the
// PAT's scopes and revocation keep applying. Every use re-reads the account: a disabled user or a
// revoked PAT stops working at once, not at expiry.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'bosun';
const AUDIENCE = 'bosun-account-api';

export interface AccountTokenClaims {
  user: string;
  patId: number | null;
}

export class AccountTokens {
  constructor(private readonly key: Buffer, private readonly lifetimeSec: () => number) {}

  async issue(claims: AccountTokenClaims): Promise<{ token: string; expiresInSec: number }> {
    const expiresInSec = this.lifetimeSec();
    const jwt = new SignJWT(claims.patId === null ? {} : { pat: claims.patId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.user)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${expiresInSec}s`);
    return { token: await jwt.sign(this.key), expiresInSec };
  }

  /** The claims of a valid, unexpired token; undefined for anything else. */
  async verify(token: string): Promise<AccountTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return undefined;
      return { user: payload.sub, patId: typeof payload.pat === 'number' ? payload.pat : null };
    } catch {
      return undefined;
    }
  }
}
