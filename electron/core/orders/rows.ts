import type { OrderSummary, SerialSpec, UnitState } from '../../shared/contract';
import type { IdPolicy } from '../ids';

export interface OrderRow {
  id: string;
  profile_name: string;
  profile_hash: string;
  quantity: number;
  id_policy: string;
  serials: string | null;
  next_serial: number;
  reserved: number;
  collisions: number;
  state: OrderSummary['state'];
  note: string;
  created_at: string;
  updated_at: string;
}

export function orderPolicy(row: OrderRow): IdPolicy {
  return JSON.parse(row.id_policy) as IdPolicy;
}

export function orderSerials(row: OrderRow): SerialSpec | null {
  return row.serials ? (JSON.parse(row.serials) as SerialSpec) : null;
}

export function toOrderSummary(row: OrderRow, counts: Partial<Record<UnitState, number>>): OrderSummary {
  return {
    orderId: row.id,
    profileName: row.profile_name,
    profileHash: row.profile_hash,
    quantity: row.quantity,
    reserved: row.reserved,
    collisions: row.collisions,
    state: row.state,
    note: row.note,
    serials: orderSerials(row),
    idPolicy: orderPolicy(row),
    counts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
