-- Appointments: service points (counters in parallel), their opening hours and closures, the
-- services offered (with their slot length), invitations a caseworker sends from a case, and the
-- bookings made with them. There is no open calendar: a slot can be booked only with an
-- invitation. A partial unique index makes a double booking of one counter at one start
-- impossible, even for two requests at the same instant.

CREATE TABLE appointment_service_points (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  unit_id uuid REFERENCES units (id) ON DELETE SET NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- One line as it goes into the calendar entry's LOCATION, e.g. 'Fruttstrasse 15, 6002 Luzern'.
  address text NOT NULL CHECK (length(address) BETWEEN 1 AND 300),
  -- Desks that serve in parallel: one booking per counter and slot.
  counters integer NOT NULL CHECK (counters BETWEEN 1 AND 50),
  -- IANA zone of the opening hours and of the calendar entries.
  time_zone text NOT NULL DEFAULT 'Europe/Zurich' CHECK (length(time_zone) BETWEEN 1 AND 64),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- Opening hours per ISO weekday (1 Monday … 7 Sunday); several ranges a day (e.g. morning, afternoon).
CREATE TABLE appointment_opening_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  service_point_id uuid NOT NULL REFERENCES appointment_service_points (id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens time NOT NULL,
  closes time NOT NULL,
  CHECK (opens < closes)
);
CREATE INDEX appointment_opening_hours_point_idx ON appointment_opening_hours (service_point_id, weekday);

-- Days a service point is closed besides the public holidays of the office's calendar.
CREATE TABLE appointment_closures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  service_point_id uuid NOT NULL REFERENCES appointment_service_points (id) ON DELETE CASCADE,
  closed_on date NOT NULL,
  reason text CHECK (length(reason) <= 300),
  UNIQUE (service_point_id, closed_on)
);

-- What an appointment is for, e.g. 'biometrics', 'departure-interview', 'welcome-talk'.
CREATE TABLE appointment_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z][a-z0-9-]{0,62}$'),
  -- {"de": …, "fr": …, "it": …, "en": …}
  names jsonb NOT NULL CHECK (jsonb_typeof(names) = 'object'),
  slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, slug)
);

-- An invitation to book: sent by a caseworker from a case; the token travels only in the mail
-- (its SHA-256 is stored).
CREATE TABLE appointment_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  service_id uuid NOT NULL REFERENCES appointment_services (id),
  service_point_id uuid NOT NULL REFERENCES appointment_service_points (id),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  language text NOT NULL CHECK (language IN ('de', 'fr', 'it', 'en')),
  valid_until timestamptz NOT NULL,
  withdrawn_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_invitations_case_idx ON appointment_invitations (case_id);
CREATE INDEX appointment_invitations_person_idx ON appointment_invitations (person_id);

CREATE TABLE appointment_bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  invitation_id uuid NOT NULL REFERENCES appointment_invitations (id) ON DELETE CASCADE,
  service_point_id uuid NOT NULL REFERENCES appointment_service_points (id),
  counter integer NOT NULL CHECK (counter >= 1),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'checked-in', 'no-show')),
  -- Raised with every change of the booking; the calendar entry's SEQUENCE.
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK (starts_at < ends_at)
);
-- The guarantee: one active booking per counter and start. Two requests racing for the last free
-- counter both insert; the second one fails with 23505 and is told 'slot-taken'.
CREATE UNIQUE INDEX appointment_bookings_slot_uq ON appointment_bookings (service_point_id, counter, starts_at) WHERE status <> 'cancelled';
-- An invitation holds at most one appointment at a time (a reschedule cancels and books in one transaction).
CREATE UNIQUE INDEX appointment_bookings_invitation_uq ON appointment_bookings (invitation_id) WHERE status = 'booked';
CREATE INDEX appointment_bookings_day_idx ON appointment_bookings (service_point_id, starts_at);

SELECT mf_protect_tenant_table(t::regclass) FROM unnest(ARRAY[
  'appointment_service_points', 'appointment_opening_hours', 'appointment_closures', 'appointment_services',
  'appointment_invitations', 'appointment_bookings'
]) AS t;
