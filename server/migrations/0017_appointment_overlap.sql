-- Services have different slot lengths (15 minutes for biometrics, 30 for an interview), so two
-- bookings of one counter can overlap without starting at the same time: the unique index on the
-- start does not see that. An exclusion constraint does, even for two requests at the same instant.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE appointment_bookings
  ADD CONSTRAINT appointment_bookings_no_overlap
  EXCLUDE USING gist (service_point_id WITH =, counter WITH =, tstzrange(starts_at, ends_at) WITH &&)
  WHERE (status <> 'cancelled');
