// Opens the embedded SQLite database in the data dir: WAL (readers never wait on the writer),
// foreign keys on, and every pending migration applied in one transaction before anything else.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'bosun-server.db');
  const db = new Database(path);
  // The store holds password hashes and token digests: owner-only, even in a data dir made by hand
  // with looser permissions (SQLite gives its -wal and -shm files the database file's mode).
  chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, path);
  cachePreparedStatements(db);
  return db;
}

/**
 * Compiling SQL costs more than running these small indexed queries, so each distinct SQL text is
 * prepared once. The store builds SQL only from a fixed set of fragments, so the cache stays small.
 * (better-sqlite3 is synchronous: one statement object is never used by two callers at once.)
 * Every statement that may write (sqlite3_stmt_readonly false) and every `exec` also counts as a
 * change for localWriteCount.
 */
function cachePreparedStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (!statement.readonly && !NOT_READ_BY_CACHED_READS.some((re) => re.test(sql))) countWrites(db, statement);
      cache.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    bumpWrites(db);
    return exec(sql);
  };
}

// ---- change detection for read caches (store/readCache.ts)

/**
 * Bookkeeping writes no cached read depends on do not count as changes (each would otherwise empty
 * the caches many times a second on a busy server):
 *  - inserts into the append-only audit log (decisions never read the log; one per token decision);
 *  - the last-use times of sessions and PATs (for people reading session lists; no decision reads
 *    them; every agent's periodic session check writes one). Exactly these statements.
 */
const NOT_READ_BY_CACHED_READS = [
  /^\s*INSERT\s+INTO\s+audit\s*\(/i,
  /^UPDATE sessions SET last_used_at = \? WHERE id = \?$/,
  /^UPDATE pats SET last_used_at = \? WHERE id = \?$/,
];

const writeCounts = new WeakMap<Db, { n: number }>();

function bumpWrites(db: Db): void {
  const count = writeCounts.get(db);
  if (count) count.n++;
  else writeCounts.set(db, { n: 1 });
}

/** Each run/get/all/iterate of a writing statement bumps the count (before it runs: a failed write counts too). */
function countWrites(db: Db, statement: Database.Statement): void {
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      bumpWrites(db);
      return original(...args);
    };
  }
}

/**
 * How many writing statements this process has run on `db` (other than the bookkeeping above): it changes
 * whenever this connection may have changed what a cached read returned. Commits by other
 * connections are seen through `PRAGMA data_version` instead (store/readCache.ts).
 */
export function localWriteCount(db: Db): number {
  return writeCounts.get(db)?.n ?? 0;
}

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the data dir was written by a newer Bosun (schema ${current}, this one knows ${MIGRATIONS.length}). Upgrade Bosun.`);
  }
  if (current > 0 && current < MIGRATIONS.length) {
    // Before changing the schema of existing data, keep a consistent copy of it (nothing is lost
    // if a migration goes wrong). VACUUM INTO writes a complete database file.
    const backup = `${path}.schema-${current}.bak`;
    if (!existsSync(backup)) db.prepare('VACUUM INTO ?').run(backup);
  }
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}

export const nowIso = (): string => new Date().toISOString();
