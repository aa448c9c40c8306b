-- The TMF621 trouble-ticket feed's events (README, "The TMF621 feed"): one row per event id, so an event delivered twice,
-- or to two replicas behind the balancer, is handled once; the decision it made is kept for the repeat's answer, and
-- whether its ticket was known, so events for tickets the service never saw are listed. Times are Unix milliseconds.
CREATE TABLE ticket_events (
    event_id     TEXT    NOT NULL PRIMARY KEY,
    event_type   TEXT    NOT NULL,
    ticket_id    TEXT,
    received_at  INTEGER NOT NULL,
    decision_id  TEXT,
    known_ticket INTEGER
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
CREATE INDEX ticket_events_received ON ticket_events (received_at);
