import { maskTokensIn } from '../device-config/render';
import { createHash } from 'node:crypto';
import type {
  ErrorInfo,
  FailedUnitReport,
  InterruptedUnitReport,
  StationStep,
  UnitFileReport,
  UnitRunReport,
  UnitState,
  UnitSummary,
} from '../../shared/contract';
import { Failure } from '../failure';
import { openBuffer, sealBuffer, type TextSealer } from '../secrets/sealedText';
import type { Store } from '../store';
import { toUnitSummary, type UnitRow } from '../store/units';
import type { DeviceFile, VerifyResult } from '../transport/types';

/** Files with mode 0600 (keys, provision tokens) are secret: their content is never stored. */
export const isSecret = (mode: number): boolean => (mode & 0o077) === 0;

export const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

export interface RecordedFile {
  path: string;
  sha256: string;
  size: number;
  mode: number;
  /** Null for secret files. */
  content: Buffer | null;
}

export interface RunPlace {
  slot: number | null;
  port: string | null;
}

interface RunRow {
  claim_id: string;
  slot: number | null;
  port: string | null;
  step: StationStep;
  attempts: number;
  retransmissions: number;
  failure_code: string | null;
  failure_message: string | null;
  failure_detail: string | null;
  updated_at: string;
}

interface FileRow {
  path: string;
  sha256: string;
  size: number;
  mode: number;
  content: Buffer | null;
  written_at: string;
  verified_at: string | null;
}

export interface Journal {
  unit(claimId: string): UnitSummary | null;
  /**
   * A new attempt on a unit: records slot and port, clears the last failure. The run's `step` is the
   * last step journaled (claim, write, verify, or the step that failed); the unit's state says what
   * comes next. Steps in between are not journaled: every commit is an fsync.
   */
  begin(claimId: string, place: RunPlace, step: StationStep, at: string): void;
  /** Rework: the unit goes back to 'assigned' (same claim ID) before it is written again. */
  reopen(claimId: string, at: string): void;
  /** The files are on the device: state 'written', what was written recorded, in one transaction. */
  written(claimId: string, files: readonly DeviceFile[], retransmissions: number, at: string): void;
  /** Only after a read-back that matched: state 'verified'. */
  verified(claimId: string, results: readonly VerifyResult[], at: string): void;
  failed(claimId: string, step: StationStep, failure: ErrorInfo, at: string): void;
  files(claimId: string): RecordedFile[];
  run(claimId: string): UnitRunReport | null;
  interrupted(): InterruptedUnitReport[];
  failedUnits(orderId: string, limit: number): FailedUnitReport[];
  orderCounts(orderId: string): { good: number; failed: number; reserved: number; total: number };
}

const REWORKABLE: readonly UnitState[] = ['assigned', 'written', 'failed', 'verified', 'provisioned'];

/**
 * `sealer` keeps the product token out of stored file contents (a reference instead, put back when
 * read); without one (tests reading a journal directly) contents are read as stored.
 */
export function createJournal(store: Store, sealer: TextSealer | null = null): Journal {
  const seal = (content: Buffer) => (sealer ? sealBuffer(sealer, content) : content);
  const open = (content: Buffer) => (sealer ? openBuffer(sealer, content) : content);
  const { db } = store;
  const getUnit = db.prepare('SELECT * FROM units WHERE claim_id = ?');
  const setState = db.prepare('UPDATE units SET state = ?, updated_at = ? WHERE claim_id = ?');
  const getRun = db.prepare('SELECT * FROM unit_runs WHERE claim_id = ?');
  const upsertRun = db.prepare(
    `INSERT INTO unit_runs (claim_id, slot, port, step, updated_at) VALUES (@claimId, @slot, @port, @step, @at)
     ON CONFLICT (claim_id) DO UPDATE SET slot = @slot, port = @port, step = @step, updated_at = @at,
       attempts = attempts + 1, failure_code = NULL, failure_message = NULL, failure_detail = NULL`,
  );
  const setStep = db.prepare('UPDATE unit_runs SET step = ?, updated_at = ? WHERE claim_id = ?');
  const deleteFiles = db.prepare('DELETE FROM unit_files WHERE claim_id = ?');
  const insertFile = db.prepare(
    `INSERT INTO unit_files (claim_id, path, sha256, size, mode, content, written_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const fileRows = db.prepare('SELECT * FROM unit_files WHERE claim_id = ? ORDER BY path');

  function row(claimId: string): UnitRow {
    const found = getUnit.get(claimId) as UnitRow | undefined;
    if (!found) throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`);
    return found;
  }

  return {
    unit(claimId) {
      const found = getUnit.get(claimId) as UnitRow | undefined;
      return found ? toUnitSummary(found) : null;
    },
    begin(claimId, place, step, at) {
      upsertRun.run({ claimId, slot: place.slot, port: place.port, step, at });
    },
    reopen(claimId, at) {
      store.transaction(() => {
        const unit = row(claimId);
        if (unit.state === 'assigned') return;
        if (!REWORKABLE.includes(unit.state))
          throw new Failure('conflict', `Unit ${claimId} is ${unit.state} and cannot be reworked.`);
        setState.run('assigned', at, claimId);
        store.events.append({
          kind: 'unit.reopened',
          claimId,
          orderId: unit.order_id,
          data: { from: unit.state },
        });
      });
    },
    written(claimId, files, retransmissions, at) {
      store.transaction(() => {
        const unit = row(claimId);
        if (unit.state !== 'assigned')
          throw new Failure(
            'conflict',
            `Unit ${claimId} is ${unit.state}, not assigned: it was not written.`,
          );
        deleteFiles.run(claimId);
        for (const f of files)
          insertFile.run(
            claimId,
            f.path,
            sha256(f.content),
            f.content.length,
            f.mode,
            isSecret(f.mode) ? null : seal(f.content),
            at,
          );
        setState.run('written', at, claimId);
        db.prepare(
          "UPDATE unit_runs SET step = 'write', retransmissions = retransmissions + ?, updated_at = ? WHERE claim_id = ?",
        ).run(retransmissions, at, claimId);
        store.events.append({
          kind: 'unit.written',
          claimId,
          orderId: unit.order_id,
          data: {
            files: files.map((f) => ({ path: f.path, size: f.content.length, sha256: sha256(f.content) })),
            retransmissions,
          },
        });
      });
    },
    verified(claimId, results, at) {
      if (results.length === 0 || !results.every((r) => r.ok))
        throw new Failure(
          'verify-mismatch',
          `Unit ${claimId} cannot be marked verified without a matching read-back.`,
        );
      store.transaction(() => {
        const unit = row(claimId);
        if (unit.state !== 'written')
          throw new Failure(
            'conflict',
            `Unit ${claimId} is ${unit.state}, not written: it cannot be verified.`,
          );
        const recorded = new Map((fileRows.all(claimId) as FileRow[]).map((f) => [f.path, f.sha256]));
        for (const r of results) {
          if (r.algorithm === 'sha256' && recorded.get(r.path) !== r.expected)
            throw new Failure(
              'verify-mismatch',
              `The read-back of ${r.path} does not match what was written to ${claimId}.`,
            );
        }
        db.prepare('UPDATE unit_files SET verified_at = ? WHERE claim_id = ?').run(at, claimId);
        setState.run('verified', at, claimId);
        setStep.run('verify', at, claimId);
        store.events.append({
          kind: 'unit.verified',
          claimId,
          orderId: unit.order_id,
          data: { files: results.map((r) => ({ path: r.path, algorithm: r.algorithm, hash: r.actual })) },
        });
      });
    },
    failed(claimId, step, failure, at) {
      store.transaction(() => {
        const unit = row(claimId);
        // A unit that already passed stays verified: a late problem (a hook) is not a FAIL of the unit.
        if (unit.state !== 'verified' && unit.state !== 'provisioned') setState.run('failed', at, claimId);
        db.prepare(
          `UPDATE unit_runs SET step = ?, failure_code = ?, failure_message = ?, failure_detail = ?, updated_at = ?
           WHERE claim_id = ?`,
        ).run(step, failure.code, failure.message, failure.detail ?? null, at, claimId);
        store.events.append({
          kind: 'unit.failed',
          claimId,
          orderId: unit.order_id,
          data: { step, code: failure.code, message: failure.message, detail: failure.detail ?? null },
        });
      });
    },
    files(claimId) {
      return (fileRows.all(claimId) as FileRow[]).map((f) => ({
        path: f.path,
        sha256: f.sha256,
        size: f.size,
        mode: f.mode,
        content: f.content ? open(f.content) : null,
      }));
    },
    run(claimId) {
      const unit = getUnit.get(claimId) as UnitRow | undefined;
      const r = getRun.get(claimId) as RunRow | undefined;
      if (!unit || !r) return null;
      const files: UnitFileReport[] = (fileRows.all(claimId) as FileRow[]).map((f) => ({
        path: f.path,
        sha256: f.sha256,
        size: f.size,
        mode: f.mode,
        // What the renderer sees: device.json5 carries the product token, a secret; mask it.
        content: f.content ? maskTokensIn(open(f.content).toString('utf8')) : null,
        writtenAt: f.written_at,
        verifiedAt: f.verified_at,
      }));
      return {
        claimId,
        state: unit.state,
        slot: r.slot,
        port: r.port,
        step: r.step,
        attempts: r.attempts,
        retransmissions: r.retransmissions,
        failure: r.failure_code
          ? {
              code: r.failure_code as ErrorInfo['code'],
              message: r.failure_message ?? '',
              ...(r.failure_detail ? { detail: r.failure_detail } : {}),
            }
          : null,
        files,
        updatedAt: r.updated_at,
      };
    },
    interrupted() {
      const rows = db
        .prepare(
          `SELECT u.claim_id, u.serial, u.order_id, u.state, r.slot, r.port, r.step, u.updated_at
           FROM units u LEFT JOIN unit_runs r ON r.claim_id = u.claim_id
           WHERE u.state IN ('assigned', 'written') ORDER BY u.updated_at, u.claim_id LIMIT 100`,
        )
        .all() as {
        claim_id: string;
        serial: string | null;
        order_id: string | null;
        state: UnitState;
        slot: number | null;
        port: string | null;
        step: StationStep | null;
        updated_at: string;
      }[];
      return rows.map((r) => ({
        claimId: r.claim_id,
        serial: r.serial,
        orderId: r.order_id,
        state: r.state,
        slot: r.slot,
        port: r.port,
        step: r.step ?? 'claim',
        updatedAt: r.updated_at,
      }));
    },
    failedUnits(orderId, limit) {
      const rows = db
        .prepare(
          `SELECT u.claim_id, u.serial, u.updated_at, r.slot, r.step, r.failure_code, r.failure_message,
             r.failure_detail
           FROM units u LEFT JOIN unit_runs r ON r.claim_id = u.claim_id
           WHERE u.order_id = ? AND u.state = 'failed' ORDER BY u.updated_at DESC, u.claim_id LIMIT ?`,
        )
        .all(orderId, limit) as (Omit<RunRow, 'step'> & {
        step: StationStep | null;
        serial: string | null;
      })[];
      return rows.map((r) => ({
        claimId: r.claim_id,
        serial: r.serial,
        slot: r.slot,
        step: r.step ?? 'claim',
        failure: r.failure_code
          ? {
              code: r.failure_code as ErrorInfo['code'],
              message: r.failure_message ?? '',
              ...(r.failure_detail ? { detail: r.failure_detail } : {}),
            }
          : null,
        updatedAt: r.updated_at,
      }));
    },
    orderCounts(orderId) {
      const rows = db
        .prepare('SELECT state, count(*) AS n FROM units WHERE order_id = ? GROUP BY state')
        .all(orderId) as { state: UnitState; n: number }[];
      const n = (s: UnitState) => rows.find((r) => r.state === s)?.n ?? 0;
      return {
        good: n('verified') + n('provisioned'),
        failed: n('failed'),
        reserved: n('reserved'),
        total: rows.reduce((sum, r) => sum + r.n, 0),
      };
    },
  };
}
