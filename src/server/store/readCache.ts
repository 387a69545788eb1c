// A cache of directory reads that can never answer with data older than the database: every entry
// is dropped as soon as the database may have changed. Two signals cover every writer:
//  - this process's own writes (the admin API, `bosun server apply`, which posts to the server):
//    localWriteCount (store/database.ts) counts every statement that may write, except bookkeeping
//    no cached read depends on (audit inserts, last-use times); checked on every read;
//  - commits by any other connection or process (a second server on the same data dir, a tool
//    opening the file): SQLite's `PRAGMA data_version` changes when another connection commits
//    (https://sqlite.org/pragma.html#pragma_data_version). It costs a read transaction (three
//    system calls), so it is checked once per request, by `checkForChanges()` when the request
//    starts: the request's reads then see every commit made before it started.
// The token service reads through it on every grant (bench/token.bench.ts): its six indexed
// queries and two read transactions were a third of a grant's server time. Measured 2026-12-05
// (BENCHMARKS.md, "After the server restructuring"): 287 µs of main thread per grant without it,
// 156 µs with it.
// Entries must be values computed only from the database (no clock: time-dependent checks such as
// expiry are the caller's, on every use), and callers must not change anything a decision reads
// in what they get back.
import type { Statement } from 'better-sqlite3';
import { localWriteCount, type Db } from './database.js';

/** Enough for every active user and repository of a large org; reaching it starts afresh. */
const DEFAULT_MAX_ENTRIES = 50_000;

export class DirectoryReadCache {
  private entries = new Map<string, unknown>();
  private readonly dataVersion: Statement<[], number>;
  private seenLocalWrites = -1;
  private seenDataVersion = -1;

  constructor(
    private readonly db: Db,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    // pluck() sets the mode of this statement, which db.prepare shares by SQL text: nothing else runs this SQL.
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Statement<[], number>;
  }

  /**
   * Drops every entry if another connection has committed since the last check (or this process
   * has written). Call it when a request starts, before the request's reads.
   */
  checkForChanges(): void {
    const data = this.dataVersion.get() as number;
    if (data !== this.seenDataVersion) {
      this.entries.clear();
      this.seenDataVersion = data;
    }
    this.dropIfWrittenHere();
  }

  /**
   * The value of `load()` for `key`: from the cache while nothing has been written since it was
   * loaded (this process's writes are checked here; other connections' at `checkForChanges()`),
   * else loaded again. `undefined` results are not kept.
   */
  read<T>(key: string, load: () => T): T {
    this.dropIfWrittenHere();
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = load();
    if (value !== undefined) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  private dropIfWrittenHere(): void {
    const local = localWriteCount(this.db);
    if (local === this.seenLocalWrites) return;
    this.entries.clear();
    this.seenLocalWrites = local;
  }
}
