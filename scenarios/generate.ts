// Building blocks for scenario generators: a cycle of faults that each hold for a while and are
// then undone, spread over the run up to its healing period, with every fault undone at the end.

import type { NodeId } from '../src/host/contract';
import { assert } from '../src/util/assert';
import type { Fault, TimedFault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { faultWindowEndUs, type ClusterShape } from './scenario';

/** One fault and what undoes it (null: nothing to undo, e.g. a clock jump). */
export interface FaultEpisode {
  readonly inject: readonly Fault[];
  readonly undo: readonly Fault[];
  /** Faults that follow the injection by afterUs (e.g. a power loss in the election a kill started); dropped if the undo comes first. */
  readonly then?: { readonly afterUs: number; readonly faults: readonly Fault[] };
  /**
   * How long after the injection its own faults may still act (a watch that fires later, a
   * restart of their own): the episode then holds at least this long, and is not started where it
   * would outlast the fault window.
   */
  readonly spanUs?: number;
}

export interface CycleOptions {
  /** Quiet time before the first fault, so the cluster can elect a leader. */
  readonly warmupUs: number;
  /** How long a fault holds, drawn uniformly. */
  readonly holdUsMin: number;
  readonly holdUsMax: number;
  /** Quiet time between the undo of one fault and the next, drawn uniformly. */
  readonly gapUsMin: number;
  readonly gapUsMax: number;
}

export const DEFAULT_CYCLE: CycleOptions = { warmupUs: 2_000_000, holdUsMin: 1_000_000, holdUsMax: 5_000_000, gapUsMin: 500_000, gapUsMax: 3_000_000 };

/** Episodes the generator draws one after another until the fault window closes. */
export function cycle(rng: Rng, cluster: ClusterShape, nextEpisode: () => FaultEpisode, options: CycleOptions = DEFAULT_CYCLE): TimedFault[] {
  const windowEndUs = faultWindowEndUs(cluster);
  const out: TimedFault[] = [];
  let t = options.warmupUs;
  // Bounded: every episode advances time by at least holdUsMin + gapUsMin > 0.
  assert(options.holdUsMin + options.gapUsMin > 0, 'a cycle must advance time');
  while (t < windowEndUs) {
    const episode = nextEpisode();
    const spanUs = episode.spanUs ?? 0;
    const holdUs = Math.max(rng.intBetween(options.holdUsMin, options.holdUsMax), spanUs);
    if (t + spanUs > windowEndUs) break;
    const undoAt = Math.min(t + holdUs, windowEndUs);
    for (const fault of episode.inject) out.push({ atUs: t, fault });
    const then = episode.then;
    if (then !== undefined && t + then.afterUs < undoAt) for (const fault of then.faults) out.push({ atUs: t + then.afterUs, fault });
    for (const fault of episode.undo) out.push({ atUs: undoAt, fault });
    t = undoAt + rng.intBetween(options.gapUsMin, options.gapUsMax);
  }
  return out;
}

/** A random minority of the members (at least one node). */
export function randomMinority(rng: Rng, members: readonly NodeId[]): NodeId[] {
  const size = 1 + rng.int(Math.max(1, Math.floor((members.length - 1) / 2)));
  return rng.shuffled(members).slice(0, size);
}
