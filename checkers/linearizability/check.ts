// The checker's entry points: checkOperations (interval operations) and checkEvents (a sequence
// of call and return events). Splits the history into parts when the model allows it
// (P-compositionality), searches each part, and builds the self-describing result (see
// checkers/README.md). Must never read the clock: timeouts come in through CheckOptions.

import { assert } from './assert';
import { historyToOperations } from './history';
import type { Adapter, HistoryEvent, InputError } from './history';
import { PartSearch, StateSetStepper } from './search';
import type { SearchOutcome } from './search';
import type {
  CallReturnEvent,
  CheckOptions,
  CheckResult,
  LinearizationStep,
  Model,
  Operation,
  OperationView,
  PartResult,
  StuckView,
  Verdict,
} from './types';

/** The most memo-cache entries held by default, whatever the history. */
export const defaultMemoryLimitEntriesMax = 2_000_000;
/** Memory the default bound aims to stay under, for the memo cache. */
export const defaultCacheBytesMax = 600 * 2 ** 20;
/** A conservative size of one entry beyond its bitset: key, chain link, state reference and state. */
const entryOverheadBytes = 200;

/**
 * The default bound on memo-cache entries: 2 million, fewer when the largest part's bitsets are
 * long, so that the cache stays near 600 MB and the whole check well under 1 GB.
 */
export function defaultMemoryLimitEntries(largestPartOps: number): number {
  const bitsetBytes = 4 * Math.ceil(largestPartOps / 32);
  return Math.max(1, Math.min(defaultMemoryLimitEntriesMax, Math.floor(defaultCacheBytesMax / (bitsetBytes + entryOverheadBytes))));
}
/** How many distinct partial linearizations an illegal part reports at most (longest first). */
export const partialLinearizationsMax = 64;

/** How many steps one part runs before the next part gets its turn (and the stop predicate is polled). */
export const sliceSteps = 8192;

/**
 * Checks a history of interval operations against a model. Parts are searched in turns of
 * sliceSteps steps, so that a part that is quickly found illegal decides the verdict without
 * waiting for a hard part (as Porcupine's parallel search does, but deterministically).
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  for (const op of operations) validateOperation(op);
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  assert(maxSteps > 0, 'maxSteps must be positive');

  const idOf = new Map<Operation<I, O>, number>();
  operations.forEach((op, id) => {
    assert(!idOf.has(op), `operation ${id} appears twice in the input (same object)`);
    idOf.set(op, id);
  });
  const noPartition = options.noPartition === true;
  const parts = splitIntoParts(model, operations, noPartition, idOf);
  const memoryLimitEntries = options.memoryLimitEntries ?? defaultMemoryLimitEntries(parts.reduce((most, p) => Math.max(most, p.length), 0));
  assert(memoryLimitEntries > 0, 'memoryLimitEntries must be positive');
  // Tracking each operation's longest partial linearization costs little with the prefix-minimum
  // pruning in search.ts, so it is done in the one search rather than in a second run.
  const searches = parts.map((part) => new PartSearch(model, part, options.explain !== false));

  let stepsUsed = 0;
  let entriesHeld = 0;
  let stopReason: string | undefined;
  let illegalFound = false;
  let active = searches.filter((search) => search.finished === null);
  while (active.length > 0 && !illegalFound && stopReason === undefined) {
    for (const search of active) {
      if (stepsUsed >= maxSteps) {
        stopReason = `step budget exhausted (${maxSteps} steps)`;
        break;
      }
      const stepsBefore = search.steps;
      const entriesBefore = search.cacheEntries;
      const outcome = search.run(Math.min(sliceSteps, maxSteps - stepsUsed), memoryLimitEntries - (entriesHeld - entriesBefore));
      stepsUsed += search.steps - stepsBefore;
      entriesHeld += search.cacheEntries - entriesBefore;
      if (outcome?.verdict === 'illegal' && options.stopAtFirstIllegal !== false) {
        illegalFound = true;
        break;
      }
      if (outcome?.verdict === 'unknown') {
        stopReason = outcome.reason;
        break;
      }
      if (options.shouldStop !== undefined && options.shouldStop()) {
        stopReason = 'stopped (timeout)';
        break;
      }
    }
    active = active.filter((search) => search.finished === null);
  }

  const results = parts.map((partOps, index) => {
    const label = model.describePart !== undefined && !noPartition ? model.describePart(partOps) : 'all';
    const outcome = searches[index]!.finished;
    if (outcome === null) {
      const reason = illegalFound ? 'not finished: another part is not linearizable' : `not finished: ${stopReason ?? 'stopped'}`;
      return unfinishedPart(model, partOps, idOf, index, label, reason, searches[index]!.steps);
    }
    return partResult(model, partOps, idOf, index, label, outcome);
  });

  const verdict = worstVerdict(results.map((r) => r.verdict));
  const reason = verdict === 'unknown' ? stopReason : undefined;
  return {
    verdict,
    model: model.name,
    ...(reason !== undefined ? { reason } : {}),
    operationCount: operations.length,
    steps: stepsUsed,
    parts: results,
  };
}

/**
 * Checks a sequence of call and return events. An operation's call and return times are the
 * positions of its events; a call with no return never returned (its output is unknown).
 */
export function checkEvents<S, I, O>(
  model: Model<S, I, O>,
  events: readonly CallReturnEvent<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  return checkOperations(model, eventsToOperations(events), options);
}

/**
 * Checks a Jepsen-shaped history (from any parser) with a model and the adapter that reads its
 * operations. Returns an error value when the history is inconsistent (see history.ts).
 */
export function checkHistory<S, I, O>(
  model: Model<S, I, O>,
  adapt: Adapter<I, O>,
  history: readonly HistoryEvent[],
  options: CheckOptions = {},
): { ok: true; result: CheckResult } | { ok: false; error: InputError } {
  const converted = historyToOperations(history, adapt);
  if (!converted.ok) return converted;
  return { ok: true, result: checkOperations(model, converted.operations, options) };
}

/** Pairs call and return events by id. Pre: each id has one call, at most one return, after it. */
export function eventsToOperations<I, O>(events: readonly CallReturnEvent<I, O>[]): Operation<I, O>[] {
  const open = new Map<number, { client: Operation<I, O>['client']; input: I; call: number; index: number }>();
  const ops: (Operation<I, O> | null)[] = [];
  events.forEach((event, position) => {
    if (event.kind === 'call') {
      assert(!open.has(event.id), `event ${position}: a second call for id ${event.id} before its return`);
      open.set(event.id, { client: event.client, input: event.value, call: position, index: ops.length });
      ops.push(null);
    } else {
      const started = open.get(event.id);
      assert(started !== undefined, `event ${position}: a return for id ${event.id} with no call before it`);
      open.delete(event.id);
      ops[started.index] = { client: started.client, input: started.input, output: event.value, call: started.call, return: position };
    }
  });
  for (const started of open.values()) {
    ops[started.index] = { client: started.client, input: started.input, call: started.call, return: null };
  }
  return ops.map((op) => {
    assert(op !== null, 'every call became an operation');
    return op;
  });
}

/** The worst of several verdicts: any illegal part makes the history illegal; then unknown; then ok. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('illegal')) return 'illegal';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'ok';
}

// ---------------------------------------------------------------------------------------------
// Helpers

function validateOperation<I, O>(op: Operation<I, O>): void {
  assert(Number.isFinite(op.call), `operation call time must be a finite number, got ${op.call}`);
  if (op.return !== null) {
    assert(Number.isFinite(op.return), `operation return time must be finite or null, got ${op.return}`);
    assert(op.return >= op.call, `operation returns (${op.return}) before its call (${op.call})`);
  }
}

function splitIntoParts<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  noPartition: boolean,
  idOf: Map<Operation<I, O>, number>,
): (readonly Operation<I, O>[])[] {
  if (noPartition || model.partition === undefined) return operations.length === 0 ? [] : [operations];
  const parts = model.partition(operations);
  let count = 0;
  const seen = new Set<Operation<I, O>>();
  for (const part of parts) {
    for (const op of part) {
      assert(idOf.has(op), `model ${model.name}: partition returned an operation it was not given`);
      assert(!seen.has(op), `model ${model.name}: partition returned an operation twice`);
      seen.add(op);
      count += 1;
    }
  }
  assert(count === operations.length, `model ${model.name}: partition lost operations`);
  return parts.filter((part) => part.length > 0);
}

function partResult<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  idOf: Map<Operation<I, O>, number>,
  index: number,
  label: string,
  outcome: SearchOutcome,
): PartResult {
  const base = {
    index,
    label,
    verdict: outcome.verdict,
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    steps: outcome.steps,
    operations: operationViews(model, ops, idOf),
  };
  if (outcome.verdict !== 'illegal') return base;

  const perOp = outcome.perOpLongest;
  const stepper = new StateSetStepper(model);
  const describe = (seq: readonly number[]): LinearizationStep[] => describeLinearization(model, stepper, ops, idOf, seq);
  const longestPrefix = describe(outcome.longest);
  const stuck = stuckView(model, stepper, ops, idOf, outcome);
  const partials: LinearizationStep[][] = [];
  if (perOp !== null) {
    const distinct = new Set<readonly number[]>();
    for (const seq of perOp) if (seq !== null) distinct.add(seq);
    const sorted = [...distinct].sort(compareSequences).slice(0, partialLinearizationsMax);
    for (const seq of sorted) partials.push(describe(seq));
  }
  return { ...base, longestPrefix, partialLinearizations: partials, stuck };
}

function unfinishedPart<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  idOf: Map<Operation<I, O>, number>,
  index: number,
  label: string,
  reason: string,
  steps: number,
): PartResult {
  return { index, label, verdict: 'unknown', reason, steps, operations: operationViews(model, ops, idOf) };
}

function operationViews<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], idOf: Map<Operation<I, O>, number>): OperationView[] {
  const views = ops.map((op) => ({
    id: idOf.get(op)!,
    client: op.client,
    call: op.call,
    return: op.return,
    description: model.describeOperation(op.input, op.output),
  }));
  return views.sort((a, b) => a.call - b.call || a.id - b.id);
}

function describeLinearization<S, I, O>(
  model: Model<S, I, O>,
  stepper: StateSetStepper<S, I, O>,
  ops: readonly Operation<I, O>[],
  idOf: Map<Operation<I, O>, number>,
  seq: readonly number[],
): LinearizationStep[] {
  let states: readonly S[] = [model.init()];
  return seq.map((local) => {
    const op = ops[local]!;
    const after = stepper.step(states, op);
    assert(after !== null, 'a linearization found by the search replays without an illegal step');
    states = after;
    return { op: idOf.get(op)!, statesAfter: states.map((s) => model.describeState(s)) };
  });
}

function stuckView<S, I, O>(
  model: Model<S, I, O>,
  stepper: StateSetStepper<S, I, O>,
  ops: readonly Operation<I, O>[],
  idOf: Map<Operation<I, O>, number>,
  outcome: SearchOutcome,
): StuckView {
  assert(outcome.stuck >= 0, 'an illegal part names the operation that could not be placed');
  let states: readonly S[] = [model.init()];
  for (const local of outcome.longest) {
    const after = stepper.step(states, ops[local]!);
    assert(after !== null, 'the longest prefix replays');
    states = after;
  }
  const stuckOp = ops[outcome.stuck]!;
  const end = (op: Operation<I, O>): number => (op.return === null ? Number.POSITIVE_INFINITY : op.return);
  const concurrent: number[] = [];
  ops.forEach((op, local) => {
    if (local === outcome.stuck) return;
    if (op.call <= end(stuckOp) && stuckOp.call <= end(op)) concurrent.push(idOf.get(op)!);
  });
  concurrent.sort((a, b) => a - b);
  return { op: idOf.get(stuckOp)!, statesBefore: states.map((s) => model.describeState(s)), concurrent };
}

function compareSequences(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return b.length - a.length;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}
