-- A location description and a ticket id of the contract's 500 characters each, in a script of three bytes a letter,
-- made an entry of the place index larger than a B-tree page allows (2,704 bytes): the row was refused, and its whole
-- batch with it on every retry. The place index no longer carries the ticket id (the look-up answers from memory; the
-- SQL look-up reads the ticket from the row).
DROP INDEX decisions_place;
CREATE INDEX decisions_place ON decisions (place, recorded_at, area_cell, complaint_type)
    WHERE place IS NOT NULL AND mode = 'live' AND kind = 'diagnose';
