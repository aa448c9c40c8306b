-- A ticket's erasure (DELETE /api/v1/decisions?ticketId=) is kept as a tombstone: a decision of that ticket made before
-- the erasure that reaches the store afterwards (it waited in the queue or the spool while the store was down) is not
-- written. A decision made after the erasure is a new complaint and is. Times are Unix milliseconds.
CREATE TABLE erasures (
    ticket_id TEXT    NOT NULL PRIMARY KEY,
    erased_at INTEGER NOT NULL
);
