-- The decision record (docs/operations.md, "The decision record"). Decisions are partitioned by week of recording,
-- so retention drops whole partitions; the store creates each week's partition before writing into it.
CREATE TABLE decisions (
    decision_id    text        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    kind           text        NOT NULL,
    mode           text        NOT NULL,
    ticket_id      text,
    rules_version  text        NOT NULL,
    release        text,
    workflow       text        NOT NULL,
    rule           text        NOT NULL,
    cause          text        NOT NULL,
    status         text        NOT NULL,
    complaint_type text,
    latitude       double precision,
    longitude      double precision,
    area_cell      bigint,
    place          text,
    similar_looked_up boolean,
    request        text        NOT NULL,
    answer         text        NOT NULL,
    -- The id holds its recording time, so (id, time) is as unique as the id alone.
    PRIMARY KEY (decision_id, recorded_at)
) PARTITION BY RANGE (recorded_at);
-- A ticket's decisions (outcomes, erasure), and its latest diagnosis from the index alone (replay --from-store).
CREATE INDEX decisions_ticket ON decisions (ticket_id, kind, mode, decision_id);
-- The area look-up (domain.md, V3a/V4): located live diagnoses by grid cell, then time, with what the look-up filters on,
-- so the box, the type and the time are checked in the index and only the complaints that pass are read.
CREATE INDEX decisions_area ON decisions (area_cell, recorded_at, latitude, longitude, complaint_type)
    WHERE area_cell IS NOT NULL AND mode = 'live' AND kind = 'diagnose';
CREATE INDEX decisions_place ON decisions (place, recorded_at, area_cell, complaint_type)
    WHERE place IS NOT NULL AND mode = 'live' AND kind = 'diagnose';

CREATE TABLE outcomes (
    ticket_id       text        NOT NULL,
    event_id        text        NOT NULL,
    confirmed_cause text        NOT NULL,
    resolved_at     timestamptz,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
);

CREATE TABLE tickets (
    ticket_id       text        NOT NULL PRIMARY KEY,
    confirmed_cause text        NOT NULL,
    resolved_at     timestamptz,
    received_at     timestamptz NOT NULL
);

CREATE TABLE rule_sets (
    version   text        NOT NULL PRIMARY KEY,
    stored_at timestamptz NOT NULL,
    git_commit text,
    files     text        NOT NULL
);
