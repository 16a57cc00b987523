-- Limits that hold under attack: single-use 2FA challenges with a few codes each, a grace for
-- the refresh token a concurrent refresh just replaced, single-use event-stream tickets, and
-- the indexes the retention sweep deletes by.
--
-- PostgreSQL form: INTEGER is BIGINT, BLOB is BYTEA.

-- One row per 2FA challenge token (the token's `sid` claim is the id): spent by a successful
-- code, and refused after `codes_tried` reaches the limit.
CREATE TABLE two_factor_challenges (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    codes_tried  BIGINT NOT NULL DEFAULT 0,
    used_at      BIGINT
);
CREATE INDEX two_factor_challenges_expiry ON two_factor_challenges (expires_at);

-- The token that replaced this one, sealed with a key of the data dir: a second tab presenting
-- the replaced token within the grace gets the same replacement instead of ending the session.
ALTER TABLE refresh_tokens ADD COLUMN replacement_sealed BYTEA;

-- A ticket opens the event stream once, within seconds; the stream ends when the session ends
-- or the access token that asked for the ticket expires (`stream_until`).
CREATE TABLE stream_tickets (
    ticket_hash   BYTEA PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    stream_until  BIGINT NOT NULL,
    used_at       BIGINT
);
CREATE INDEX stream_tickets_expiry ON stream_tickets (expires_at);

CREATE INDEX login_attempts_time ON login_attempts (created_at);
