import fs from 'node:fs';
import path from 'node:path';
import { Failure } from '../failure';
import { checkProfileText, type ProfileProblem } from './validate';
import type { Profile } from './schema';
import { MAX_PROFILE_BYTES } from './validate';
import { readBoundedText } from '../boundedRead';

export type ProfileSource = 'factory' | 'station';

export interface LoadedProfile {
  /** The file name without `.json5`: how orders and the CLI name a profile. */
  name: string;
  file: string;
  source: ProfileSource;
  /** The exact text (it holds the product token: never send it to the renderer unmasked). */
  text: string;
  hash: string;
  profile: Profile | null;
  problems: ProfileProblem[];
  /** A station profile with the name of a shipped one: listed with its problem, never used. */
  shadowed: boolean;
}

export interface ProfileLibrary {
  /** Every profile file, read fresh from disk, shipped ones first, by name. */
  list(): LoadedProfile[];
  /** A profile by name; `not-found` when there is none. */
  get(name: string): LoadedProfile;
  /** A valid profile by name; `validation` when it has problems. */
  getValid(name: string): LoadedProfile & { profile: Profile };
  checkFile(file: string): LoadedProfile;
}

export interface ProfileLibraryDeps {
  /** `factory-profiles/` shipped with Lineside. */
  factoryDir: string;
  /** `<dataDir>/profiles/`: profiles this station added. */
  stationDir: string;
  entropyFloor: () => number;
}

function readDir(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json5'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export function createProfileLibrary(deps: ProfileLibraryDeps): ProfileLibrary {
  function load(file: string, source: ProfileSource): LoadedProfile {
    const text = readBoundedText(file, { what: 'profile', maxBytes: MAX_PROFILE_BYTES });
    const check = checkProfileText(text, { file, entropyFloor: deps.entropyFloor() });
    return {
      name: path.basename(file, '.json5'),
      file,
      source,
      text,
      hash: check.hash,
      profile: check.profile,
      problems: check.problems,
      shadowed: false,
    };
  }

  function list(): LoadedProfile[] {
    const out: LoadedProfile[] = [];
    const seen = new Set<string>();
    for (const [dir, source] of [
      [deps.factoryDir, 'factory'],
      [deps.stationDir, 'station'],
    ] as const) {
      for (const file of readDir(dir)) {
        const p = load(file, source);
        if (seen.has(p.name)) {
          p.profile = null;
          p.shadowed = true;
          p.problems.unshift({
            file,
            line: 1,
            column: 1,
            path: '',
            message: `A profile named "${p.name}" already ships with Lineside; this one is ignored.`,
            hint: 'rename the file',
          });
        }
        seen.add(p.name);
        out.push(p);
      }
    }
    return out;
  }

  function get(name: string): LoadedProfile {
    const found = list().find((p) => p.name === name && !p.shadowed);
    if (!found)
      throw new Failure('not-found', `There is no profile named "${name}" on this station.`, {
        detail: `looked in ${deps.factoryDir} and ${deps.stationDir}`,
        field: 'profile',
      });
    return found;
  }

  return {
    list,
    get,
    getValid(name) {
      const p = get(name);
      if (!p.profile) {
        const first = p.problems[0];
        throw new Failure(
          'validation',
          `The profile "${name}" has ${p.problems.length} problem(s): fix it before using it.`,
          {
            detail: p.problems.map((x) => `${x.file}:${x.line}:${x.column} ${x.message}`).join('\n'),
            field: first?.path || 'profile',
          },
        );
      }
      return p as LoadedProfile & { profile: Profile };
    },
    checkFile: (file) => load(path.resolve(file), 'station'),
  };
}
