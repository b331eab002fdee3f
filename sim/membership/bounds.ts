// The time bounds the SWIM checks judge against, derived from the configuration and the cluster
// size only (never hard-coded, never measured). Pure arithmetic; it must never read the world.
//
// Bounds are counted in PROBE PERIODS of the member concerned (its own `swim.probe` ticks, as the
// recorder saw them) plus the longest suspicion timeout. A period stretches with Lifeguard's
// local health score; counting ticks instead of multiplying by (1 + H) x P keeps the bound exact
// for whatever health the member actually had, rather than the worst health it could have had.
//
//   detection (swim.ts): a live member L suspects a crashed member M by its 2(n - 1)-th probe
//     tick after the crash (the next probe of M is at most 2n - 3 ticks after the last one that
//     could succeed, and is judged one tick later), and holds it dead at most T_max after that.
//   settling (after a heal, a resume or a restart): every suspicion in flight ends within T_max
//     (refuted or dead); then within 2 sync intervals (2 x syncEveryPeriods ticks) some member
//     on each side has pushed its table across, and within the retransmit limit (lambda x
//     ceil(log10(n + 1)) ticks) the refutations this causes have been gossiped everywhere. This
//     one is an engineering bound, not a proof: sync targets are random, so a cross-partition sync
//     within two intervals is very likely, not certain (see the convergence tests for margins).

import type { SwimConfig } from '../../src/membership/config';
import { retransmitLimit, suspicionBounds } from '../../src/membership/timeouts';
import { assert } from '../../src/util/assert';

export interface SwimBounds {
  /** n: the cluster's size, every server counted (the bounds grow with n, so this is the worst case). */
  readonly members: number;
  /** T_max: the longest suspicion timeout (no confirmations), local microseconds. */
  readonly suspicionMaxUs: number;
  /** Probe ticks after a crash by which a live member has suspected the crashed one: 2(n - 1). */
  readonly detectionTicks: number;
  /** Probe ticks after T_max by which every view has settled after a heal: 2S + lambda x scale. */
  readonly settleTicks: number;
  /** False when periodic sync is off: a healed partition then has no convergence bound at all. */
  readonly syncEnabled: boolean;
}

export function swimBounds(config: SwimConfig, members: number): SwimBounds {
  assert(Number.isSafeInteger(members) && members >= 2, `a SWIM cluster has at least 2 members, got ${members}`);
  const suspicionMaxUs = suspicionBounds(
    config.suspicionMultiplier,
    config.suspicionMaxMultiplier,
    config.suspicionConfirmations,
    config.protocolPeriodUs,
    members,
  ).maxUs;
  const gossipTicks = retransmitLimit(config.retransmitMultiplier, members);
  const settleTicks = 2 * config.syncEveryPeriods + gossipTicks;
  const bounds: SwimBounds = {
    members,
    suspicionMaxUs,
    detectionTicks: 2 * (members - 1),
    settleTicks,
    syncEnabled: config.syncEveryPeriods > 0,
  };
  assert(bounds.detectionTicks >= 2 && bounds.settleTicks >= 1, 'bounds must count at least one tick');
  return bounds;
}

/**
 * The detection bound in time when every period lasts P (local health 0), plus one period of
 * start-up jitter: 2(n - 1)P + T_max + P. For planning a scenario, never for judging.
 */
export function detectionEstimateUs(config: SwimConfig, bounds: SwimBounds): number {
  return (bounds.detectionTicks + 1) * config.protocolPeriodUs + bounds.suspicionMaxUs;
}

/** The settling bound in time when every period lasts P: T_max + (2S + L)P. For planning only. */
export function settleEstimateUs(config: SwimConfig, bounds: SwimBounds): number {
  return bounds.suspicionMaxUs + bounds.settleTicks * config.protocolPeriodUs;
}
