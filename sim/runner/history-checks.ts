// The end-of-run checks that read the client history: linearizability of every structure with
// porcupine-ts (the map split by key as compare-and-set registers, the queue as a FIFO queue, the
// register long as a compare-and-set register, the counter long as a counter), the topic's commit
// order, durability of acknowledged increments, and liveness after the final heal.

import { checkHistory } from '../../checkers/linearizability/check';
import type { HistoryEvent as CheckerEvent } from '../../checkers/linearizability/history';
import { modelRegistry, type ConfiguredModel } from '../../checkers/linearizability/models/registry';
import type { CheckResult } from '../../checkers/linearizability/types';
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
  const illegal = results.find((r) => r.result.verdict === 'illegal');
  const unknown = results.find((r) => r.result.verdict === 'unknown');
  const ops = results.reduce((n, r) => n + r.result.operationCount, 0);
  if (illegal !== undefined) {
    const part = illegal.result.parts.find((p) => p.verdict === 'illegal');
    const stuck = part?.stuck !== undefined ? part.operations.find((o) => o.id === part.stuck?.op)?.description : undefined;
    return {
      check: 'linearizability',
      verdict: 'fail',
      summary: `${illegal.key} is not linearizable${stuck ? `: cannot place ${stuck}` : ''}`,
      detail: { key: illegal.key, result: illegal.result, all: results.map((r) => ({ key: r.key, verdict: r.result.verdict, operations: r.result.operationCount })) },
    };
  }
  if (unknown !== undefined) {
    return { check: 'linearizability', verdict: 'unknown', summary: `${unknown.key}: ${unknown.result.reason ?? 'search budget exhausted'}`, detail: { key: unknown.key, result: unknown.result } };
  }
  return { check: 'linearizability', verdict: 'pass', summary: `${ops} operations in ${results.length} parts are linearizable` };
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
  let acked = 0;
  let unknown = 0;
  const invoked = new Map<string, HistoryEvent>();
  let finalRead: number | null = null;
  for (const e of history) {
    if (e.key !== counterKey) continue;
    if (e.type === 'invoke') {
      invoked.set(e.process, e);
      continue;
    }
    const call = invoked.get(e.process);
    invoked.delete(e.process);
    if (call?.f === 'add') {
      if (e.type === 'ok') acked += call.value as number;
      if (e.type === 'info') unknown += call.value as number;
    }
    if (call?.f === 'read' && e.type === 'ok') finalRead = e.value as number;
  }
  for (const open of invoked.values()) if (open.f === 'add') unknown += open.value as number;
  if (finalRead === null) return { check: 'durability', verdict: 'unknown', summary: `no successful read of ${counterKey} to judge by` };
  if (finalRead < acked) return { check: 'durability', verdict: 'fail', summary: `${counterKey} reads ${finalRead} but ${acked} increments were acknowledged: acknowledged writes were lost` };
  if (finalRead > acked + unknown) return { check: 'durability', verdict: 'fail', summary: `${counterKey} reads ${finalRead}, more than the ${acked + unknown} increments that may have happened` };
  return { check: 'durability', verdict: 'pass', summary: `${counterKey} = ${finalRead}: all ${acked} acknowledged increments present (${unknown} indeterminate)` };
}

/** After healing, every structure must answer at least one operation successfully within the bound. */
export function livenessVerdict(history: readonly HistoryEvent[], healedAtUs: number, boundUs: number): Verdict {
  const keys = [...new Set(history.map((e) => e.key))].sort();
  const late: string[] = [];
  for (const key of keys) {
    const first = history.find((e) => e.key === key && e.type === 'ok' && e.time >= healedAtUs);
    if (first === undefined || first.time - healedAtUs > boundUs) late.push(key);
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
