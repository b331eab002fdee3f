// One node's local clock, as the node itself reads it. True time is the simulator's; a node only
// ever sees local = offset + (1 + drift) x true time, piecewise: a jump or a change of drift starts
// a new piece at the true time it happens, so the clock is continuous except at jumps. Jumps may
// go backward (an NTP step). Integer microseconds throughout; drift in parts per million.

import { assert } from '../../src/util/assert';

export interface ClockSettings {
  /** Local minus true time at true time 0. */
  offsetUs: number;
  /** Rate error: +100 means the clock gains 100 µs per true second. */
  driftPpm: number;
}

/** Drift beyond half a second per second is not a clock, it is a bug in the scenario. */
export const DRIFT_PPM_MAX = 500_000;

export class NodeClock {
  // The current piece: local(t) = baseLocalUs + elapsed + floor(elapsed * driftPpm / 1e6),
  // where elapsed = t - baseTrueUs >= 0.
  private baseTrueUs = 0;
  private baseLocalUs: number;
  private driftPpm: number;

  constructor(settings: ClockSettings) {
    assert(Number.isSafeInteger(settings.offsetUs), 'clock offsetUs must be an integer');
    assertDrift(settings.driftPpm);
    this.baseLocalUs = settings.offsetUs;
    this.driftPpm = settings.driftPpm;
  }

  get currentDriftPpm(): number {
    return this.driftPpm;
  }

  localAt(trueUs: number): number {
    const elapsedUs = trueUs - this.baseTrueUs;
    assert(elapsedUs >= 0, 'clock read before its current piece began');
    return this.baseLocalUs + elapsedUs + Math.floor((elapsedUs * this.driftPpm) / 1e6);
  }

  /** Local minus true time now: what a viewer shows as the node's clock offset. */
  offsetAt(trueUs: number): number {
    return this.localAt(trueUs) - trueUs;
  }

  /**
   * The earliest true time >= nowTrueUs at which this clock reads at least localUs, assuming no
   * further jump or drift change (the host reschedules timers when one happens).
   */
  trueTimeWhenLocalReaches(localUs: number, nowTrueUs: number): number {
    if (this.localAt(nowTrueUs) >= localUs) return nowTrueUs;
    const neededUs = localUs - this.baseLocalUs;
    // Solve elapsed + floor(elapsed * drift) >= needed: start from the real-valued answer and
    // correct for rounding. The corrections are at most a couple of microseconds each way.
    let elapsedUs = Math.max(0, Math.ceil(neededUs / (1 + this.driftPpm / 1e6)));
    const lowestUs = nowTrueUs - this.baseTrueUs;
    if (elapsedUs < lowestUs) elapsedUs = lowestUs;
    for (let i = 0; i < 8 && this.localAt(this.baseTrueUs + elapsedUs) < localUs; i++) elapsedUs++;
    for (let i = 0; i < 8 && elapsedUs > lowestUs && this.localAt(this.baseTrueUs + elapsedUs - 1) >= localUs; i++) elapsedUs--;
    const result = this.baseTrueUs + elapsedUs;
    assert(this.localAt(result) >= localUs, 'timer deadline solution reads too early');
    assert(result >= nowTrueUs, 'timer deadline solution lies in the past');
    return result;
  }

  /** The clock steps by deltaUs (negative: backward) at true time atTrueUs. */
  jump(atTrueUs: number, deltaUs: number): void {
    assert(Number.isSafeInteger(deltaUs), 'clock jump must be an integer number of µs');
    this.rebase(atTrueUs);
    this.baseLocalUs += deltaUs;
  }

  /** From true time atTrueUs on, the clock runs at a new rate. */
  setDrift(atTrueUs: number, driftPpm: number): void {
    assertDrift(driftPpm);
    this.rebase(atTrueUs);
    this.driftPpm = driftPpm;
  }

  private rebase(atTrueUs: number): void {
    const localUs = this.localAt(atTrueUs);
    this.baseTrueUs = atTrueUs;
    this.baseLocalUs = localUs;
  }
}

function assertDrift(driftPpm: number): void {
  assert(Number.isSafeInteger(driftPpm), 'driftPpm must be an integer');
  assert(Math.abs(driftPpm) <= DRIFT_PPM_MAX, `|driftPpm| must be at most ${DRIFT_PPM_MAX}, got ${driftPpm}`);
}
