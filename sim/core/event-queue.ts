// The simulator's event queue: a binary min-heap ordered by (true time, insertion sequence), so
// two events at the same microsecond always leave in the order they were scheduled. Keys live in
// typed arrays and payloads in a parallel array, which keeps the hot loop free of per-event key
// objects. It knows nothing of what an event means.

import { assert } from '../../src/util/assert';

export class EventQueue<T> {
  private timesUs: Float64Array;
  private seqs: Float64Array;
  private payloads: (T | undefined)[];
  private count = 0;
  private nextSeq = 0;

  constructor(
    /** The most events that may wait at once: a bound, not a hint (Tiger Style). */
    readonly capacityMax: number = 1 << 24,
    initialCapacity = 1024,
  ) {
    assert(Number.isSafeInteger(capacityMax) && capacityMax > 0, 'capacityMax must be a positive integer');
    const capacity = Math.min(initialCapacity, capacityMax);
    this.timesUs = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.payloads = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Sequence numbers handed out so far (a count of every event ever scheduled). */
  get scheduledTotal(): number {
    return this.nextSeq;
  }

  push(timeUs: number, payload: T): void {
    // A constant message: this runs for every event, and a template would build a string each time.
    assert(Number.isSafeInteger(timeUs) && timeUs >= 0, 'event time must be a non-negative integer');
    if (this.count === this.timesUs.length) this.grow();
    let i = this.count++;
    const seq = this.nextSeq++;
    // Sift up: move parents down until the new key's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.timesUs[parent] as number;
      if (pt < timeUs || (pt === timeUs && (this.seqs[parent] as number) < seq)) break;
      this.timesUs[i] = pt;
      this.seqs[i] = this.seqs[parent] as number;
      this.payloads[i] = this.payloads[parent];
      i = parent;
    }
    this.timesUs[i] = timeUs;
    this.seqs[i] = seq;
    this.payloads[i] = payload;
  }

  /** The time of the earliest event. Pre: not empty. */
  peekTimeUs(): number {
    assert(this.count > 0, 'peekTimeUs on an empty queue');
    return this.timesUs[0] as number;
  }

  /** Removes and returns the earliest event's payload. Pre: not empty. */
  pop(): T {
    assert(this.count > 0, 'pop on an empty queue');
    const top = this.payloads[0] as T;
    const last = --this.count;
    const t = this.timesUs[last] as number;
    const s = this.seqs[last] as number;
    const p = this.payloads[last];
    this.payloads[last] = undefined; // let the payload be collected
    if (last > 0) {
      // Sift the former last element down from the root.
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= last) break;
        const right = left + 1;
        let child = left;
        if (right < last) {
          const lt = this.timesUs[left] as number;
          const rt = this.timesUs[right] as number;
          if (rt < lt || (rt === lt && (this.seqs[right] as number) < (this.seqs[left] as number))) child = right;
        }
        const ct = this.timesUs[child] as number;
        if (t < ct || (t === ct && s < (this.seqs[child] as number))) break;
        this.timesUs[i] = ct;
        this.seqs[i] = this.seqs[child] as number;
        this.payloads[i] = this.payloads[child];
        i = child;
      }
      this.timesUs[i] = t;
      this.seqs[i] = s;
      this.payloads[i] = p;
    }
    return top;
  }

  private grow(): void {
    const capacity = this.timesUs.length;
    assert(capacity < this.capacityMax, `event queue full: ${capacity} events pending (capacityMax)`);
    const next = Math.min(capacity * 2, this.capacityMax);
    const times = new Float64Array(next);
    times.set(this.timesUs);
    const seqs = new Float64Array(next);
    seqs.set(this.seqs);
    this.timesUs = times;
    this.seqs = seqs;
    this.payloads.length = next;
  }
}
