-- 009: the stage and direction of each activity (issue 15); docs/analysts.md
-- describes the views, docs/stage-codebook.md the stages and directions.
-- A candidate's suggestion sits in its evidence JSON (key "stage", written by
-- the scorer); a decision records what was suggested and what the moderator kept.
ALTER TABLE decisions ADD COLUMN suggested_stage VARCHAR;
ALTER TABLE decisions ADD COLUMN suggested_direction VARCHAR;
ALTER TABLE decisions ADD COLUMN stage VARCHAR;       -- kept: the suggestion confirmed or corrected
ALTER TABLE decisions ADD COLUMN direction VARCHAR;

-- Each candidate's suggested stage and direction, as columns.
CREATE VIEW v_candidate_stages AS
SELECT c.article_id, c.pledge_id, c.model_version, c.created_at,
       c.evidence ->> '$.stage.stage' AS stage,
       TRY_CAST(c.evidence ->> '$.stage.stage_confidence' AS DOUBLE) AS stage_confidence,
       c.evidence ->> '$.stage.direction' AS direction,
       TRY_CAST(c.evidence ->> '$.stage.direction_confidence' AS DOUBLE) AS direction_confidence,
       c.evidence ->> '$.stage.cue' AS cue,
       c.evidence ->> '$.stage.model' AS stage_model
FROM candidates c
WHERE c.evidence ->> '$.stage.stage' IS NOT NULL;

-- Each approved activity with its stage and direction: the moderator's kept
-- values, or the latest suggestion where the decision kept none (approved in
-- bulk, or before 009). stage_rank is 1 (表明) … 6 (実施).
CREATE VIEW v_activity_stages AS
WITH suggested AS (
    SELECT * FROM v_candidate_stages
    QUALIFY row_number() OVER (PARTITION BY article_id, pledge_id ORDER BY created_at DESC, model_version DESC) = 1
)
SELECT
    v.article_id, v.pledge_id, v.politician_id, v.politician, v.pledge_title, v.article_title, v.outlet, v.url,
    coalesce(v.published, v.decided_at) AS activity_at,
    coalesce(d.stage, s.stage) AS stage,
    coalesce(d.direction, s.direction) AS direction,
    CASE WHEN d.stage IS NOT NULL THEN 'moderator' WHEN s.stage IS NOT NULL THEN 'suggested' END AS stage_source,
    s.cue,
    list_position(['表明', '検討', '決定', '予算・法案', '成立', '実施'], coalesce(d.stage, s.stage)) AS stage_rank
FROM v_activities v
JOIN v_link_state l ON l.article_id = v.article_id
    AND (CASE WHEN l.action = 'relink' THEN l.relinked_to ELSE l.pledge_id END) = v.pledge_id
JOIN decisions d ON d.id = l.decision_id
LEFT JOIN suggested s ON s.article_id = v.article_id AND s.pledge_id = l.pledge_id
QUALIFY row_number() OVER (PARTITION BY v.article_id, v.pledge_id ORDER BY v.decided_at DESC) = 1;

-- How far each pledge has come (docs/analysts.md gives the rule): the furthest
-- stage its forward (前進 or 停滞) activities reached, when and by which
-- activity first, and the first 後退 published after the last activity at that
-- stage, which undoes it; the suggested progress figure follows from both.
CREATE VIEW v_pledge_progress AS
WITH staged AS (
    SELECT * FROM v_activity_stages WHERE stage_rank IS NOT NULL
),
furthest AS (
    SELECT pledge_id, max(stage_rank) AS stage_rank FROM staged WHERE direction <> '後退' GROUP BY ALL
),
reached AS (
    SELECT s.pledge_id, s.stage, s.stage_rank, s.activity_at AS reached_at, s.article_id AS reached_by,
           s.article_title AS reached_by_title,
           max(s.activity_at) OVER (PARTITION BY s.pledge_id) AS last_at_stage
    FROM staged s JOIN furthest f ON f.pledge_id = s.pledge_id AND f.stage_rank = s.stage_rank
    WHERE s.direction <> '後退'
    QUALIFY row_number() OVER (PARTITION BY s.pledge_id ORDER BY s.activity_at, s.article_id) = 1
),
setback AS (
    SELECT s.pledge_id, s.activity_at AS undone_at, s.article_id AS undone_by, s.stage AS undone_stage,
           s.stage_rank AS undone_rank
    FROM staged s JOIN reached r ON r.pledge_id = s.pledge_id
    WHERE s.direction = '後退' AND s.activity_at > r.last_at_stage
    QUALIFY row_number() OVER (PARTITION BY s.pledge_id ORDER BY s.activity_at, s.article_id) = 1
),
counted AS (
    SELECT pledge_id, count(*) AS activities, count(*) FILTER (WHERE direction = '後退') AS setbacks
    FROM staged GROUP BY ALL
)
SELECT
    p.politician_id, pol.name AS politician, p.id AS pledge_id, p.title AS pledge_title,
    coalesce(c.activities, 0) AS staged_activities,
    coalesce(c.setbacks, 0) AS setbacks,
    r.stage AS furthest_stage, r.stage_rank AS furthest_rank, r.reached_at, r.reached_by, r.reached_by_title,
    b.undone_at IS NOT NULL AS undone, b.undone_at, b.undone_by, b.undone_stage,
    [0, 10, 25, 40, 60, 80, 100][1 + CASE
        WHEN r.stage_rank IS NULL THEN 0
        WHEN b.undone_at IS NOT NULL THEN least(r.stage_rank, b.undone_rank) - 1
        ELSE r.stage_rank END] AS suggested_progress
FROM pledges p
LEFT JOIN politicians pol ON pol.id = p.politician_id
LEFT JOIN reached r ON r.pledge_id = p.id
LEFT JOIN setback b ON b.pledge_id = p.id
LEFT JOIN counted c ON c.pledge_id = p.id;
