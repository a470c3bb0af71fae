-- The decision in force, defined once (issue 16, item 4): a decision that is
-- not an undo and that no undo has taken back. Skips are in force too (the
-- moderator's queue hides them); the latest approve/reject/re-link in force on
-- a link is that link's state, v_link_state, which decide() checks against.
CREATE VIEW v_decisions_in_force AS
SELECT d.*
FROM decisions d
ANTI JOIN (SELECT undoes FROM decisions WHERE action = 'undo') u ON u.undoes = d.id
WHERE d.action <> 'undo';

CREATE OR REPLACE VIEW v_link_state AS
SELECT article_id, pledge_id, action, relinked_to, moderator, decided_at, note, id AS decision_id
FROM v_decisions_in_force
WHERE action IN ('approve', 'reject', 'relink')
QUALIFY row_number() OVER (PARTITION BY article_id, pledge_id ORDER BY decided_at DESC, id DESC) = 1;
