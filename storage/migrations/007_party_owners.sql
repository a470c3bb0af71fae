-- A pledge can be owned by a party (its manifesto items) as well as by a
-- person; the owner stays in `politicians`, told apart by `kind`, so every
-- view and the review app that join pledges to their owner keep working.
ALTER TABLE politicians ADD COLUMN kind VARCHAR DEFAULT 'person';
UPDATE politicians SET kind = 'person' WHERE kind IS NULL;
