import type { StationSlotReport } from '../../shared/contract';
import { stringOption, type Command } from '../command';
import * as specs from './specs';
import { EXIT, exitCodeFor } from '../exitCodes';
import { readPassphrase } from './ca';

function progressLine(report: StationSlotReport): string | null {
  const step = report.steps.find((s) => s.status === 'running');
  if (!step) return null;
  const bytes = step.bytesTotal > 0 ? ` ${step.bytesDone}/${step.bytesTotal} B` : '';
  return `slot ${report.slot} ${report.claimId ?? '-'} ${step.step}${bytes} ${(step.ms / 1000).toFixed(1)} s`;
}

/**
 * One unit through one slot, for scripted stations: progress on stderr, a JSON report on stdout,
 * and the exit code by outcome (0 PASS; otherwise the failure's code, see the README).
 */
export const provisionCommand: Command = {
  ...specs.provision,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const port = stringOption(args, 'port');
    const serial = stringOption(args, 'serial');
    const resume = stringOption(args, 'resume');
    const rework = stringOption(args, 'rework');
    const slotText = stringOption(args, 'slot');
    const slot = slotText === undefined ? undefined : Number(slotText);
    if ((!resume && !orderId) || (slot !== undefined && !Number.isInteger(slot))) {
      ctx.io.stderr(`Usage: lineside provision ${provisionCommand.usage}`);
      return EXIT.usage;
    }
    const handle = ctx.services();
    // A profile that issues certificates needs the factory CA unlocked in this process.
    const passphrase = readPassphrase(args);
    if (passphrase !== null) {
      const unlocked = await ctx.call('unlockCa', { passphrase });
      if (!unlocked.ok) return ctx.report(unlocked, () => '');
    }
    let last = '';
    const off = handle.events.subscribe((event, payload) => {
      if (event !== 'stationSlot') return;
      const line = progressLine(payload as StationSlotReport);
      if (line && line !== last) ctx.io.stderr((last = line));
    });
    const onSigint = () => void ctx.call('cancelUnit', { slot: slot ?? 1 });
    process.once('SIGINT', onSigint);
    try {
      const result = resume
        ? await ctx.call('resumeUnit', {
            claimId: resume,
            ...(slot !== undefined ? { slot } : {}),
            ...(port ? { port } : {}),
            wait: true,
          })
        : await ctx.call('startUnit', {
            slot: slot ?? 1,
            orderId: orderId!,
            ...(port ? { port } : {}),
            ...(serial ? { serial } : {}),
            ...(rework ? { rework } : {}),
            wait: true,
          });
      if (!result.ok) {
        ctx.io.stdout(JSON.stringify({ outcome: 'error', error: result.error }, null, 2));
        ctx.io.stderr(`Error: ${result.error.message}`);
        return exitCodeFor(result.error.code);
      }
      const r = result.value;
      const run = r.claimId ? await ctx.call('getUnitRun', { claimId: r.claimId }) : null;
      const files =
        run?.ok === true
          ? run.value.files.map((f) => ({
              path: f.path,
              size: f.size,
              sha256: f.sha256,
              verified: f.verifiedAt !== null,
            }))
          : [];
      const outcome = r.status === 'pass' ? 'pass' : 'fail';
      ctx.io.stdout(
        JSON.stringify(
          {
            outcome,
            slot: r.slot,
            port: r.port,
            orderId: r.orderId,
            claimId: r.claimId,
            serial: r.serial,
            unitState: r.unitState,
            rework: r.rework,
            identity: r.identity,
            heldClaimId: r.heldClaimId,
            failure: r.failure,
            nextAction: r.nextAction,
            warnings: r.warnings,
            retransmissions: r.retransmissions,
            steps: r.steps,
            files,
          },
          null,
          2,
        ),
      );
      ctx.io.stderr(
        outcome === 'pass'
          ? `PASS ${r.claimId}: ${r.nextAction}`
          : `FAIL ${r.claimId ?? ''}: ${r.failure?.message ?? ''} ${r.nextAction}`.replace(/ +/g, ' '),
      );
      return outcome === 'pass' ? EXIT.ok : exitCodeFor(r.failure?.code ?? 'internal');
    } finally {
      process.off('SIGINT', onSigint);
      off();
    }
  },
};
