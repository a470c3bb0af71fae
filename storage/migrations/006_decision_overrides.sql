-- A moderator may replace another moderator's effective decision only by an
-- explicit override the review app asks for; the row says which decision it
-- overrode, so the audit log shows it (issue 13, item 4).
ALTER TABLE decisions ADD COLUMN overrides BIGINT;  -- decision id, when it replaced someone else's
