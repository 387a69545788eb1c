// The identity in the OS keychain (Keychain, Credential Manager, Secret Service) through keytar.
// One entry per (server, user, org), holding the secret; plus an index entry naming the current
// session, without any secret, so `load` finds it. Nothing is ever written anywhere else.
import type { Session } from '../core/agent/agentState.js';
import type { IdentityPort, StoredIdentity } from './ports.js';

export const KEYCHAIN_SERVICE = 'bosun';
/** The index entry's account name; it cannot clash with an entry, which always contains a server URL. */
export const CURRENT_ACCOUNT = 'current-session';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The keychain account name of a session's entry. */
export function entryAccount(session: Session): string {
  return JSON.stringify([session.server, session.user, session.org]);
}

export class KeychainError extends Error {
  override name = 'KeychainError';
}

/**
 * keytar itself cannot be loaded: a native module, so it is absent from the installed `bosun`
 * single executable (only the app, which runs the agent, ships it).
 */
export class KeychainUnavailableError extends KeychainError {
  override name = 'KeychainUnavailableError';
}

export class KeychainIdentityStore implements IdentityPort {
  private keytar: Promise<Keytar> | undefined;

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  async load(): Promise<StoredIdentity | undefined> {
    const kt = await this.module();
    const index = await this.call(() => kt.getPassword(this.service, CURRENT_ACCOUNT));
    if (!index) return undefined;
    const head = parseIndex(index);
    if (!head) {
      // A damaged index holds no secret; dropping it only means signing in again.
      await this.call(() => kt.deletePassword(this.service, CURRENT_ACCOUNT));
      return undefined;
    }
    const secret = await this.call(() => kt.getPassword(this.service, entryAccount(head.session)));
    if (!secret) return undefined;
    return { session: head.session, kind: head.kind, secret };
  }

  async save(identity: StoredIdentity): Promise<void> {
    const kt = await this.module();
    // The entry first: an index must never point at a missing entry after a crash between the two.
    await this.call(() => kt.setPassword(this.service, entryAccount(identity.session), identity.secret));
    const index = JSON.stringify({ session: identity.session, kind: identity.kind });
    await this.call(() => kt.setPassword(this.service, CURRENT_ACCOUNT, index));
  }

  async erase(session: Session): Promise<void> {
    const kt = await this.module();
    await this.call(() => kt.deletePassword(this.service, entryAccount(session)));
    const index = await this.call(() => kt.getPassword(this.service, CURRENT_ACCOUNT));
    const head = index ? parseIndex(index) : undefined;
    if (index && (!head || entryAccount(head.session) === entryAccount(session))) {
      await this.call(() => kt.deletePassword(this.service, CURRENT_ACCOUNT));
    }
  }

  /** keytar is native: loaded on first use, so a process that never touches the keychain never loads it. */
  private module(): Promise<Keytar> {
    this.keytar ??= import('keytar').then(
      (m) => (m as { default?: Keytar }).default ?? (m as unknown as Keytar),
      (err: unknown) => {
        throw new KeychainUnavailableError(`the keytar module cannot be loaded here (${err instanceof Error ? err.message : String(err)})`);
      },
    );
    return this.keytar;
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new KeychainError(
        `the OS keychain refused the request (${why}); on Linux, check that a Secret Service (gnome-keyring, KWallet) is running and unlocked`,
      );
    }
  }
}

function parseIndex(text: string): { session: Session; kind: StoredIdentity['kind'] } | undefined {
  try {
    const v = JSON.parse(text) as { session?: Partial<Session>; kind?: unknown };
    const s = v.session;
    if (!s || typeof s.server !== 'string' || typeof s.user !== 'string' || typeof s.org !== 'string') return undefined;
    if (v.kind !== 'refresh' && v.kind !== 'pat') return undefined;
    return { session: { server: s.server, user: s.user, org: s.org }, kind: v.kind };
  } catch {
    return undefined;
  }
}
