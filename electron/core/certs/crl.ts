/** Certificate revocation lists (RFC 5280 section 5), v2, signed by the factory CA with Node's crypto. */
import type { KeyObject } from 'node:crypto';
import { forge } from './forge';
import { lazyObject } from '../lazyModule';
import type { RevocationReason } from '../../shared/contract/certs';
import {
  algorithmIdentifier,
  integerFromHex,
  octets,
  oidNode,
  seq,
  signatureOidFor,
  signStructure,
  smallInteger,
  timeNode,
  toDer,
  type Asn1,
} from './der';
import { OID } from './der';

const asn1 = lazyObject(() => forge.asn1);

const reasonCodes: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

export interface RevokedEntry {
  serialHex: string;
  revokedAt: Date;
  reason: RevocationReason;
}

export interface CrlSpec {
  issuerName: Asn1;
  authorityKeyId: Buffer | null;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  revoked: RevokedEntry[];
  signer: KeyObject;
}

function extension(oid: string, value: Asn1): Asn1 {
  return seq([oidNode(oid), octets(toDer(value))]);
}

export function buildCrl(spec: CrlSpec): Buffer {
  const fields: Asn1[] = [
    smallInteger(1),
    algorithmIdentifier(signatureOidFor(spec.signer)),
    spec.issuerName,
    timeNode(spec.thisUpdate),
    timeNode(spec.nextUpdate),
  ];
  if (spec.revoked.length > 0) {
    fields.push(
      seq(
        spec.revoked.map((r) => {
          const entry = [integerFromHex(r.serialHex), timeNode(r.revokedAt)];
          if (r.reason !== 'unspecified') {
            const code = asn1.create(
              asn1.Class.UNIVERSAL,
              asn1.Type.ENUMERATED,
              false,
              String.fromCharCode(reasonCodes[r.reason]),
            );
            entry.push(seq([extension(OID.crlReason, code)]));
          }
          return seq(entry);
        }),
      ),
    );
  }
  const exts = [extension(OID.crlNumber, smallInteger(spec.crlNumber))];
  if (spec.authorityKeyId)
    exts.unshift(
      extension(
        OID.authorityKeyIdentifier,
        seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, spec.authorityKeyId.toString('binary'))]),
      ),
    );
  fields.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [seq(exts)]));
  return signStructure(seq(fields), spec.signer);
}
