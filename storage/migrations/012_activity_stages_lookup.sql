-- 012: v_activity_stages looks up the suggestion of the approved and re-linked
-- pairs only, and reads each link's state once. Until now its `suggested` step
-- ranked every candidate's stage (reading the evidence JSON of all of them)
-- before joining the few that were approved, and it joined v_activities back
-- to v_link_state, which v_activities is made from: at 110,000 candidates that
-- was most of each read of v_pledge_progress, which the progress page makes
-- (issue 14, item 5). The rows are the same (v_activities' columns, from the
-- link state each activity comes from; the suggestion, from the latest
-- candidate of the pair that carries a stage).
CREATE OR REPLACE VIEW v_activity_stages AS
WITH linked AS (
    SELECT s.article_id, CASE WHEN s.action = 'relink' THEN s.relinked_to ELSE s.pledge_id END AS pledge_id,
           p.politician_id, pol.name AS politician, p.title AS pledge_title, a.title AS article_title, a.outlet,
           a.url, a.published, s.decided_at, s.pledge_id AS suggested_for, s.decision_id
    FROM v_link_state s
    JOIN articles a ON a.id = s.article_id
    JOIN pledges p ON p.id = CASE WHEN s.action = 'relink' THEN s.relinked_to ELSE s.pledge_id END
    LEFT JOIN politicians pol ON pol.id = p.politician_id
    WHERE s.action IN ('approve', 'relink')
),
suggested AS (
    SELECT c.article_id, c.pledge_id, c.evidence ->> '$.stage.stage' AS stage,
           c.evidence ->> '$.stage.direction' AS direction, c.evidence ->> '$.stage.cue' AS cue
    FROM candidates c
    SEMI JOIN linked k ON k.article_id = c.article_id AND k.suggested_for = c.pledge_id
    QUALIFY row_number() OVER (PARTITION BY c.article_id, c.pledge_id
                               ORDER BY c.evidence ->> '$.stage.stage' IS NULL, c.created_at DESC,
                                        c.model_version DESC) = 1
)
SELECT
    v.article_id, v.pledge_id, v.politician_id, v.politician, v.pledge_title, v.article_title, v.outlet, v.url,
    coalesce(v.published, v.decided_at) AS activity_at,
    coalesce(d.stage, s.stage) AS stage,
    coalesce(d.direction, s.direction) AS direction,
    CASE WHEN d.stage IS NOT NULL THEN 'moderator' WHEN s.stage IS NOT NULL THEN 'suggested' END AS stage_source,
    s.cue,
    list_position(['表明', '検討', '決定', '予算・法案', '成立', '実施'], coalesce(d.stage, s.stage)) AS stage_rank
FROM linked v
JOIN decisions d ON d.id = v.decision_id
LEFT JOIN suggested s ON s.article_id = v.article_id AND s.pledge_id = v.suggested_for AND s.stage IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY v.article_id, v.pledge_id ORDER BY v.decided_at DESC) = 1;
