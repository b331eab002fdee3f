// The formulas that scale SWIM with cluster size: the suspicion timeout (with Lifeguard's
// shrinking on independent confirmations) and the piggyback retransmit limit. Pure integer
// results; never reads state or clocks.

import { assert } from '../util/assert';

/** max(1, ceil(log10 n)): a cluster of up to 10 counts as 1, up to 100 as 2, and so on. */
export function clusterScale(memberCount: number): number {
  assert(memberCount >= 0, 'memberCount must be non-negative');
  if (memberCount <= 10) return 1;
  return Math.max(1, Math.ceil(Math.log10(memberCount) - 1e-12));
}

/** How many times an update is piggybacked before it is dropped: lambda x max(1, ceil(log10(n + 1))). */
export function retransmitLimit(retransmitMultiplier: number, memberCount: number): number {
  const limit = retransmitMultiplier * clusterScale(memberCount + 1);
  assert(limit >= 1, 'retransmit limit must be at least 1');
  return limit;
}

export interface SuspicionBounds {
  readonly minUs: number;
  readonly maxUs: number;
  /** Confirmations expected; 0 means the timeout is the minimum from the start. */
  readonly expectedConfirmations: number;
}

/**
 * Lifeguard's dynamic suspicion timeout bounds for a cluster of memberCount live members:
 * min = alpha x scale(n) x period, max = beta x min. K is capped at n - 2 (the members other
 * than the suspect and the first suspecter that could confirm).
 */
export function suspicionBounds(
  suspicionMultiplier: number,
  suspicionMaxMultiplier: number,
  suspicionConfirmations: number,
  protocolPeriodUs: number,
  memberCount: number,
): SuspicionBounds {
  const minUs = suspicionMultiplier * clusterScale(memberCount) * protocolPeriodUs;
  const maxUs = suspicionMaxMultiplier * minUs;
  const expectedConfirmations = Math.max(0, Math.min(suspicionConfirmations, memberCount - 2));
  assert(Number.isSafeInteger(maxUs), 'suspicion timeout must be a safe integer');
  assert(maxUs >= minUs, 'suspicion max must not be below min');
  return { minUs, maxUs, expectedConfirmations };
}

/**
 * Timeout after `confirmations` independent confirmations:
 *   max(min, max - (max - min) x log(C + 1) / log(K + 1)),
 * so it falls from max (no confirmation) to min (K confirmations) and never below min.
 */
export function suspicionTimeoutUs(bounds: SuspicionBounds, confirmations: number): number {
  assert(confirmations >= 0, 'confirmations must be non-negative');
  const K = bounds.expectedConfirmations;
  if (K < 1) return bounds.minUs;
  const fraction = Math.log(confirmations + 1) / Math.log(K + 1);
  const timeoutUs = Math.floor(bounds.maxUs - (bounds.maxUs - bounds.minUs) * fraction);
  const result = Math.max(bounds.minUs, timeoutUs);
  assert(result >= bounds.minUs && result <= bounds.maxUs, 'suspicion timeout out of bounds');
  return result;
}
