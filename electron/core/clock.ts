/** Time and randomness come in as dependencies so tests are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(start: Date | string, stepMs = 0): Clock {
  let t = new Date(start).getTime();
  return {
    now() {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}

/** Fills a buffer with random bytes (the OS CSPRNG in production). */
export type RandomBytes = (size: number) => Buffer;
