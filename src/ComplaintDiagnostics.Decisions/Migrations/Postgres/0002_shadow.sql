-- Shadow decisions (the rule lifecycle): a proposal's answer to a live complaint, linked to the live decision it shadows.
-- Added to the partitioned table, so to every weekly partition.
ALTER TABLE decisions ADD COLUMN shadow_of TEXT;
ALTER TABLE decisions ADD COLUMN proposal TEXT;
-- A proposal's shadow report reads its shadow decisions in order.
CREATE INDEX decisions_shadow ON decisions (proposal, decision_id) WHERE mode = 'shadow';
