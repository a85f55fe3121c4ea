import { m001 } from './001-units-and-events';
import { m010 } from './010-orders';
import { m012 } from './012-unit-leases';
import { m025 } from './025-station-journal';
import { m030 } from './030-label-prints';
import { m050 } from './050-device-certificates';
import { m051 } from './051-certificate-key-hash';
import { m040 } from './040-cloud-outbox';
import { m041 } from './041-serialize-journal';
import { m100 } from './100-line-station';
import { m130 } from './130-order-counts';
import { m150 } from './150-event-roles';
import { m045 } from './045-sealed-profile-text';
import { m046 } from './046-serialize-refusals';
import type { Migration } from './types';

/**
 * Every migration this build knows, in order. Ids are owned in ranges so work on separate issues
 * never collides: 1-9 foundation, 10-19 profiles/IDs/orders, 20-29 serial/station, 30-39 labels,
 * 40-49 cloud, 50-59 certificates, 60-69 offline manager, 100-119 line mode (PostgreSQL line),
 * 130-139 speed (issue 16), 150-159 station access (roles, lock).
 */
export const migrations: readonly Migration[] = [
  m001,
  m010,
  m012,
  m025,
  m030,
  m040,
  m041,
  m045,
  m046,
  m050,
  m051,
  m100,
  m130,
  m150,
];
