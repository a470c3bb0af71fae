-- 011: the review queue as a table kept current by the writes that change it
-- (issue 14, item 5). v_review_queue recomputed the newest score of every
-- (article, pledge) and every decision's state on each page view; with 100,000
-- pending candidates that is too slow for a moderator's page. storage/queue_table.py
-- refreshes the rows of the pairs a write touches, in that write's transaction:
-- storing candidates, every decision (undo included) and a catalog save.
-- v_review_queue stays as the definition analysts query; this table holds
-- the same rows, plus the moderators whose skip is in force on each.
CREATE TABLE review_queue (
    article_id    VARCHAR NOT NULL,
    pledge_id     VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,
    evidence      JSON,
    created_at    TIMESTAMPTZ NOT NULL,
    article_title VARCHAR NOT NULL,
    outlet        VARCHAR,
    published     TIMESTAMPTZ,
    url           VARCHAR NOT NULL,
    lead          VARCHAR,
    pledge_title  VARCHAR NOT NULL,
    politician_id VARCHAR NOT NULL,
    politician    VARCHAR,
    skipped_by    VARCHAR[] NOT NULL   -- moderators whose skip of this pair is in force
);
-- One row per (article, pledge), by construction: a refresh deletes the pairs'
-- rows and inserts them again from a query that yields one row per pair. No
-- PRIMARY KEY or index: DuckDB reads every ART index into memory when a
-- connection opens, and the review app opens one per request; at 100,000 rows
-- the primary key alone added about 30 ms to each open (measured while writing
-- bench/review_queue.py), more than any look-up it saves. The sort
-- orders and filters are a top-N over a scan of the few columns they name.

INSERT INTO review_queue
SELECT q.article_id, q.pledge_id, q.model_version, q.score, q.evidence, q.created_at, q.article_title, q.outlet,
       q.published, q.url, q.lead, q.pledge_title, q.politician_id, q.politician,
       coalesce(s.skipped_by, []::VARCHAR[])
FROM v_review_queue q
LEFT JOIN (
    SELECT article_id, pledge_id, list(DISTINCT moderator ORDER BY moderator) AS skipped_by
    FROM v_decisions_in_force WHERE action = 'skip' GROUP BY ALL
) s ON s.article_id = q.article_id AND s.pledge_id = q.pledge_id;
