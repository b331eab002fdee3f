// Phi-accrual failure detector (Hayashibara, Defago, Yared, Katayama 2004) for one member.
// Keeps a sliding window of heartbeat inter-arrival times and reports
//
//     phi(t) = -log10( P(X > t - lastHeartbeat) ),  X ~ Normal(mean + pause, max(stddev, min))
//
// so phi = 1 means a 10% chance the member is merely late, phi = 8 a one-in-10^8 chance.
// It never reads a clock (callers pass their local time) and never decides anything: SWIM
// reports phi in the view and events but does not act on it (see swim.ts for why).

import { assert, assertInteger } from '../util/assert';
import type { PhiConfig } from './config';

export class PhiAccrualDetector {
  private readonly config: PhiConfig;
  /** Ring buffer of inter-arrival times (microseconds), at most windowSize long. */
  private readonly intervalsUs: number[] = [];
  private nextSlot = 0;
  private lastHeartbeatUs: number | null = null;

  constructor(config: PhiConfig) {
    assert(config.windowSize >= 1, 'phi windowSize must be at least 1');
    assert(config.minStdDevUs > 0, 'phi minStdDevUs must be positive');
    this.config = config;
  }

  /** Record a heartbeat (an ack) seen at local time nowUs. */
  heartbeat(nowUs: number): void {
    assertInteger(nowUs, 'nowUs');
    const last = this.lastHeartbeatUs;
    // A local clock may jump backwards; such a sample says nothing about the member, skip it.
    if (last !== null && nowUs > last) {
      this.push(nowUs - last);
    }
    if (last === null || nowUs > last) this.lastHeartbeatUs = nowUs;
    assert(this.intervalsUs.length <= this.config.windowSize, 'phi window overflow');
  }

  /** Suspicion level at local time nowUs; 0 until two heartbeats give one interval. */
  phi(nowUs: number): number {
    const last = this.lastHeartbeatUs;
    if (last === null || this.intervalsUs.length === 0) return 0;
    const sinceUs = Math.max(0, nowUs - last);
    const stats = this.stats();
    const meanUs = stats.meanUs + this.config.acceptableHeartbeatPauseUs;
    const stdDevUs = Math.max(stats.stdDevUs, this.config.minStdDevUs);
    const result = phiOfNormal(sinceUs, meanUs, stdDevUs);
    assert(result >= 0 && !Number.isNaN(result), 'phi must be a non-negative number');
    return result;
  }

  isSuspicious(nowUs: number): boolean {
    return this.phi(nowUs) >= this.config.threshold;
  }

  /** Mean and population standard deviation of the window (exposed for tests and the view). */
  stats(): { readonly samples: number; readonly meanUs: number; readonly stdDevUs: number } {
    const n = this.intervalsUs.length;
    if (n === 0) return { samples: 0, meanUs: 0, stdDevUs: 0 };
    let sum = 0;
    for (const x of this.intervalsUs) sum += x;
    const mean = sum / n;
    let squares = 0;
    for (const x of this.intervalsUs) squares += (x - mean) * (x - mean);
    return { samples: n, meanUs: mean, stdDevUs: Math.sqrt(squares / n) };
  }

  /** Forget the history (a member that came back from the dead is a new process). */
  reset(): void {
    this.intervalsUs.length = 0;
    this.nextSlot = 0;
    this.lastHeartbeatUs = null;
  }

  private push(intervalUs: number): void {
    if (this.intervalsUs.length < this.config.windowSize) {
      this.intervalsUs.push(intervalUs);
      return;
    }
    this.intervalsUs[this.nextSlot] = intervalUs;
    this.nextSlot = (this.nextSlot + 1) % this.config.windowSize;
  }
}

/**
 * -log10 of the upper tail of Normal(mean, stdDev) at x. Computed in log space for large x so
 * it never underflows to Infinity (at y = 40 the tail is ~1e-350, below the smallest double).
 */
export function phiOfNormal(x: number, mean: number, stdDev: number): number {
  assert(stdDev > 0, 'stdDev must be positive');
  const y = (x - mean) / stdDev;
  const z = Math.abs(y) / Math.SQRT2;
  // P(X > x) = erfc(y / sqrt 2) / 2.
  if (y >= 0) {
    const ln10Tail = Math.log(0.5) + lnErfc(z);
    return Math.max(0, -ln10Tail / Math.LN10);
  }
  const tail = 1 - 0.5 * Math.exp(lnErfc(z));
  return -Math.log10(tail);
}

/**
 * ln(erfc(z)) for z >= 0, from the Chebyshev-fitted form erfc(z) = t exp(-z^2 + P(t)),
 * t = 1 / (1 + z/2) (Press et al., Numerical Recipes, erfcc): relative error below 1.2e-7
 * everywhere, which is far finer than any decision made on phi.
 */
function lnErfc(z: number): number {
  assert(z >= 0, 'lnErfc needs z >= 0');
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 +
    t * (0.37409196 +
    t * (0.09678418 +
    t * (-0.18628806 +
    t * (0.27886807 +
    t * (-1.13520398 +
    t * (1.48851587 +
    t * (-0.82215223 +
    t * 0.17087277))))))));
  return Math.log(t) - z * z + poly;
}
