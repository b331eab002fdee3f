// What one network link does to a message: how long it takes (a base, uniform jitter and a rare
// long tail), whether it is lost, duplicated or held back so later messages overtake it. Pure
// sampling from the network's seeded stream; partitions live in partitions.ts.

import type { Rng } from '../rng/streams';

export interface LinkConfig {
  latency: {
    baseUs: number;
    /** Uniform extra delay in [0, jitterUs]. */
    jitterUs: number;
    /** Probability that a message also suffers a long-tail delay (exponential, mean tailUs). */
    tailProbability: number;
    tailUs: number;
  };
  lossProbability: number;
  duplicateProbability: number;
  /** Probability of an extra uniform delay in [0, reorderDelayUsMax], letting later messages overtake. */
  reorderProbability: number;
  reorderDelayUsMax: number;
}

/** A LAN-like default: 0.5-1.5 ms, rare 20 ms tails, nothing lost. */
export const DEFAULT_LINK: LinkConfig = {
  latency: { baseUs: 500, jitterUs: 1_000, tailProbability: 0.001, tailUs: 20_000 },
  lossProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
  reorderDelayUsMax: 5_000,
};

/** No tail latency is allowed to exceed this: it keeps every delivery within a bounded horizon. */
export const TAIL_US_MAX = 10_000_000;

/**
 * The delays of the copies of one message that will arrive, written into `delaysUs`: returns 0 if
 * it is lost, 2 if duplicated. (An output array, not a new one: this runs for every message.)
 */
export function sampleDeliveries(link: LinkConfig, rng: Rng, delaysUs: number[]): number {
  if (link.lossProbability > 0 && rng.chance(link.lossProbability)) return 0;
  delaysUs[0] = sampleDelayUs(link, rng);
  if (link.duplicateProbability > 0 && rng.chance(link.duplicateProbability)) {
    delaysUs[1] = sampleDelayUs(link, rng);
    return 2;
  }
  return 1;
}

function sampleDelayUs(link: LinkConfig, rng: Rng): number {
  const { baseUs, jitterUs, tailProbability, tailUs } = link.latency;
  let delayUs = baseUs;
  if (jitterUs > 0) delayUs += rng.int(jitterUs + 1);
  if (tailProbability > 0 && rng.chance(tailProbability)) delayUs += Math.min(TAIL_US_MAX, Math.round(rng.exponential(tailUs)));
  if (link.reorderProbability > 0 && rng.chance(link.reorderProbability)) delayUs += rng.int(link.reorderDelayUsMax + 1);
  return delayUs;
}
