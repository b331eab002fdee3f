// The client operations of a run: the Jepsen-style history paired into intervals (invoke, then
// ok / fail / info), joined with the linearizability checker's explanation when the artifact has
// one: which part each operation belongs to, the order the checker found, the longest
// linearizable prefix, the operation that cannot be placed and those concurrent with it. It must
// never guess: an operation the checker did not mention is left unmarked.

import type { HistoryEvent, RunArtifact, TraceRecord } from './artifact';

export type Outcome = 'ok' | 'fail' | 'info' | 'pending';

export interface ClientOperation {
  /** Dense index in invocation order. */
  readonly id: number;
  readonly process: number | string;
  readonly f: string;
  readonly key: string | null;
  readonly value: unknown;
  /** The completion's value (a read's result), if it completed. */
  readonly result: unknown;
  readonly outcome: Outcome;
  readonly callUs: number;
  /** null: never completed (info or pending). */
  readonly returnUs: number | null;
  /** Positions of the invoke and completion events in the history. */
  readonly invokeAt: number;
  readonly completeAt: number | null;
  /** The checker's description of the operation, when it checked it. */
  readonly description: string | null;
  /** The operation in words as the recorder wrote it (the history event's "op"), if it did. */
  readonly text: string | null;
  readonly part: number | null;
  /** Place in the longest linearizable prefix of its part (0-based), or null if not in it. */
  readonly prefixOrder: number | null;
  readonly stuck: boolean;
  readonly concurrentWithStuck: boolean;
}

export interface PartView {
  readonly index: number;
  readonly label: string;
  readonly verdict: string;
  readonly operationIds: readonly number[];
  readonly prefixLength: number;
  readonly stuck: number | null;
  readonly statesBefore: readonly string[];
  /** The state after each operation of the longest prefix, by operation id. */
  readonly statesAfter: ReadonlyMap<number, readonly string[]>;
  /** The checker's partial linearizations (operation ids in the order found), longest first. */
  readonly partials: readonly (readonly number[])[];
}

export interface OperationsView {
  readonly operations: readonly ClientOperation[];
  readonly parts: readonly PartView[];
  /** The linearizability verdict as the artifact states it, or null when there is none. */
  readonly verdict: { readonly verdict: string; readonly summary: string } | null;
  /** Problems joining the checker's result to the history (shown, never thrown). */
  readonly warnings: readonly string[];
}

/** Pairs the history and joins the checker's result. */
export function buildOperations(run: RunArtifact): OperationsView {
  const warnings: string[] = [];
  const base = pairHistory(run.history, warnings);
  const byInvoke = new Map<number, number>();
  for (const op of base) byInvoke.set(op.invokeAt, op.id);
  const verdict = run.verdicts.find((v) => v.check === 'linearizability') ?? null;
  const parts: PartView[] = [];
  const marks = new Map<number, { part: number; description: string; prefixOrder: number | null; stuck: boolean; concurrent: boolean }>();
  const detail = verdict === null ? null : readDetail(verdict.detail);
  if (verdict !== null && verdict.detail !== undefined && detail === null) warnings.push('the linearizability verdict has a detail this viewer does not understand');
  if (detail !== null) {
    for (const part of detail.parts) {
      // The checker numbers operations by their position among the checked ones and gives their
      // call as the position of the invoke event in the history: join on that.
      const local = new Map<number, number>();
      for (const o of part.operations) {
        const id = byInvoke.get(o.call);
        if (id === undefined) {
          warnings.push(`checker operation #${o.id} (${o.description}) matches no invocation in the history`);
          continue;
        }
        local.set(o.id, id);
        marks.set(id, { part: part.index, description: o.description, prefixOrder: null, stuck: false, concurrent: false });
      }
      const statesAfter = new Map<number, readonly string[]>();
      (part.longestPrefix ?? []).forEach((step, order) => {
        const id = local.get(step.op);
        const mark = id === undefined ? undefined : marks.get(id);
        if (mark !== undefined && id !== undefined) {
          mark.prefixOrder = order;
          statesAfter.set(id, step.statesAfter);
        }
      });
      let stuck: number | null = null;
      if (part.stuck !== undefined) {
        const id = local.get(part.stuck.op);
        if (id !== undefined) {
          stuck = id;
          const mark = marks.get(id);
          if (mark !== undefined) mark.stuck = true;
        }
        for (const c of part.stuck.concurrent) {
          const cid = local.get(c);
          const mark = cid === undefined ? undefined : marks.get(cid);
          if (mark !== undefined) mark.concurrent = true;
        }
      }
      const partials = (part.partialLinearizations ?? []).map((seq) => seq.map((step) => local.get(step.op)).filter((id): id is number => id !== undefined));
      parts.push({
        partials,
        index: part.index,
        label: part.label,
        verdict: part.verdict,
        operationIds: [...local.values()].sort((a, b) => a - b),
        prefixLength: part.longestPrefix?.length ?? 0,
        stuck,
        statesBefore: part.stuck?.statesBefore ?? [],
        statesAfter,
      });
    }
  }
  const operations = base.map((op): ClientOperation => {
    const mark = marks.get(op.id);
    return {
      ...op,
      description: mark?.description ?? null,
      part: mark?.part ?? null,
      prefixOrder: mark?.prefixOrder ?? null,
      stuck: mark?.stuck ?? false,
      concurrentWithStuck: mark?.concurrent ?? false,
    };
  });
  return { operations, parts, verdict: verdict === null ? null : { verdict: verdict.verdict, summary: verdict.summary }, warnings };
}

/** The operation in words: "p3 get(\"k\") -> 5 ok". */
export function describeOperation(op: ClientOperation): string {
  const head = op.description ?? (op.text !== null ? `${op.text}${op.result !== undefined && op.result !== null ? ` -> ${show(op.result)}` : ''}` : null) ?? `${op.f}(${op.key !== null ? JSON.stringify(op.key) : ''}${op.value !== undefined && op.value !== null ? `${op.key !== null ? ', ' : ''}${show(op.value)}` : ''})${op.result !== undefined && op.result !== null && op.f !== 'put' && op.f !== 'write' ? ` -> ${show(op.result)}` : ''}`;
  return `${typeof op.process === 'number' ? `p${op.process}` : op.process} ${head} ${op.outcome}`;
}

/** The longest partial linearization the checker found that contains the operation, or null. */
export function partialFor(view: OperationsView, op: ClientOperation): readonly number[] | null {
  const part = op.part === null ? undefined : view.parts.find((p) => p.index === op.part);
  if (part === undefined) return null;
  let best: readonly number[] | null = null;
  for (const seq of part.partials) if (seq.includes(op.id) && (best === null || seq.length > best.length)) best = seq;
  return best;
}

/** The marks of an operation as words, so that no view carries them by colour alone. */
export function operationTags(op: ClientOperation): string[] {
  const tags: string[] = [];
  if (op.stuck) tags.push('CANNOT BE PLACED');
  if (op.concurrentWithStuck) tags.push('concurrent');
  if (op.prefixOrder !== null) tags.push(`#${op.prefixOrder + 1} in prefix`);
  return tags;
}

/** Operations overlapping [fromUs, toUs], in call order. */
export function operationsBetween(ops: readonly ClientOperation[], fromUs: number, toUs: number): ClientOperation[] {
  return ops.filter((op) => op.callUs <= toUs && (op.returnUs ?? Number.POSITIVE_INFINITY) >= fromUs);
}

/**
 * The trace records that belong to an operation: those in its interval at the process that ran it
 * (its client, named by the process number or "c"+number) or naming it in their fields.
 */
export function linkedRecords(trace: readonly TraceRecord[], op: ClientOperation, endUs: number, limit = 500): number[] {
  const names = new Set([String(op.process), `c${String(op.process)}`, `p${String(op.process)}`]);
  const untilUs = op.returnUs ?? endUs;
  const out: number[] = [];
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trace[mid] as TraceRecord).trueUs < op.callUs) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < trace.length && out.length < limit; i++) {
    const r = trace[i] as TraceRecord;
    if (r.trueUs > untilUs) break;
    const f = r.fields;
    if ((r.node !== null && names.has(r.node)) || names.has(String(f['client'] ?? '')) || names.has(String(f['to'] ?? '')) || names.has(String(f['from'] ?? ''))) out.push(i);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

type BaseOperation = Omit<ClientOperation, 'description' | 'part' | 'prefixOrder' | 'stuck' | 'concurrentWithStuck'>;

function pairHistory(history: readonly HistoryEvent[], warnings: string[]): BaseOperation[] {
  const open = new Map<string, BaseOperation>();
  const out: BaseOperation[] = [];
  for (let i = 0; i < history.length; i++) {
    const e = history[i] as HistoryEvent;
    const who = String(e.process);
    if (e.type === 'invoke') {
      if (open.has(who)) warnings.push(`history[${i}]: process ${who} invokes while an operation is open`);
      const text = (e as { op?: unknown }).op;
      const op: BaseOperation = { id: out.length, text: typeof text === 'string' ? text : null, process: e.process, f: e.f, key: e.key ?? null, value: e.value, result: undefined, outcome: 'pending', callUs: e.time, returnUs: null, invokeAt: i, completeAt: null };
      out.push(op);
      open.set(who, op);
      continue;
    }
    const started = open.get(who);
    if (started === undefined) {
      warnings.push(`history[${i}]: :${e.type} for process ${who} with no open invocation`);
      continue;
    }
    open.delete(who);
    const done: BaseOperation = { ...started, outcome: e.type, result: e.value, returnUs: e.type === 'info' ? null : e.time, completeAt: i };
    out[started.id] = done;
  }
  return out;
}

interface DetailPart {
  index: number;
  label: string;
  verdict: string;
  operations: { id: number; call: number; description: string }[];
  longestPrefix?: { op: number; statesAfter: string[] }[];
  partialLinearizations?: { op: number }[][];
  stuck?: { op: number; statesBefore: string[]; concurrent: number[] };
}

/** Reads the checker's result (checkers/README.md, "The result JSON") defensively. */
function readDetail(detail: unknown): { parts: DetailPart[] } | null {
  if (typeof detail !== 'object' || detail === null) return null;
  const parts = (detail as { parts?: unknown }).parts;
  if (!Array.isArray(parts)) return null;
  const out: DetailPart[] = [];
  for (const p of parts) {
    if (typeof p !== 'object' || p === null || !Array.isArray(p.operations)) return null;
    const ops = (p.operations as unknown[]).filter((o): o is { id: number; call: number; description: string } => typeof o === 'object' && o !== null && typeof (o as { id?: unknown }).id === 'number' && typeof (o as { call?: unknown }).call === 'number');
    const prefix = Array.isArray(p.longestPrefix) ? (p.longestPrefix as unknown[]).filter((s): s is { op: number; statesAfter: string[] } => typeof s === 'object' && s !== null && typeof (s as { op?: unknown }).op === 'number').map((s) => ({ op: s.op, statesAfter: Array.isArray(s.statesAfter) ? s.statesAfter.map(String) : [] })) : undefined;
    const stuckRaw = p.stuck as { op?: unknown; statesBefore?: unknown; concurrent?: unknown } | undefined;
    const stuck = typeof stuckRaw === 'object' && stuckRaw !== null && typeof stuckRaw.op === 'number'
      ? { op: stuckRaw.op, statesBefore: Array.isArray(stuckRaw.statesBefore) ? stuckRaw.statesBefore.map(String) : [], concurrent: Array.isArray(stuckRaw.concurrent) ? stuckRaw.concurrent.filter((c): c is number => typeof c === 'number') : [] }
      : undefined;
    const partials = Array.isArray(p.partialLinearizations)
      ? (p.partialLinearizations as unknown[]).filter(Array.isArray).map((seq) => (seq as unknown[]).filter((s): s is { op: number } => typeof s === 'object' && s !== null && typeof (s as { op?: unknown }).op === 'number'))
      : undefined;
    out.push({
      ...(partials !== undefined ? { partialLinearizations: partials } : {}),
      index: typeof p.index === 'number' ? p.index : out.length,
      label: typeof p.label === 'string' ? p.label : `part ${out.length}`,
      verdict: typeof p.verdict === 'string' ? p.verdict : '?',
      operations: ops.map((o) => ({ id: o.id, call: o.call, description: typeof o.description === 'string' ? o.description : `#${o.id}` })),
      ...(prefix !== undefined ? { longestPrefix: prefix } : {}),
      ...(stuck !== undefined ? { stuck } : {}),
    });
  }
  return { parts: out };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}
