// The recorded client history, Jepsen-style: an invoke event when a client starts an operation and
// an ok, fail or info event when it completes, each with the process, the function and key as the
// checker models read them, the value, and the true time. An operation still running when the run
// ends has no completion (the checker treats it as indeterminate). Events are appended in true-time
// order, so their positions order them as the checker needs.

import { assert } from '../../src/util/assert';
import type { CacheOp, CacheResult } from '../../src/cache/commands';
import type { ClientCompletion } from '../../src/client/client';

export interface HistoryEvent {
  readonly index: number;
  readonly process: string;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  /** The model's function: read, write, cas, enqueue, dequeue, add, publish, read-topic. */
  readonly f: string;
  /** Which checked part the operation belongs to, e.g. "map:m/k3", "queue:q", "counter:ctr". */
  readonly key: string;
  readonly value: unknown;
  /** True time in microseconds. */
  readonly time: number;
  /** The cache operation in words (for the viewers). */
  readonly op: string;
}

/** Bound on recorded events: a run that reaches it is misconfigured. */
export const HISTORY_EVENTS_MAX = 2_000_000;

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private readonly open = new Map<string, { op: CacheOp; f: string; key: string; value: unknown; text: string }>();

  invoke(process: string, op: CacheOp, text: string, timeUs: number): void {
    assert(!this.open.has(process), `${process} invokes while an operation is open`);
    const { f, key, value } = invocationOf(op);
    this.open.set(process, { op, f, key, value, text });
    this.push({ process, type: 'invoke', f, key, value, time: timeUs, op: text });
  }

  complete(process: string, completion: ClientCompletion, timeUs: number): void {
    const open = this.open.get(process);
    assert(open !== undefined, `${process} completes with no open operation`);
    this.open.delete(process);
    const { type, value } = completionOf(open.op, open.value, completion);
    this.push({ process, type, f: open.f, key: open.key, value, time: timeUs, op: open.text });
  }

  counts(): { ok: number; fail: number; info: number } {
    const c = { ok: 0, fail: 0, info: 0 };
    for (const e of this.events) if (e.type !== 'invoke') c[e.type]++;
    return c;
  }

  private push(e: Omit<HistoryEvent, 'index'>): void {
    assert(this.events.length < HISTORY_EVENTS_MAX, 'history exceeds its bound');
    this.events.push({ index: this.events.length, ...e });
  }
}

function invocationOf(op: CacheOp): { f: string; key: string; value: unknown } {
  switch (op.op) {
    case 'map.get':
      return { f: 'read', key: `map:${op.name}/${op.key}`, value: null };
    case 'map.put':
      return { f: 'write', key: `map:${op.name}/${op.key}`, value: op.value };
    case 'map.delete':
      return { f: 'write', key: `map:${op.name}/${op.key}`, value: null };
    case 'map.cas':
      return { f: 'cas', key: `map:${op.name}/${op.key}`, value: [op.expected, op.value] };
    case 'map.putIfAbsent':
      return { f: 'cas', key: `map:${op.name}/${op.key}`, value: [null, op.value] };
    case 'queue.offer':
      return { f: 'enqueue', key: `queue:${op.name}`, value: op.value };
    case 'queue.poll':
      return { f: 'dequeue', key: `queue:${op.name}`, value: null };
    case 'queue.peek':
    case 'queue.size':
      return { f: op.op === 'queue.peek' ? 'peek' : 'size', key: `queue:${op.name}`, value: null };
    case 'long.get':
      return { f: 'read', key: `long:${op.name}`, value: null };
    case 'long.set':
      return { f: 'write', key: `long:${op.name}`, value: op.value };
    case 'long.compareAndSet':
      return { f: 'cas', key: `long:${op.name}`, value: [op.expected, op.value] };
    case 'long.incrementAndGet':
      return { f: 'add', key: `long:${op.name}`, value: op.delta };
    case 'topic.publish':
      return { f: 'publish', key: `topic:${op.name}`, value: op.message };
    case 'topic.read':
      return { f: 'read-topic', key: `topic:${op.name}`, value: null };
  }
}

/** The completion as the models read it: conditional writes that did not apply are failures. */
function completionOf(op: CacheOp, invoked: unknown, c: ClientCompletion): { type: HistoryEvent['type']; value: unknown } {
  if (c.type !== 'ok' || c.result === null) return { type: c.type, value: invoked };
  const r: CacheResult = c.result;
  switch (r.kind) {
    case 'value':
      // Reads and polls return what they saw; writes echo what they wrote.
      return { type: 'ok', value: op.op === 'map.get' || op.op === 'queue.poll' || op.op === 'queue.peek' ? r.value : invoked };
    case 'applied':
      return { type: r.applied ? 'ok' : 'fail', value: invoked };
    case 'number':
      return { type: 'ok', value: op.op === 'long.get' || op.op === 'queue.size' || op.op === 'topic.publish' ? r.value : op.op === 'long.incrementAndGet' ? invoked : r.value };
    case 'messages':
      return { type: 'ok', value: { first: r.first, messages: r.messages } };
    case 'error':
      return { type: 'fail', value: invoked };
  }
}
