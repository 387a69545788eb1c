// A cache of directory reads that can never answer with data older than the database: every entry
// is dropped as soon as the database may have changed. Two signals cover every writer:
//  - this process's own writes: localWriteCount (store/database.ts) counts every statement that may
//    write, except the append-only audit inserts no cached read depends on;
//  - commits by any other connection or process (`bosun server apply` on the same file, a second
//    server): SQLite's `PRAGMA data_version` changes when another connection commits
//    (https://sqlite.org/pragma.html#pragma_data_version), one cheap read per check.
// Both are checked on every read, so a read answered from the cache returns what the database held
// at that moment. The token service reads through it on every grant (bench/token.bench.ts): its
// six indexed queries and two read transactions were a third of a grant's server time.
// Entries must be values computed only from the database (no clock: time-dependent checks such as
// expiry are the caller's, on every use), and callers must not mutate what they get back.
import type { Statement } from 'better-sqlite3';
import { localWriteCount, type Db } from './database.js';

/** Enough for every active user and repository of a large org; reaching it starts afresh. */
const DEFAULT_MAX_ENTRIES = 50_000;

export class DirectoryReadCache {
  private entries = new Map<string, unknown>();
  private readonly dataVersion: Statement<[], number>;
  private seenLocalWrites = -1;
  private seenDataVersion = -1;

  constructor(private readonly db: Db, private readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    // pluck() sets the mode of this statement, which db.prepare shares by SQL text: nothing else runs this SQL.
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Statement<[], number>;
  }

  /**
   * The value of `load()` for `key` as the database holds it now: from the cache while nothing has
   * been written since it was loaded, else loaded again. `undefined` results are not kept.
   */
  read<T>(key: string, load: () => T): T {
    this.dropIfChanged();
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = load();
    if (value !== undefined) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** Empties the cache when anything was written, here or by another connection, since the last check. */
  private dropIfChanged(): void {
    const local = localWriteCount(this.db);
    const data = this.dataVersion.get() as number;
    if (local === this.seenLocalWrites && data === this.seenDataVersion) return;
    this.entries.clear();
    this.seenLocalWrites = local;
    this.seenDataVersion = data;
  }
}
