// Shrinking a failing fault schedule: delta debugging (Zeller and Hildebrandt's ddmin) over the
// list of faults. A candidate is kept when the run still fails the same check; faults are removed
// in halves, then quarters, ... down to single faults, until no single fault can go. The number
// of runs is bounded, so shrinking always ends (with the smallest schedule found so far).

import { assert } from '../../src/util/assert';
import type { FaultSchedule, TimedFault } from './schedule';

export interface ShrinkResult {
  readonly schedule: FaultSchedule;
  /** Runs spent, the first (the original schedule) included. */
  readonly runs: number;
  /** False when the run budget ran out before the schedule was 1-minimal. */
  readonly minimal: boolean;
}

/**
 * The smallest sub-list of `schedule` (in its order) for which `fails` still holds. Pre: `fails`
 * holds for the whole schedule (checked: it is the first run).
 */
export function shrinkSchedule(schedule: FaultSchedule, fails: (candidate: FaultSchedule) => boolean, runsMax = 200): ShrinkResult {
  assert(runsMax >= 1, 'shrinking needs at least one run');
  let runs = 1;
  assert(fails(schedule), 'shrinkSchedule: the original schedule does not fail');
  let current: TimedFault[] = [...schedule];
  let chunks = 2;
  while (current.length >= 1) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    // Try removing each chunk in turn (the complement of the chunk is the candidate).
    for (let start = 0; start < current.length; start += size) {
      if (runs >= runsMax) return { schedule: current, runs, minimal: false };
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      runs++;
      if (fails(candidate)) {
        current = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (size === 1) break; // no single fault can be removed: 1-minimal
    chunks = Math.min(chunks * 2, current.length);
  }
  return { schedule: current, runs, minimal: true };
}
