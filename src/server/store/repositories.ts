// Repositories ("namespace/name", possibly more path components): public or private.
import type { Visibility } from '../../core/access/accessFacts.js';
import { repositoryNamespace } from '../../core/access/imageCategory.js';
import { nowIso, type Db } from './database.js';

export interface Repository {
  id: number;
  name: string;
  namespace: string;
  visibility: Visibility;
  createdAt: string;
}

interface RepoRow {
  id: number;
  name: string;
  namespace: string;
  visibility: Visibility;
  created_at: string;
}

const toRepo = (r: RepoRow): Repository => ({ id: r.id, name: r.name, namespace: r.namespace, visibility: r.visibility, createdAt: r.created_at });

export class RepositoryStore {
  constructor(private readonly db: Db) {}

  byName(name: string): Repository | undefined {
    const r = this.db.prepare('SELECT * FROM repositories WHERE name = ?').get(name) as RepoRow | undefined;
    return r && toRepo(r);
  }

  list(opts: { namespace?: string; limit?: number; offset?: number } = {}): Repository[] {
    const rows = opts.namespace
      ? this.db.prepare('SELECT * FROM repositories WHERE namespace = ? ORDER BY name LIMIT ? OFFSET ?').all(opts.namespace, opts.limit ?? -1, opts.offset ?? 0)
      : this.db.prepare('SELECT * FROM repositories ORDER BY name LIMIT ? OFFSET ?').all(opts.limit ?? -1, opts.offset ?? 0);
    return (rows as RepoRow[]).map(toRepo);
  }

  /** How many repositories the namespace holds (the first path component, any case). */
  countInNamespace(namespace: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM repositories WHERE namespace = ?').get(namespace) as { n: number }).n;
  }

  create(name: string, visibility: Visibility): Repository {
    const lower = name.toLowerCase();
    this.db
      .prepare('INSERT INTO repositories (name, namespace, visibility, created_at) VALUES (?, ?, ?, ?)')
      .run(lower, repositoryNamespace(lower), visibility, nowIso());
    return this.byName(lower) as Repository;
  }

  setVisibility(id: number, visibility: Visibility): void {
    this.db.prepare('UPDATE repositories SET visibility = ? WHERE id = ?').run(visibility, id);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM repositories WHERE id = ?').run(id).changes > 0;
  }
}
