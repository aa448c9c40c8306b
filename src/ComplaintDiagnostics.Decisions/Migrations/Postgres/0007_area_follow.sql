-- Replicas share the record, and each answers the area look-up from memory (docs/operations.md, "The area look-up from
-- memory"): every second each reads what the others stored since its last read. A row carries the id of the transaction
-- that stored it (tx); a replica reads the rows whose tx lies below the oldest transaction still running, so a row that
-- commits late is read once it has committed, never skipped, and each row is read once.
ALTER TABLE decisions ADD COLUMN tx bigint;
CREATE INDEX decisions_tx ON decisions (tx) WHERE tx IS NOT NULL;
ALTER TABLE tickets ADD COLUMN tx bigint;
CREATE INDEX tickets_tx ON tickets (tx);
ALTER TABLE erasures ADD COLUMN tx bigint;
CREATE INDEX erasures_tx ON erasures (tx);
CREATE FUNCTION complaint_diagnostics_tx() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.tx := txid_current();
    RETURN NEW;
END
$$;
CREATE TRIGGER tickets_tx BEFORE INSERT OR UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION complaint_diagnostics_tx();
CREATE TRIGGER erasures_tx BEFORE INSERT OR UPDATE ON erasures FOR EACH ROW EXECUTE FUNCTION complaint_diagnostics_tx();
