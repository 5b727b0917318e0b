-- SPDX-License-Identifier: BSD-2-Clause
-- bounce-milter: the shared suppression set in PostgreSQL (schema version 1).
--
-- Applied by the administrator, never by the milter:
--   psql "dbname=mail" -v ON_ERROR_STOP=1 -f sql/schema.sql
-- then give the milter's role INSERT and SELECT only (see the end).
-- Every MX host's bounce-milter ships its local list here with
--   INSERT ... ON CONFLICT (address) DO NOTHING
-- so the table holds each address once, with the first host to see it.
-- Addresses are stored as the list stores them: domain lower-cased and
-- converted to one form, local part lower-cased unless suppress.fold_local
-- is false.  Re-running this file is harmless.

BEGIN;

CREATE TABLE IF NOT EXISTS bounce_milter_schema (
	version  integer PRIMARY KEY,
	applied  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS bounce_suppressed (
	address        text PRIMARY KEY,            -- the index Postfix and mailers look up
	first_seen     timestamptz NOT NULL DEFAULT now(),
	status         text NOT NULL DEFAULT '',    -- RFC 3463 code, e.g. 5.1.1
	reason         text NOT NULL DEFAULT '',    -- userunknown, hostunknown, ...
	reporting_mta  text NOT NULL DEFAULT '',
	queue_id       text NOT NULL DEFAULT '',    -- the MX's queue id of the bounce
	host           text NOT NULL DEFAULT '',    -- the MX host that listed it
	origin         text NOT NULL DEFAULT '',    -- the bounce's origin level, where the list records it
	shipped        timestamptz NOT NULL DEFAULT now()
);

-- Mailing software reading what is new since its last run.
CREATE INDEX IF NOT EXISTS bounce_suppressed_shipped ON bounce_suppressed (shipped);

-- The event log (eventlog.file): one row per examined recipient of every
-- class, as the milter wrote it (schema in bounce-milterctl(8)), for
-- mailing software that keeps bounce scores.  event_id is a hash of the
-- host and the line, so a batch sent again after a crash is absorbed.
CREATE TABLE IF NOT EXISTS bounce_events (
	event_id   text PRIMARY KEY,
	host       text NOT NULL,
	event      jsonb NOT NULL,
	recipient  text GENERATED ALWAYS AS (event->>'recipient') STORED,
	class      text GENERATED ALWAYS AS (event->>'class') STORED,
	shipped    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS bounce_events_recipient ON bounce_events (recipient);
CREATE INDEX IF NOT EXISTS bounce_events_shipped ON bounce_events (shipped);

INSERT INTO bounce_milter_schema (version) VALUES (1) ON CONFLICT DO NOTHING;

COMMIT;

-- Rights, for a role the milter logs in as (adapt the name):
--   CREATE ROLE bounce_milter LOGIN PASSWORD '...';
--   GRANT SELECT, INSERT ON bounce_suppressed, bounce_events TO bounce_milter;
-- and for Postfix's pgsql: lookup role:
--   GRANT SELECT ON bounce_suppressed TO postfix;
