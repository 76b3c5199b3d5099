-- Sign-in throttling: one row per user (tenant + lower-cased username) and per client
-- address. An attempt is counted by one atomic upsert before the password is checked, so
-- parallel guesses cannot all slip past the limit; past a threshold each further attempt
-- must wait a delay that doubles up to a cap (progressive delays, not a hard lockout).
CREATE TABLE login_throttles (
  key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  blocked_until timestamptz,
  last_attempt_at timestamptz NOT NULL DEFAULT now()
);
-- Forgotten rows are pruned a few at a time by later attempts, oldest first.
CREATE INDEX login_throttles_last_attempt ON login_throttles (last_attempt_at);

-- Service accounts: users that never sign in interactively, act only through API tokens,
-- and hold exactly the permissions an admin gave them (no roles, no password).
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'person'
  CHECK (kind IN ('person', 'service'));
ALTER TABLE users ADD COLUMN permissions text[] NOT NULL DEFAULT '{}';
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_password_by_kind
  CHECK ((kind = 'person') = (password_hash IS NOT NULL));
