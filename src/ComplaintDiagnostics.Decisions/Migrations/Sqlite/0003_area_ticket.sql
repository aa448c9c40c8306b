-- The area look-up examines the newest complaints at a place or in a cell and skips those of the complaint's own ticket:
-- with the ticket in the index that is read from the index alone, so a ticket sent again and again (or a hot spot)
-- costs a look-up index reads, not a table read per complaint.
DROP INDEX decisions_area;
CREATE INDEX decisions_area ON decisions (area_cell, recorded_at, latitude, longitude, complaint_type, ticket_id)
    WHERE area_cell IS NOT NULL AND mode = 'live' AND kind = 'diagnose';
DROP INDEX decisions_place;
CREATE INDEX decisions_place ON decisions (place, recorded_at, area_cell, complaint_type, ticket_id)
    WHERE place IS NOT NULL AND mode = 'live' AND kind = 'diagnose';
