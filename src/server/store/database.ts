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
 */
function cachePreparedStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
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
