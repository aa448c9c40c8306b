-- Writing a diagnosed ticket's finding back to the ticket system (README, "The TMF621 feed"): the event row is the
-- write-back's queue entry, so a restart or a ticket system that is down loses nothing. state: pending, done, dead (no
-- more attempts: the dead letter); next_at: when the next attempt is due, also the claim two replicas compare on.
ALTER TABLE ticket_events ADD COLUMN writeback_state TEXT;
ALTER TABLE ticket_events ADD COLUMN writeback_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_events ADD COLUMN writeback_next_at INTEGER;
ALTER TABLE ticket_events ADD COLUMN writeback_error TEXT;
CREATE INDEX ticket_events_writeback ON ticket_events (writeback_next_at) WHERE writeback_state = 'pending';
