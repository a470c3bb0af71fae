-- 010: a pledge missing from a new catalog import is retired, never deleted:
-- its candidates, decisions and activities keep pointing at it. NULL = current.
ALTER TABLE pledges ADD COLUMN retired_at TIMESTAMPTZ;
