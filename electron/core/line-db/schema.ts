/**
 * The line database's schema (PostgreSQL, schema `lineside`), numbered like the station's own
 * migrations. `openLine` creates a line in an empty database, brings an older line up to date, and
 * refuses a database that is not a line or was made by a newer Lineside. All of it runs under one
 * advisory lock, so two stations connecting at once never both create the line.
 */
import type pg from 'pg';
import { Failure } from '../failure';
import { inTransaction } from './connection';

export interface LineMigration {
  id: number;
  name: string;
  sql: string;
}

export const LINE_MIGRATIONS: readonly LineMigration[] = [
  {
    id: 1,
    name: 'line: stations, orders, one claim-ID space, leases, events and units',
    sql: `
      CREATE TABLE lineside.meta (
        singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        line_id    uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Every write to the line takes a value: a station remembers the highest it saw, so a line
      -- database restored from an older backup (lower value) is recognised and refused.
      CREATE SEQUENCE lineside.hwm;

      CREATE TABLE lineside.stations (
        id            uuid PRIMARY KEY,
        name          text NOT NULL,
        acked_seq     bigint NOT NULL DEFAULT 0,
        clock_skew_ms bigint NOT NULL DEFAULT 0,
        first_seen    timestamptz NOT NULL DEFAULT now(),
        last_seen     timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE lineside.profile_versions (
        hash       text PRIMARY KEY,
        name       text NOT NULL,
        text       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE lineside.orders (
        id           text PRIMARY KEY,
        profile_name text NOT NULL,
        profile_hash text NOT NULL REFERENCES lineside.profile_versions(hash),
        quantity     integer NOT NULL CHECK (quantity > 0),
        id_policy    jsonb NOT NULL,
        serials      jsonb,
        note         text NOT NULL DEFAULT '',
        reserved     integer NOT NULL DEFAULT 0,
        collisions   bigint NOT NULL DEFAULT 0,
        state        text NOT NULL DEFAULT 'reserving' CHECK (state IN ('reserving', 'ready', 'closed')),
        created_by   uuid,
        created_at   timestamptz NOT NULL DEFAULT now()
      );

      -- The line's one claim-ID space: no two stations can ever hold the same ID.
      CREATE TABLE lineside.claim_ids (
        claim_id   text PRIMARY KEY,
        order_id   text NOT NULL REFERENCES lineside.orders(id),
        state      text NOT NULL CHECK (state IN ('reserved', 'leased', 'used', 'voided')),
        lease_id   uuid,
        station_id uuid,
        note       text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX claim_ids_free ON lineside.claim_ids(order_id, claim_id) WHERE state = 'reserved';
      CREATE INDEX claim_ids_lease ON lineside.claim_ids(lease_id) WHERE lease_id IS NOT NULL;

      CREATE TABLE lineside.leases (
        id           uuid PRIMARY KEY,
        order_id     text NOT NULL REFERENCES lineside.orders(id),
        station_id   uuid NOT NULL REFERENCES lineside.stations(id),
        station_name text NOT NULL,
        requested    integer NOT NULL,
        count        integer NOT NULL,
        state        text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'returned', 'voided')),
        leased_at    timestamptz NOT NULL DEFAULT now(),
        closed_at    timestamptz,
        closed_note  text
      );
      CREATE INDEX leases_order ON lineside.leases(order_id, station_id);

      -- Each station's event log, idempotent by (station, local sequence).
      CREATE TABLE lineside.events (
        station_id   uuid NOT NULL REFERENCES lineside.stations(id),
        seq          bigint NOT NULL,
        event_id     bigint NOT NULL,
        at           timestamptz NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        station_name text NOT NULL,
        operator     text NOT NULL,
        kind         text NOT NULL,
        claim_id     text,
        order_id     text,
        slot         integer,
        data         jsonb NOT NULL,
        PRIMARY KEY (station_id, seq)
      );
      CREATE INDEX events_order ON lineside.events(order_id, kind) WHERE order_id IS NOT NULL;

      -- Every unit's latest state as its station last reported it.
      CREATE TABLE lineside.units (
        claim_id   text PRIMARY KEY,
        order_id   text,
        station_id uuid NOT NULL REFERENCES lineside.stations(id),
        state      text NOT NULL,
        serial     text,
        slot       integer,
        seq        bigint NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX units_order ON lineside.units(order_id, station_id);

      -- A station reported a claim ID the line had given to another station (never silent).
      CREATE TABLE lineside.conflicts (
        id          bigserial PRIMARY KEY,
        claim_id    text NOT NULL,
        station_id  uuid NOT NULL,
        seq         bigint NOT NULL,
        holder      uuid,
        detail      text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

const LOCK_KEY = 0x4c696e65; // "Line"

export interface LineIdentity {
  lineId: string;
  schemaVersion: number;
  created: boolean;
}

export async function openLine(
  pool: pg.Pool,
  database: string,
  migrations: readonly LineMigration[] = LINE_MIGRATIONS,
): Promise<LineIdentity> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const exists = await c.query<{ t: string | null }>("SELECT to_regclass('lineside.meta')::text AS t");
    let created = false;
    if (!exists.rows[0]?.t) {
      const other = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'`,
      );
      if (Number(other.rows[0]?.n ?? 0) > 0)
        throw new Failure(
          'line-refused',
          `Database ${database} holds other tables and is not a Lineside line: point the line URL at an empty database or at an existing line.`,
        );
      await c.query('CREATE SCHEMA IF NOT EXISTS lineside');
      await c.query(`CREATE TABLE lineside.schema_migrations (
        id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      created = true;
    }
    const applied = (
      await c.query<{ id: number }>('SELECT id FROM lineside.schema_migrations ORDER BY id')
    ).rows.map((r) => r.id);
    const known = new Set(migrations.map((m) => m.id));
    const unknown = applied.filter((id) => !known.has(id));
    const latest = Math.max(0, ...known);
    if (unknown.length > 0)
      throw new Failure(
        'line-refused',
        `The line database was made by a newer Lineside (line schema ${Math.max(...unknown)}; this station knows up to ${latest}): update Lineside on this station before joining the line.`,
        { detail: `unknown line migrations: ${unknown.join(', ')}` },
      );
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (applied.includes(m.id)) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO lineside.schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
    }
    if (created) await c.query('INSERT INTO lineside.meta (line_id) VALUES (gen_random_uuid())');
    const meta = await c.query<{ line_id: string }>('SELECT line_id FROM lineside.meta');
    if (!meta.rows[0])
      throw new Failure(
        'line-refused',
        `Database ${database} has a damaged Lineside line (no line identity): restore it or point the URL at another line.`,
      );
    return { lineId: meta.rows[0].line_id, schemaVersion: latest, created };
  });
}
