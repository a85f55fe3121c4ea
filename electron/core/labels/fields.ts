import type { LabelData } from './types';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The placeholder names a template string uses, in order. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** `M72DANY8BZ` with groups [4, 4, 2] -> `M72D-ANY8-BZ`; the rest of a longer ID forms a last group. */
export function groupClaimId(id: string, groups: number[]): string {
  if (groups.length === 0) return id;
  const parts: string[] = [];
  let at = 0;
  for (const n of groups) {
    if (at >= id.length) break;
    parts.push(id.slice(at, at + n));
    at += n;
  }
  if (at < id.length) parts.push(id.slice(at));
  return parts.join('-');
}

export function fieldValues(data: LabelData, groups: number[]): Record<string, string> {
  return {
    ...data.fields,
    id: data.claimId,
    idGrouped: groupClaimId(data.claimId, groups),
    product: data.product,
    model: data.model,
    serial: data.serial ?? '',
    created: data.created,
    orderId: data.orderId ?? '',
  };
}

/** Fills `{{name}}` placeholders; `encode` is applied to each value (URL-encoding for QR URLs). */
export function fill(
  text: string,
  values: Record<string, string>,
  encode: (value: string) => string = (v) => v,
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => encode(values[name] ?? ''));
}

/** A payload that is a URL gets its values URL-encoded; a bare template gets them as they are. */
export function fillPayload(payload: string, values: Record<string, string>): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(payload.trim());
  return fill(payload, values, isUrl ? encodeURIComponent : undefined);
}

/** What issue 3's profiles carry for labels; only what a label needs. */
export interface LabelProfileInput {
  /** Product name shown on the label. */
  product: string;
  model?: string;
  label?: { template: string; fields?: Record<string, string | number> };
}

/** The unit columns a label needs (a `units` row or its summary). */
export interface LabelUnitInput {
  claimId: string;
  serial: string | null;
  orderId: string | null;
  createdAt: string;
}

/** Maps a unit and its profile to what its label shows. */
export function labelDataFromUnit(unit: LabelUnitInput, profile: LabelProfileInput): LabelData {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(profile.label?.fields ?? {})) fields[k] = String(v);
  return {
    claimId: unit.claimId,
    product: profile.product,
    model: profile.model ?? '',
    serial: unit.serial,
    created: unit.createdAt.slice(0, 10),
    orderId: unit.orderId,
    fields,
  };
}
