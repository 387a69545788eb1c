// The server's store: one SQLite database in the data dir, seen through one small class per kind
// of entity. `transaction` runs a function atomically (better-sqlite3 transactions are synchronous).
import { openDatabase, type Db } from './database.js';
import { AuditLog } from './audit.js';
import { GrantStore } from './grants.js';
import { OrgStore } from './orgs.js';
import { RepositoryStore } from './repositories.js';
import { loadOrCreateKeys, type ServerKeys } from './secrets.js';
import { SessionStore } from './sessions.js';
import { SettingsStore } from './settings.js';
import { PatStore } from './tokens.js';
import { UserStore } from './users.js';

export class Store {
  readonly users: UserStore;
  readonly orgs: OrgStore;
  readonly grants: GrantStore;
  readonly repositories: RepositoryStore;
  readonly settings: SettingsStore;
  readonly pats: PatStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;

  private constructor(
    readonly db: Db,
    readonly keys: ServerKeys,
    readonly dataDir: string,
  ) {
    this.users = new UserStore(db);
    this.orgs = new OrgStore(db);
    this.grants = new GrantStore(db);
    this.repositories = new RepositoryStore(db);
    this.settings = new SettingsStore(db);
    this.pats = new PatStore(db, keys.tokenHmac);
    this.sessions = new SessionStore(db, keys.tokenHmac);
    this.audit = new AuditLog(db);
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Opens (creating and migrating as needed) the store in `dataDir`. */
  static open(dataDir: string): Store {
    const db = openDatabase(dataDir);
    return new Store(db, loadOrCreateKeys(dataDir), dataDir);
  }

  /**
   * One transaction function for every call: better-sqlite3 builds a wrapper (and its deferred,
   * immediate and exclusive variants) per `db.transaction`, which showed in the token service's
   * profile. Nested calls still become savepoints.
   */
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  /** Runs `fn` in one transaction: everything or nothing. */
  transaction<T>(fn: () => T): T {
    return this.runInTransaction(fn) as T;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
