-- 002: who may moderate, their logins, and the failed attempts that throttle guessing.
-- Decisions themselves stay in the append-only `decisions` table of 001.

-- An account. Only an argon2id hash of the password is kept; disabling keeps the
-- row, because decisions name their moderator forever.
CREATE TABLE moderators (
    name                VARCHAR PRIMARY KEY,
    password_hash       VARCHAR NOT NULL,
    is_admin            BOOLEAN NOT NULL DEFAULT false,
    created_at          TIMESTAMPTZ NOT NULL,
    created_by          VARCHAR,                 -- admin name, or NULL when added on the command line
    password_changed_at TIMESTAMPTZ NOT NULL,
    disabled_at         TIMESTAMPTZ
);

-- A login. The cookie carries a random token; the table only its keyed hash, so a
-- copy of the database file cannot be replayed as a session. Logging out sets
-- revoked_at, which every request checks.
CREATE TABLE sessions (
    token_hash VARCHAR PRIMARY KEY,
    moderator  VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Every login attempt, successful or not: failures in a recent window throttle
-- further attempts for the same name or from the same address. Never a password.
CREATE TABLE login_attempts (
    name         VARCHAR NOT NULL,               -- as typed; may name no account
    client       VARCHAR,                        -- remote address
    attempted_at TIMESTAMPTZ NOT NULL,
    succeeded    BOOLEAN NOT NULL
);
