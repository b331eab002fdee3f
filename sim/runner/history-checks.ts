// The end-of-run checks that read the client history: linearizability of every structure with
// porcupine-ts (the map split by key as compare-and-set registers, the queue as a FIFO queue, the
// register long as a compare-and-set register, the counter long as a counter), the topic's commit
// order, durability of acknowledged increments, and liveness after the final heal.

import { checkHistory } from '../../checkers/linearizability/check';
import type { HistoryEvent as CheckerEvent } from '../../checkers/linearizability/history';
import { modelRegistry, type ConfiguredModel } from '../../checkers/linearizability/models/registry';
import type { CheckResult, PartResult } from '../../checkers/linearizability/types';
import { checkTopicOrder } from '../../checkers/topic/order';
import { assert } from '../../src/util/assert';
import type { HistoryEvent } from '../workload/history';
import type { Verdict } from './artifact';

/** The search budget per run: deterministic, so an exhausted budget is reproducible as `unknown`. */
export const LINEARIZABILITY_STEPS_MAX = 20_000_000;

export function linearizabilityVerdict(history: readonly HistoryEvent[]): Verdict {
  const parts = new Map<string, HistoryEvent[]>();
  for (const e of history) {
    if (e.key.startsWith('topic:')) continue; // judged by the topic check
    const list = parts.get(e.key) ?? [];
    list.push(e);
    parts.set(e.key, list);
  }
  const results: { key: string; result: CheckResult }[] = [];
  let budget = LINEARIZABILITY_STEPS_MAX;
  for (const key of [...parts.keys()].sort()) {
    const configured = modelFor(key);
    const events: CheckerEvent[] = (parts.get(key) as HistoryEvent[]).map((e) => ({ process: e.process, type: e.type, f: e.f, value: e.value, time: e.time, index: e.index, line: e.index + 1 }));
    const checked = checkHistory(configured.model, configured.adapt, events, { maxSteps: Math.max(1, budget) });
    assert(checked.ok, `the simulator recorded an inconsistent history for ${key}: ${checked.ok ? '' : checked.error.message}`);
    budget -= checked.result.steps;
    results.push({ key, result: checked.result });
  }
  const merged = mergeResults(results, parts);
  const ops = merged.operationCount;
  const illegal = merged.parts.find((p) => p.verdict === 'illegal');
  if (illegal !== undefined) {
    const stuck = illegal.stuck !== undefined ? illegal.operations.find((o) => o.id === illegal.stuck?.op)?.description : undefined;
    return { check: 'linearizability', verdict: 'fail', summary: `${illegal.label} is not linearizable${stuck ? `: cannot place ${stuck}` : ''}`, detail: merged };
  }
  const unknown = merged.parts.find((p) => p.verdict === 'unknown');
  if (unknown !== undefined) return { check: 'linearizability', verdict: 'unknown', summary: `${unknown.label}: ${unknown.reason ?? 'search budget exhausted'}`, detail: merged };
  return { check: 'linearizability', verdict: 'pass', summary: `${ops} operations in ${results.length} parts are linearizable` };
}

/**
 * One checker result for the whole history, as the viewers read it: every key's parts, labelled
 * with the key, operation ids made unique across keys, and call and return turned from positions
 * in one key's events into the events' own indices in the whole history.
 */
function mergeResults(results: readonly { key: string; result: CheckResult }[], events: ReadonlyMap<string, readonly HistoryEvent[]>): CheckResult {
  const parts: PartResult[] = [];
  let idOffset = 0;
  for (const { key, result } of results) {
    const keyEvents = events.get(key) as readonly HistoryEvent[];
    const global = (position: number): number => {
      const event = keyEvents[position];
      assert(event !== undefined, `checker position ${position} outside the ${keyEvents.length} events of ${key}`);
      return event.index;
    };
    const offset = idOffset;
    const id = (op: number): number => op + offset;
    for (const part of result.parts) {
      parts.push({
        ...part,
        index: parts.length,
        label: result.parts.length > 1 ? `${key} ${part.label}` : key,
        operations: part.operations.map((o) => ({ ...o, id: id(o.id), call: global(o.call), return: o.return === null ? null : global(o.return) })),
        ...(part.longestPrefix ? { longestPrefix: part.longestPrefix.map((s) => ({ ...s, op: id(s.op) })) } : {}),
        ...(part.partialLinearizations ? { partialLinearizations: part.partialLinearizations.map((l) => l.map((s) => ({ ...s, op: id(s.op) }))) } : {}),
        ...(part.stuck ? { stuck: { ...part.stuck, op: id(part.stuck.op), concurrent: part.stuck.concurrent.map(id) } } : {}),
      });
    }
    idOffset += result.operationCount;
  }
  const verdicts = parts.map((p) => p.verdict);
  return {
    verdict: verdicts.includes('illegal') ? 'illegal' : verdicts.includes('unknown') ? 'unknown' : 'ok',
    model: 'per key: cas-register (map keys, long:reg), fifo-queue (queue), counter (long:ctr)',
    operationCount: results.reduce((n, r) => n + r.result.operationCount, 0),
    steps: results.reduce((n, r) => n + r.result.steps, 0),
    parts,
  };
}

export function topicVerdict(history: readonly HistoryEvent[]): Verdict {
  const events = history.filter((e) => e.key.startsWith('topic:'));
  const violations = checkTopicOrder(events);
  if (violations.length === 0) return { check: 'topic-order', verdict: 'pass', summary: `${events.length} topic events agree on one commit order` };
  return { check: 'topic-order', verdict: 'fail', summary: (violations[0] as { message: string }).message, detail: violations };
}

/**
 * Acknowledged increments of the counter are never lost: the final read must be at least the
 * number of acknowledged increments and at most that plus the indeterminate ones.
 */
export function durabilityVerdict(history: readonly HistoryEvent[], counterKey: string): Verdict {
  // Judged against the last successful read: increments acknowledged before it was invoked must
  // all be in it; those invoked before it completed may be (an increment concurrent with the read
  // may take effect on either side of it, as linearizability allows).
  const adds: { value: number; invokedUs: number; doneUs: number | null; ok: boolean }[] = [];
  const invoked = new Map<string, HistoryEvent>();
  let finalRead: { value: number; invokedUs: number; doneUs: number } | null = null;
  for (const e of history) {
    if (e.key !== counterKey) continue;
    if (e.type === 'invoke') {
      invoked.set(e.process, e);
      continue;
    }
    const call = invoked.get(e.process);
    invoked.delete(e.process);
    if (call?.f === 'add' && e.type !== 'fail') adds.push({ value: call.value as number, invokedUs: call.time, doneUs: e.time, ok: e.type === 'ok' });
    if (call?.f === 'read' && e.type === 'ok') finalRead = { value: e.value as number, invokedUs: call.time, doneUs: e.time };
  }
  for (const open of invoked.values()) if (open.f === 'add') adds.push({ value: open.value as number, invokedUs: open.time, doneUs: null, ok: false });
  if (finalRead === null) return { check: 'durability', verdict: 'unknown', summary: `no successful read of ${counterKey} to judge by` };
  const read = finalRead;
  let acked = 0;
  let possible = 0;
  for (const a of adds) {
    if (a.ok && a.doneUs !== null && a.doneUs < read.invokedUs) acked += a.value;
    if (a.invokedUs < read.doneUs) possible += a.value;
  }
  if (read.value < acked) return { check: 'durability', verdict: 'fail', summary: `${counterKey} reads ${read.value} but ${acked} increments were acknowledged: acknowledged writes were lost` };
  if (read.value > possible) return { check: 'durability', verdict: 'fail', summary: `${counterKey} reads ${read.value}, more than the ${possible} increments that may have happened` };
  return { check: 'durability', verdict: 'pass', summary: `${counterKey} = ${read.value}: all ${acked} acknowledged increments present (${possible - acked} indeterminate)` };
}

/** After healing, every structure must answer at least one operation successfully within the bound. */
export function livenessVerdict(history: readonly HistoryEvent[], healedAtUs: number, boundUs: number): Verdict {
  const keys = [...new Set(history.map((e) => e.key))].sort();
  // The first successful answer after healing, per key, in one pass over the history.
  const firstOkUs = new Map<string, number>();
  for (const e of history) if (e.type === 'ok' && e.time >= healedAtUs && !firstOkUs.has(e.key)) firstOkUs.set(e.key, e.time);
  const late: string[] = [];
  for (const key of keys) {
    const first = firstOkUs.get(key);
    if (first === undefined || first - healedAtUs > boundUs) late.push(key);
  }
  if (late.length === 0) return { check: 'liveness', verdict: 'pass', summary: `after healing at ${(healedAtUs / 1e6).toFixed(3)} s every key answered within ${boundUs / 1e6} s` };
  return { check: 'liveness', verdict: 'fail', summary: `no successful operation within ${boundUs / 1e6} s of healing on ${late.join(', ')}` };
}

function modelFor(key: string): ConfiguredModel {
  const [kind] = key.split(':');
  const name = kind === 'queue' ? 'fifo-queue' : key === 'long:ctr' ? 'counter' : 'cas-register';
  const initial = kind === 'long' ? 0 : undefined;
  const entry = modelRegistry.find((m) => m.name === name);
  assert(entry !== undefined, `no checker model ${name}`);
  const created = entry.create(initial);
  assert(created.ok, `model ${name} refused its initial value`);
  return created.configured;
}
