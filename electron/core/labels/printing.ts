import type {
  LabelPrintEntry,
  LabelSettings,
  OrderLabelsReport,
  PrinterSetup,
  UnitState,
  UnitSummary,
} from '../../shared/contract';
import { Failure, isFailure } from '../failure';
import type { Store } from '../store';
import type { PrintAudit } from './audit';
import type { PrinterDriver } from './drivers';
import { labelDataFromUnit, type LabelProfileInput } from './fields';
import { layoutLabel, type LaidOutLabel } from './layout';
import { SAMPLE_DATA, type TemplateLibrary } from './templates';
import type { LabelData, LoadedTemplate } from './types';

/** A label is printed only for a unit that passed: never for a failed, voided or unfinished one. */
export const PRINTABLE_STATES: readonly UnitState[] = ['verified', 'provisioned'];

/** Claim IDs never contain L (Crockford base32), so a test label can never be mistaken for a unit. */
export const TEST_CLAIM_ID = 'TESTLABEL1';

export interface LabelPrintingDeps {
  store: Store;
  audit: PrintAudit;
  library: TemplateLibrary;
  settings(): LabelSettings;
  /** The unit's profile as far as labels care; null when this station does not know it. */
  profileFor(unit: UnitSummary): LabelProfileInput | null;
  driver(setup: PrinterSetup): PrinterDriver;
}

export interface BatchContext {
  jobId: string | null;
  progress(done: number, total: number): void;
  throwIfCancelled(): void;
}

export interface LabelPrinting {
  /** The unit's label as its profile (or the station's fallback) asks for it. */
  labelFor(unit: UnitSummary, template?: string): { loaded: LoadedTemplate; label: LaidOutLabel };
  sampleLabel(template?: string): { loaded: LoadedTemplate; label: LaidOutLabel; data: LabelData };
  /**
   * What the station run calls after a unit verifies: prints its label once and records it.
   * Refused for a unit that is not verified/provisioned and for one already printed.
   */
  printUnit(
    claimId: string,
    options?: { jobId?: string | null; printer?: PrinterSetup },
  ): Promise<LabelPrintEntry>;
  reprint(claimId: string, reason: string): Promise<LabelPrintEntry>;
  /**
   * The label of an ID the serialization service just handed to a device in factory mode: the
   * unit is 'assigned' (the device holds its ID; the station read nothing back), printed once.
   */
  printIssued(claimId: string): Promise<LabelPrintEntry>;
  /** Prints the order's labels not printed yet; a retry after a failure resumes where it stopped. */
  printOrder(orderId: string, ctx: BatchContext, printer?: PrinterSetup): Promise<OrderLabelsReport>;
  printTest(): Promise<LabelPrintEntry>;
}

export function createLabelPrinting(deps: LabelPrintingDeps): LabelPrinting {
  const { store, audit, library } = deps;
  // One print of a unit at a time (the station run and a batch may reach the same unit).
  const inFlight = new Set<string>();

  function profile(unit: UnitSummary): LabelProfileInput {
    const s = deps.settings();
    return deps.profileFor(unit) ?? { product: s.product, model: s.model, label: { template: s.template } };
  }

  function labelFor(unit: UnitSummary, template?: string) {
    const p = profile(unit);
    const loaded = library.get(template ?? p.label?.template ?? deps.settings().template);
    return { loaded, label: layoutLabel(loaded, labelDataFromUnit(unit, p)) };
  }

  function printerSetup(override?: PrinterSetup): PrinterSetup {
    const setup = override ?? deps.settings().printer;
    if (!setup)
      throw new Failure(
        'unavailable',
        'No label printer is set up: choose one on the Labels screen, then print again.',
      );
    return setup;
  }

  function unitOrFail(claimId: string): UnitSummary {
    const unit = store.units.get(claimId);
    if (!unit)
      throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`, {
        field: 'claimId',
      });
    return unit;
  }

  async function print(
    unit: UnitSummary,
    kind: 'print' | 'reprint',
    reason: string | null,
    jobId: string | null,
    printer?: PrinterSetup,
  ): Promise<LabelPrintEntry> {
    if (!PRINTABLE_STATES.includes(unit.state))
      throw new Failure(
        'conflict',
        `Unit ${unit.claimId} is ${unit.state}: a label is printed only for a unit that passed its checks.`,
      );
    if (inFlight.has(unit.claimId))
      throw new Failure('busy', `The label of ${unit.claimId} is being printed right now.`);
    inFlight.add(unit.claimId);
    try {
      if (kind === 'print') {
        const first = audit.firstPrint(unit.claimId);
        if (first)
          throw new Failure(
            'conflict',
            `The label of ${unit.claimId} was already printed (${first.at}, ${first.operator}): use Reprint and give a reason.`,
          );
      }
      const setup = printerSetup(printer);
      const { loaded, label } = labelFor(unit);
      const driver = deps.driver(setup);
      const copies = deps.settings().copies || 1;
      await driver.send(label, copies, unit.claimId);
      return audit.record({
        claimId: unit.claimId,
        orderId: unit.orderId,
        template: loaded.template.name,
        templateVersion: loaded.versionTag,
        printer: driver.name,
        copies,
        kind,
        reason,
        jobId,
      });
    } finally {
      inFlight.delete(unit.claimId);
    }
  }

  return {
    labelFor,
    sampleLabel(template) {
      const s = deps.settings();
      const data: LabelData = {
        ...SAMPLE_DATA,
        product: s.product || SAMPLE_DATA.product,
        model: s.model || SAMPLE_DATA.model,
      };
      const loaded = library.get(template ?? s.template);
      return { loaded, label: layoutLabel(loaded, data), data };
    },
    printUnit: (claimId, options = {}) =>
      print(unitOrFail(claimId), 'print', null, options.jobId ?? null, options.printer),
    printIssued(claimId) {
      const unit = unitOrFail(claimId);
      if (unit.state !== 'assigned')
        throw new Failure(
          'conflict',
          `Unit ${unit.claimId} is ${unit.state}: it was not just issued by the serialization service.`,
        );
      return print({ ...unit, state: 'verified' }, 'print', null, null);
    },
    async reprint(claimId, reason) {
      const why = reason.trim();
      if (!why) throw new Failure('validation', 'Say why the label is printed again.', { field: 'reason' });
      const unit = unitOrFail(claimId);
      if (!audit.firstPrint(unit.claimId))
        throw new Failure(
          'conflict',
          `The label of ${unit.claimId} was never printed: print it, do not reprint it.`,
        );
      return print(unit, 'reprint', why, null);
    },
    async printOrder(orderId, ctx, printer) {
      const units = audit.orderUnits(orderId);
      if (units.length === 0)
        throw new Failure('not-found', `Order ${orderId} has no units on this station.`, {
          field: 'orderId',
        });
      const printable = units.filter((u) => PRINTABLE_STATES.includes(u.state));
      const todo = printable.filter((u) => !audit.firstPrint(u.claimId));
      const total = printable.length;
      const already = total - todo.length;
      let done = already;
      ctx.progress(done, total);
      if (todo.length > 0) printerSetup(printer);
      for (const unit of todo) {
        ctx.throwIfCancelled();
        try {
          await print(unit, 'print', null, ctx.jobId, printer);
        } catch (error) {
          if (!isFailure(error)) throw error;
          const remaining = total - done;
          throw new Failure(
            error.code,
            `Order ${orderId} stopped at ${unit.claimId} with ${done} of ${total} labels printed. ${error.message} ` +
              `Retry prints only the ${remaining} label${remaining === 1 ? '' : 's'} not printed yet.`,
            { detail: error.detail ?? error.message, cause: error },
          );
        }
        done += 1;
        ctx.progress(done, total);
      }
      return { orderId, printed: todo.length, alreadyPrinted: already, notVerified: units.length - total };
    },
    async printTest() {
      const setup = printerSetup();
      const s = deps.settings();
      const loaded = library.get(s.template);
      const data: LabelData = {
        ...SAMPLE_DATA,
        claimId: TEST_CLAIM_ID,
        product: 'Test label',
        orderId: null,
      };
      const driver = deps.driver(setup);
      await driver.send(layoutLabel(loaded, data), 1, TEST_CLAIM_ID);
      return audit.record({
        claimId: TEST_CLAIM_ID,
        orderId: null,
        template: loaded.template.name,
        templateVersion: loaded.versionTag,
        printer: driver.name,
        copies: 1,
        kind: 'test',
      });
    },
  };
}
