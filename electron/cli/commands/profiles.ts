import path from 'node:path';
import type { ProfileProblemReport } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import type { Command } from '../command';
import * as specs from './specs';
import { readBoundedText } from '../../core/boundedRead';
import { MAX_PROFILE_BYTES } from '../../core/profiles';

function problemLines(problems: ProfileProblemReport[]): string[] {
  return problems.map(
    (p) => `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`,
  );
}

const bits = (n: number) => `${n.toFixed(1)} bits`;

export const profilesCheckCommand: Command = {
  ...specs.profilesCheck,
  async run(ctx, args) {
    const file = args.positionals[0];
    if (file) {
      const text = readBoundedText(file, { what: 'profile', maxBytes: MAX_PROFILE_BYTES });
      const result = await ctx.call('checkProfile', {
        text,
        file: path.relative(process.cwd(), path.resolve(file)),
      });
      const code = ctx.report(result, (r) =>
        r.valid
          ? `${file}: OK (claim IDs: ${r.ids!.length}${r.ids!.checkSymbol ? '+check' : ''} of ${r.ids!.alphabet.length} letters, ${bits(r.ids!.entropyBits)}; version ${r.hash.slice(0, 12)})`
          : [...problemLines(r.problems), `${r.problems.length} problem(s) in ${file}`].join('\n'),
      );
      return result.ok && !result.value.valid ? EXIT.validation : code;
    }
    const result = await ctx.call('listProfiles', undefined);
    const code = ctx.report(result, (r) =>
      [
        ...r.profiles.flatMap((p) => [
          `${p.valid ? 'OK  ' : 'FAIL'} ${p.name} (${p.source}) ${p.file}` +
            (p.ids ? `  ${bits(p.ids.entropyBits)}` : ''),
          ...problemLines(p.problems).map((l) => `     ${l}`),
        ]),
        `${r.profiles.length} profile(s); entropy floor ${r.entropyFloor} bits`,
      ].join('\n'),
    );
    return result.ok && result.value.profiles.some((p) => !p.valid) ? EXIT.validation : code;
  },
};
