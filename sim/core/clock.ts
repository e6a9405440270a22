// The simulator's clock: seeded data lives before `epoch`, mutations happen after it.
import type { Clock } from './types';

/** Fixed epoch: every seeded timestamp is earlier, so generated data does not depend on when the sim runs. */
export const SEED_EPOCH = Date.UTC(2026, 0, 1, 0, 0, 0);

/**
 * Ticks follow wall-clock time (so a connector's "now" and the sim agree) but never repeat or go back,
 * and are always after the seed epoch.
 */
export function createClock(options: { epoch?: number; wallClock?: () => number } = {}): Clock {
  const epoch = options.epoch ?? SEED_EPOCH;
  const wall = options.wallClock ?? Date.now;
  let last = epoch;
  return {
    epoch,
    now: () => Math.max(last, wall()),
    tick: () => {
      last = Math.max(last + 1, wall());
      return last;
    },
  };
}
