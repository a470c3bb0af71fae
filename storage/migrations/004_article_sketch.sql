-- 004: a bottom-k MinHash sketch of each article's 3-grams (crawling/dedupe.py):
-- duplicate detection estimates the similarity of a nominated pair from the
-- two sketches and loads bodies only when the estimate is close. Articles
-- stored before this have NULL and get their sketch from the body when needed.
ALTER TABLE articles ADD COLUMN sketch BLOB;
