// The account API's short-lived access token (`POST /v2/auth/token` → {access_token}): an HS256
// JWT signed with the data dir's key. It names the user and, after a PAT sign-in, the PAT, so the
// PAT's scopes and revocation keep applying. Every use re-reads the account: a disabled user or a
// revoked PAT stops working at once, not at expiry. It also carries the account's id and token
// epoch at issue: "sign out everywhere", a password change or a disable starts a new epoch
// (auth/revokeUserTokens.ts), which refuses every access token issued before; and a token of a
// deleted account never works for a new account that takes the same name.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'bosun';
const AUDIENCE = 'bosun-account-api';

export interface AccountTokenClaims {
  user: string;
  patId: number | null;
}

export interface VerifiedAccountToken extends AccountTokenClaims {
  /**
   * The account's id and creation time when the token was issued (SQLite may give a new account a
   * deleted one's id); null for a token without them (from an older release: refused).
   */
  account: string | null;
  /** The account's token epoch when the token was issued. */
  epoch: number;
}

/** The account a token is issued to, as the store has it now. */
export interface AccountStamp {
  id: number;
  createdAt: string;
  epoch: number;
}

/** Names one account for ever: ids alone may be reused after a delete. */
export const accountKey = (a: { id: number; createdAt: string }): string => `${a.id}@${a.createdAt}`;

export class AccountTokens {
  /** `accountOf` reads the account's id and current token epoch (store/users.ts) when a token is issued. */
  constructor(
    private readonly key: Buffer,
    private readonly lifetimeSec: () => number,
    private readonly accountOf: (user: string) => AccountStamp | undefined,
  ) {}

  async issue(claims: AccountTokenClaims): Promise<{ token: string; expiresInSec: number }> {
    const expiresInSec = this.lifetimeSec();
    const account = this.accountOf(claims.user);
    if (!account) throw new Error(`cannot issue an access token: account ${claims.user} does not exist`);
    const jwt = new SignJWT({ ...(claims.patId === null ? {} : { pat: claims.patId }), acct: accountKey(account), epoch: account.epoch })
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
  async verify(token: string): Promise<VerifiedAccountToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return undefined;
      return {
        user: payload.sub,
        patId: typeof payload.pat === 'number' ? payload.pat : null,
        account: typeof payload.acct === 'string' ? payload.acct : null,
        epoch: typeof payload.epoch === 'number' ? payload.epoch : 0,
      };
    } catch {
      return undefined;
    }
  }
}
