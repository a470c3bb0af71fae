-- 003: more views for analysts; docs/analysts.md gives each view's columns, grain and example queries.
-- Weeks are ISO weeks (starting Monday) and days are dates in Asia/Tokyo. An
-- article without a publication time is placed by the time it was fetched.

-- News per politician, week and outlet: suggested by the model, approved by moderators.
CREATE VIEW v_politician_coverage AS
WITH dated AS (
    SELECT id, outlet, timezone('Asia/Tokyo', coalesce(published, fetched_at)) AS at_jst
    FROM articles
    WHERE dup_of IS NULL
),
suggested AS (
    SELECT p.politician_id, date_trunc('week', a.at_jst)::DATE AS week, a.outlet,
           count(DISTINCT c.article_id) AS articles_suggested,
           count(DISTINCT c.pledge_id) AS pledges_suggested
    FROM candidates c
    JOIN pledges p ON p.id = c.pledge_id
    JOIN dated a ON a.id = c.article_id
    GROUP BY ALL
),
approved AS (
    SELECT v.politician_id, date_trunc('week', a.at_jst)::DATE AS week, a.outlet,
           count(DISTINCT v.article_id) AS articles_approved,
           count(DISTINCT v.pledge_id) AS pledges_with_activity
    FROM v_activities v
    JOIN dated a ON a.id = v.article_id
    GROUP BY ALL
)
SELECT
    coalesce(s.politician_id, a.politician_id) AS politician_id,
    pol.name AS politician,
    pol.party,
    coalesce(s.week, a.week) AS week,
    coalesce(s.outlet, a.outlet) AS outlet,
    coalesce(s.articles_suggested, 0) AS articles_suggested,
    coalesce(s.pledges_suggested, 0) AS pledges_suggested,
    coalesce(a.articles_approved, 0) AS articles_approved,
    coalesce(a.pledges_with_activity, 0) AS pledges_with_activity
FROM suggested s
FULL OUTER JOIN approved a
    ON a.politician_id = s.politician_id AND a.week = s.week AND a.outlet IS NOT DISTINCT FROM s.outlet
LEFT JOIN politicians pol ON pol.id = coalesce(s.politician_id, a.politician_id);

-- Each source's fetches per day: what worked, what failed and how, what it brought.
CREATE VIEW v_source_health_daily AS
WITH fetched AS (
    SELECT source_id, timezone('Asia/Tokyo', fetched_at)::DATE AS day,
           count(*) AS fetches,
           count(*) FILTER (WHERE outcome = 'ok') AS ok,
           count(*) FILTER (WHERE outcome IN ('not_modified', 'unchanged', 'known')) AS unchanged,
           count(*) FILTER (WHERE outcome = 'error') AS errors,
           count(*) FILTER (WHERE outcome = 'skipped') AS skipped,
           count(*) FILTER (WHERE role = 'feed' AND outcome = 'error') AS feed_errors,
           histogram(error_kind) FILTER (WHERE outcome = 'error') AS errors_by_kind,
           round(median(elapsed_ms) FILTER (WHERE outcome = 'ok'), 1) AS median_ms,
           coalesce(sum(bytes), 0)::BIGINT AS bytes
    FROM fetches
    WHERE source_id IS NOT NULL
    GROUP BY ALL
),
stored AS (
    SELECT source_id, timezone('Asia/Tokyo', fetched_at)::DATE AS day,
           count(*) AS articles, count(*) FILTER (WHERE dup_of IS NOT NULL) AS duplicates
    FROM articles
    WHERE source_id IS NOT NULL
    GROUP BY ALL
)
SELECT f.source_id, s.outlet, f.day, f.fetches, f.ok, f.unchanged, f.errors, f.skipped, f.feed_errors,
       round(f.errors / f.fetches, 4) AS error_rate, f.errors_by_kind, f.median_ms, f.bytes,
       coalesce(a.articles, 0) AS articles, coalesce(a.duplicates, 0) AS duplicates
FROM fetched f
LEFT JOIN stored a ON a.source_id = f.source_id AND a.day = f.day
LEFT JOIN sources s ON s.id = f.source_id;

-- How each model version does with moderators, by the week of the decision:
-- the current decision on each link it suggested, with the score it gave.
CREATE VIEW v_model_performance AS
WITH decided AS (
    SELECT d.model_version, date_trunc('week', timezone('Asia/Tokyo', d.decided_at))::DATE AS week,
           s.action, d.score
    FROM v_link_state s
    JOIN decisions d ON d.id = s.decision_id
    WHERE d.model_version IS NOT NULL
),
judged AS (
    SELECT model_version, week,
           count(*) AS decided,
           count(*) FILTER (WHERE action = 'approve') AS approved,
           count(*) FILTER (WHERE action = 'reject') AS rejected,
           count(*) FILTER (WHERE action = 'relink') AS relinked,
           count(*) FILTER (WHERE score >= 0.5) AS decided_above_half,
           count(*) FILTER (WHERE score >= 0.5 AND action = 'approve') AS approved_above_half,
           round(avg(score) FILTER (WHERE action = 'approve'), 4) AS mean_score_approved,
           round(avg(score) FILTER (WHERE action <> 'approve'), 4) AS mean_score_not_approved
    FROM decided
    GROUP BY ALL
),
suggested AS (
    SELECT model_version, date_trunc('week', timezone('Asia/Tokyo', created_at))::DATE AS week,
           count(*) AS suggested
    FROM candidates
    GROUP BY ALL
)
SELECT
    coalesce(j.model_version, s.model_version) AS model_version,
    m.kind AS model_kind,
    m.promoted,
    coalesce(j.week, s.week) AS week,
    coalesce(s.suggested, 0) AS suggested,
    coalesce(j.decided, 0) AS decided,
    coalesce(j.approved, 0) AS approved,
    coalesce(j.rejected, 0) AS rejected,
    coalesce(j.relinked, 0) AS relinked,
    round(j.approved / nullif(j.decided, 0), 4) AS precision,
    round(j.approved_above_half / nullif(j.decided_above_half, 0), 4) AS precision_above_half,
    j.mean_score_approved,
    j.mean_score_not_approved
FROM judged j
FULL OUTER JOIN suggested s ON s.model_version = j.model_version AND s.week = j.week
LEFT JOIN model_versions m ON m.version = coalesce(j.model_version, s.model_version);

-- One row per pipeline run, with the counts the operator reads as columns.
CREATE VIEW v_runs AS
SELECT
    id AS run_id,
    kind,
    status,
    started_at,
    finished_at,
    round(date_diff('millisecond', started_at, finished_at) / 1000.0, 1) AS seconds,
    coalesce((counts->>'pages_ok')::BIGINT, 0) AS pages_fetched,
    coalesce((counts->>'inserted')::BIGINT, 0) AS articles_inserted,
    coalesce((counts->>'duplicates')::BIGINT, 0) AS duplicates,
    coalesce((counts->>'scored')::BIGINT, 0) AS articles_scored,
    coalesce((counts->>'candidates')::BIGINT, 0) AS candidates,
    coalesce(list_sum(list_transform(json_extract(errors, '$.*'), lambda x: x::BIGINT)), 0)::BIGINT AS errors,
    counts,
    errors AS errors_by_kind,
    source_health,
    message
FROM runs;
