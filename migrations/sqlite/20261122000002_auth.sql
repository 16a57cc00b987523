-- Users, sessions, refresh tokens, 2FA backup codes, login attempts and security events.
-- Ids are TEXT UUIDs; timestamps INTEGER epoch milliseconds (UTC).

CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
    email               TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    username            TEXT NOT NULL CHECK (length(username) BETWEEN 3 AND 50),
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    role                TEXT NOT NULL DEFAULT 'technician' CHECK (role IN
                            ('admin', 'supervisor', 'technician', 'viewer', 'operator', 'plant_head', 'auditor')),
    phone               TEXT,
    -- Argon2id PHC string (algorithm, parameters and salt included).
    password_hash       TEXT NOT NULL,
    is_active           INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    banned_at           INTEGER,
    ban_reason          TEXT,
    two_factor_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (two_factor_enabled IN (0, 1)),
    -- XChaCha20-Poly1305 (nonce || ciphertext) of the TOTP secret, keyed from the data dir.
    -- Set by setup, used for login only once confirmed (two_factor_enabled = 1).
    two_factor_secret   BLOB,
    -- Last TOTP time step accepted, so a code cannot be replayed within its window.
    two_factor_last_step INTEGER,
    last_login_at       INTEGER,
    login_count         INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    deleted_at          INTEGER,
    deleted_by          TEXT REFERENCES users (id),
    CHECK (two_factor_enabled = 0 OR two_factor_secret IS NOT NULL)
) STRICT;

-- A soft-deleted user releases their email and username.
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_username_live ON users (username COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX users_role ON users (role) WHERE deleted_at IS NULL;

-- One row per login. Revoking it (logout, admin, ban, password change, refresh reuse) makes
-- its access and refresh tokens stop working at once.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent      TEXT,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    revoke_reason   TEXT CHECK (revoke_reason IN
                        ('logout', 'revoked', 'revoked_by_admin', 'other_sessions_revoked', 'user_banned',
                         'user_deleted', 'password_changed', 'refresh_reuse', 'role_changed'))
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id, revoked_at);

-- Refresh tokens are single use. The session is the token family: presenting a spent token
-- revokes the session, and with it every token of the family.
CREATE TABLE refresh_tokens (
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash  BLOB PRIMARY KEY NOT NULL,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Single-use 2FA backup codes, stored as HMAC-SHA256 under a key from the data dir.
CREATE TABLE two_factor_backup_codes (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    used_at     INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Every login attempt, for lockout and audit. Keyed by the normalised email so that unknown
-- emails are counted (and locked) exactly like known ones.
CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL,
    user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    succeeded   INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX login_attempts_email_time ON login_attempts (email, created_at);

-- An email locked out after too many failures, until `locked_until`.
CREATE TABLE login_lockouts (
    email        TEXT PRIMARY KEY NOT NULL,
    locked_at    INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
) STRICT;

CREATE TABLE security_events (
    id              TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('login_succeeded', 'login_failed', 'account_locked', 'refresh_reuse', 'logout',
                         'session_revoked', 'two_factor_enabled', 'two_factor_disabled',
                         'backup_codes_regenerated', 'backup_code_used', 'user_created', 'user_updated',
                         'role_changed', 'user_banned', 'user_unbanned', 'user_deleted',
                         'password_changed', 'password_reset', 'admin_bootstrapped', 'user_signed_up',
                         'settings_changed')),
    -- Whom the event is about, and who caused it (NULL: unauthenticated).
    user_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    actor_id        TEXT REFERENCES users (id) ON DELETE SET NULL,
    email           TEXT,
    details         TEXT CHECK (details IS NULL OR json_valid(details)),
    correlation_id  TEXT,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX security_events_time ON security_events (created_at);
CREATE INDEX security_events_user ON security_events (user_id, created_at);
