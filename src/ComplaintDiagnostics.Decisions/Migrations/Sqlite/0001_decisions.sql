-- The decision record (docs/operations.md, "The decision record"). Times are Unix milliseconds (UTC).
CREATE TABLE decisions (
    decision_id   TEXT    NOT NULL PRIMARY KEY,
    recorded_at   INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    mode          TEXT    NOT NULL,
    ticket_id     TEXT,
    rules_version TEXT    NOT NULL,
    release       TEXT,
    workflow      TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    cause         TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    complaint_type TEXT,
    latitude      REAL,
    longitude     REAL,
    area_cell     INTEGER,
    place         TEXT,
    similar_looked_up INTEGER,
    request       TEXT    NOT NULL,
    answer        TEXT    NOT NULL
);
-- A ticket's decisions (outcomes, erasure), and its latest diagnosis from the index alone (replay --from-store).
CREATE INDEX decisions_ticket ON decisions (ticket_id, kind, mode, decision_id);
-- No index on recorded_at: the decision id begins with the recording time, so time ranges (the list's from/to, the
-- purge) are ranges of the primary key.
-- The area look-up (domain.md, V3a/V4): located live diagnoses by grid cell, then time, with what the look-up filters on,
-- so the box, the type and the time are checked in the index and only the complaints that pass are read.
CREATE INDEX decisions_area ON decisions (area_cell, recorded_at, latitude, longitude, complaint_type)
    WHERE area_cell IS NOT NULL AND mode = 'live' AND kind = 'diagnose';
CREATE INDEX decisions_place ON decisions (place, recorded_at, area_cell, complaint_type)
    WHERE place IS NOT NULL AND mode = 'live' AND kind = 'diagnose';

-- Every confirmed cause as it came (a ticket's history), once per (ticket, event).
CREATE TABLE outcomes (
    ticket_id       TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    confirmed_cause TEXT    NOT NULL,
    resolved_at     INTEGER,
    received_at     INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
);

-- A ticket's latest confirmed cause: what the rules are judged on.
CREATE TABLE tickets (
    ticket_id       TEXT    NOT NULL PRIMARY KEY,
    confirmed_cause TEXT    NOT NULL,
    resolved_at     INTEGER,
    received_at     INTEGER NOT NULL
);

-- Each rule set that answered, once per version: the tables as they stood when a decision was made.
CREATE TABLE rule_sets (
    version   TEXT    NOT NULL PRIMARY KEY,
    stored_at INTEGER NOT NULL,
    git_commit TEXT,
    files     TEXT    NOT NULL
);
