// The store's schema, as numbered migrations applied in order at start (PRAGMA user_version holds
// the last one applied). A migration is never edited once released; add a new one instead.
//
// One source of truth for ownership: an org's owners are the members of its `owners` team. The
// org_members.role column holds only member or editor; the owner role is derived from the team.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT,
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('superuser', 'admin', 'user')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    iam_enabled INTEGER NOT NULL DEFAULT 0,
    iam_allow_official INTEGER NOT NULL DEFAULT 1,
    iam_allow_verified INTEGER NOT NULL DEFAULT 1,
    iam_allowlist TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
  );
  CREATE TABLE org_members (
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'editor')),
    PRIMARY KEY (org_id, user_id)
  );
  CREATE INDEX org_members_by_user ON org_members(user_id);
  CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, name)
  );
  CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
  );
  CREATE INDEX team_members_by_user ON team_members(user_id);
  CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    team_id INTEGER REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('repository', 'namespace')),
    target TEXT NOT NULL COLLATE NOCASE,
    level TEXT NOT NULL CHECK (level IN ('none', 'read', 'write', 'admin')),
    CHECK ((team_id IS NULL) <> (user_id IS NULL))
  );
  CREATE UNIQUE INDEX grants_of_team ON grants(team_id, target_kind, target) WHERE team_id IS NOT NULL;
  CREATE UNIQUE INDEX grants_of_user ON grants(user_id, target_kind, target) WHERE user_id IS NOT NULL;
  CREATE INDEX grants_by_target ON grants(target);
  CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    namespace TEXT NOT NULL COLLATE NOCASE,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    created_at TEXT NOT NULL
  );
  CREATE INDEX repositories_by_namespace ON repositories(namespace);
  CREATE TABLE registries (host TEXT PRIMARY KEY COLLATE NOCASE, service TEXT NOT NULL);
  CREATE TABLE pats (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
  );
  CREATE INDEX pats_by_user ON pats(user_id);
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    pat_id INTEGER REFERENCES pats(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE INDEX sessions_by_user ON sessions(user_id);
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    ip TEXT,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL DEFAULT 'ok',
    detail TEXT
  );
  CREATE INDEX audit_by_time ON audit(at);
  `,
  // 2: a session's org becomes optional. The registry token service issues refresh tokens for
  // `docker login` (offline_token=true) where no org session was chosen; those decide with the IAM
  // of every org the user is in.
  `
  CREATE TABLE sessions_v2 (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    device_name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    pat_id INTEGER REFERENCES pats(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  INSERT INTO sessions_v2 SELECT id, user_id, org_id, device_id, device_name, token_hash, pat_id, created_at, last_used_at, revoked_at FROM sessions;
  DROP TABLE sessions;
  ALTER TABLE sessions_v2 RENAME TO sessions;
  CREATE INDEX sessions_by_user ON sessions(user_id);
  `,
  // 3: one home for refresh tokens. A `docker login` refresh token (offline access at the registry
  // token service) becomes a session of kind 'docker-login': no org, no device, the registry
  // client's client_id, and the PAT it was minted from (it dies with that PAT). The rows of the
  // token service's former table, registry_refresh_tokens (created outside the migrations, so it
  // may be absent), move here for the record, revoked: that table recorded no PAT, and a token
  // minted from a read-only PAT carried none of its scopes and outlived its revocation, so none of
  // them can be trusted. Their users run `docker login` once more.
  // users.token_epoch: bumped by "sign out everywhere" (and a password change or a disable); an
  // account access token carries the epoch it was issued in and is refused once it is behind.
  `
  ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'docker-login'));
  ALTER TABLE sessions ADD COLUMN client_id TEXT;
  CREATE INDEX sessions_by_device ON sessions(user_id, device_id) WHERE kind = 'agent' AND revoked_at IS NULL;
  CREATE TABLE IF NOT EXISTS registry_refresh_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  INSERT INTO sessions (user_id, org_id, kind, device_id, device_name, client_id, token_hash, pat_id, created_at, last_used_at, revoked_at)
    SELECT user_id, NULL, 'docker-login', '', 'docker login', client_id, token_hash, NULL, created_at, last_used_at,
      COALESCE(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    FROM registry_refresh_tokens ORDER BY id;
  DROP TABLE registry_refresh_tokens;
  ALTER TABLE users ADD COLUMN token_epoch INTEGER NOT NULL DEFAULT 0;
  `,
];
