-- 001: the core tables of DESIGN §4 and the analyst views.
-- Natural keys everywhere so every step can be re-run without duplicates.

CREATE TABLE sources (
    id                   VARCHAR PRIMARY KEY,
    outlet               VARCHAR NOT NULL,
    kind                 VARCHAR NOT NULL,
    url                  VARCHAR NOT NULL,
    is_local             BOOLEAN NOT NULL DEFAULT false,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    suspended_at         TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_error_at        TIMESTAMPTZ,
    last_error           VARCHAR,
    updated_at           TIMESTAMPTZ NOT NULL
);

-- One row per URL fetched per run: the crawl's audit trail.
CREATE TABLE fetches (
    run_id        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    source_id     VARCHAR,
    role          VARCHAR NOT NULL,          -- feed | page | robots
    final_url     VARCHAR,
    status        INTEGER,
    outcome       VARCHAR NOT NULL,          -- ok | not_modified | known | error | skipped
    error_kind    VARCHAR,
    error_message VARCHAR,
    etag          VARCHAR,
    last_modified VARCHAR,
    content_type  VARCHAR,
    bytes         BIGINT,
    sha256        VARCHAR,
    elapsed_ms    DOUBLE,
    fetched_at    TIMESTAMPTZ NOT NULL,
    retried       VARCHAR,                   -- error kinds of failed attempts a retry recovered from
    PRIMARY KEY (run_id, url)
);

-- The latest validators per URL, sent back as If-None-Match / If-Modified-Since.
CREATE TABLE url_state (
    url             VARCHAR PRIMARY KEY,
    etag            VARCHAR,
    last_modified   VARCHAR,
    sha256          VARCHAR,
    last_status     INTEGER,
    last_outcome    VARCHAR,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_fetched_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE articles (
    id             VARCHAR PRIMARY KEY,      -- sha256(canonical url)[:16]
    url            VARCHAR NOT NULL UNIQUE,  -- canonical URL
    fetched_url    VARCHAR,
    source_id      VARCHAR,
    outlet         VARCHAR,
    title          VARCHAR NOT NULL,
    body           VARCHAR NOT NULL,
    lead           VARCHAR,
    published      TIMESTAMPTZ,
    lang           VARCHAR,
    content_hash   VARCHAR NOT NULL,         -- sha256 of the NFKC-normalised body
    simhash        UBIGINT,
    dup_of         VARCHAR,                  -- article id of the first copy of the same story
    extractor_rule VARCHAR,
    run_id         VARCHAR,
    fetched_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE politicians (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    reading    VARCHAR,
    aliases    VARCHAR[],
    party      VARCHAR,
    roles      JSON,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE pledges (
    id            VARCHAR PRIMARY KEY,
    politician_id VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    description   VARCHAR,
    keywords      VARCHAR[],
    made_on       DATE,
    source_url    VARCHAR,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE model_versions (
    version      VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,           -- cold-start | pairwise
    path         VARCHAR,
    trained_at   TIMESTAMPTZ,
    data_hash    VARCHAR,
    label_counts JSON,
    metrics      JSON,
    promoted     BOOLEAN NOT NULL DEFAULT false,
    reason       VARCHAR,
    recorded_at  TIMESTAMPTZ NOT NULL
);

-- A suggestion: article × pledge as scored by one model version.
CREATE TABLE candidates (
    article_id    VARCHAR NOT NULL,
    pledge_id     VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,
    evidence      JSON,
    run_id        VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, pledge_id, model_version)
);

-- Which model version has looked at which article, so a crashed run's rerun
-- scores exactly the articles that were not scored yet.
CREATE TABLE scored_articles (
    article_id    VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    candidates    INTEGER NOT NULL,
    run_id        VARCHAR,
    scored_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, model_version)
);

-- Append-only audit of moderator decisions; the current state of a link is its latest row.
CREATE SEQUENCE decision_ids START 1;
CREATE TABLE decisions (
    id              BIGINT PRIMARY KEY DEFAULT nextval('decision_ids'),
    article_id      VARCHAR NOT NULL,
    pledge_id       VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,        -- approve | reject | relink | skip | undo
    relinked_to     VARCHAR,                 -- pledge id, with action = relink
    moderator       VARCHAR NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL,
    note            VARCHAR,
    previous_action VARCHAR,
    model_version   VARCHAR,
    score           DOUBLE,
    undoes          BIGINT                   -- decision id, with action = undo
);

CREATE TABLE runs (
    id            VARCHAR PRIMARY KEY,
    flow_run_id   VARCHAR,
    kind          VARCHAR NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,          -- running | completed | failed | crashed
    counts        JSON,
    errors        JSON,
    source_health JSON,
    message       VARCHAR
);

-- Latest decision per (article, pledge), ignoring skips and undone decisions.
CREATE VIEW v_link_state AS
WITH effective AS (
    SELECT d.*
    FROM decisions d
    WHERE d.action IN ('approve', 'reject', 'relink')
      AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.action = 'undo' AND u.undoes = d.id)
)
SELECT article_id, pledge_id, action, relinked_to, moderator, decided_at, note, id AS decision_id
FROM effective
QUALIFY row_number() OVER (PARTITION BY article_id, pledge_id ORDER BY decided_at DESC, id DESC) = 1;

-- Approved activities: approvals, plus the target pledge of a re-link.
CREATE VIEW v_activities AS
SELECT
    s.article_id,
    CASE WHEN s.action = 'relink' THEN s.relinked_to ELSE s.pledge_id END AS pledge_id,
    p.politician_id,
    pol.name AS politician,
    p.title AS pledge_title,
    a.title AS article_title,
    a.outlet,
    a.published,
    a.url,
    a.lead,
    s.moderator,
    s.decided_at,
    s.note
FROM v_link_state s
JOIN articles a ON a.id = s.article_id
JOIN pledges p ON p.id = CASE WHEN s.action = 'relink' THEN s.relinked_to ELSE s.pledge_id END
LEFT JOIN politicians pol ON pol.id = p.politician_id
WHERE s.action IN ('approve', 'relink');

-- Pending suggestions, best first: the newest model's score for each undecided pair.
CREATE VIEW v_review_queue AS
WITH latest AS (
    SELECT c.*
    FROM candidates c
    QUALIFY row_number() OVER (PARTITION BY c.article_id, c.pledge_id ORDER BY c.created_at DESC, c.model_version DESC) = 1
)
SELECT
    l.article_id, l.pledge_id, l.model_version, l.score, l.evidence, l.created_at,
    a.title AS article_title, a.outlet, a.published, a.url, a.lead,
    p.title AS pledge_title, p.politician_id, pol.name AS politician
FROM latest l
JOIN articles a ON a.id = l.article_id
JOIN pledges p ON p.id = l.pledge_id
LEFT JOIN politicians pol ON pol.id = p.politician_id
WHERE a.dup_of IS NULL
  AND NOT EXISTS (SELECT 1 FROM v_link_state s WHERE s.article_id = l.article_id AND s.pledge_id = l.pledge_id)
ORDER BY l.score DESC, a.published DESC NULLS LAST;

-- News coverage per pledge and ISO week (Asia/Tokyo): suggested and approved.
CREATE VIEW v_pledge_coverage AS
WITH suggested AS (
    SELECT DISTINCT c.pledge_id, c.article_id FROM candidates c
),
weekly AS (
    SELECT
        s.pledge_id,
        date_trunc('week', timezone('Asia/Tokyo', a.published))::DATE AS week,
        a.outlet,
        count(*) AS suggested,
        count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM v_activities v WHERE v.article_id = s.article_id AND v.pledge_id = s.pledge_id
        )) AS approved
    FROM suggested s JOIN articles a ON a.id = s.article_id
    GROUP BY ALL
)
SELECT p.politician_id, pol.name AS politician, p.id AS pledge_id, p.title AS pledge_title,
       w.week, w.outlet, coalesce(w.suggested, 0) AS suggested, coalesce(w.approved, 0) AS approved
FROM pledges p
LEFT JOIN weekly w ON w.pledge_id = p.id
LEFT JOIN politicians pol ON pol.id = p.politician_id;

-- Each source's health: last outcome, failures in a row, suspension.
CREATE VIEW v_source_health AS
SELECT
    s.id AS source_id, s.outlet, s.kind, s.url, s.is_local,
    s.last_success_at, s.last_error_at, s.last_error, s.consecutive_failures,
    s.suspended_at IS NOT NULL AS suspended,
    (SELECT count(*) FROM fetches f WHERE f.source_id = s.id) AS fetches_total,
    (SELECT count(*) FROM fetches f WHERE f.source_id = s.id AND f.outcome = 'error') AS errors_total,
    (SELECT count(*) FROM articles a WHERE a.source_id = s.id) AS articles_total
FROM sources s;
