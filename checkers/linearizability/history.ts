// A history in Jepsen's shape (invoke, then ok / fail / info, per process), as every format
// parser produces it, and its conversion into interval operations for a model. Problems the
// input can have (an :ok with no :invoke, a process invoking twice, a function the model does
// not know) are returned as errors with the line they come from; this module must never throw
// on bad input or guess what an inconsistent history meant.

import type { ClientId, Operation } from './types';

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** One history event. `line` is where it came from in the input (1-based), for error messages. */
export interface HistoryEvent {
  readonly process: ClientId;
  readonly type: EventType;
  readonly f: string;
  readonly key?: string;
  readonly value?: unknown;
  readonly time?: number;
  readonly index?: number;
  readonly line: number;
}

export interface InputError {
  readonly line: number;
  readonly message: string;
}

export type ParseResult = { readonly ok: true; readonly history: HistoryEvent[] } | { readonly ok: false; readonly error: InputError };

/**
 * How a model reads one operation from its invocation and completion. The completion is null
 * when the operation never completed (pending at the end) or completed with :info; it is a
 * :fail event only when the model asked to see failures (seesFailures).
 */
export type Adapter<I, O> = (invoke: HistoryEvent, completion: HistoryEvent | null) => AdaptResult<I, O>;

export type AdaptResult<I, O> =
  | { readonly kind: 'op'; readonly input: I; readonly output?: O }
  /** The operation constrains nothing (a read whose result is unknown) and is left out. */
  | { readonly kind: 'drop' }
  | { readonly kind: 'error'; readonly message: string };

export interface ConvertOptions {
  /** Pass :fail completions to the adapter instead of dropping the operation. */
  readonly seesFailures?: boolean;
}

export type ConvertResult<I, O> =
  | { readonly ok: true; readonly operations: Operation<I, O>[] }
  | { readonly ok: false; readonly error: InputError };

/**
 * Pairs each invocation with its process's next completion. Call and return times are event
 * positions, so the history's order (not :time) decides what is concurrent. A :fail operation
 * certainly did not take effect and is dropped (unless the model sees failures); :info and
 * never-completed operations never return (return null).
 */
export function historyToOperations<I, O>(
  history: readonly HistoryEvent[],
  adapt: Adapter<I, O>,
  options: ConvertOptions = {},
): ConvertResult<I, O> {
  const open = new Map<ClientId, { event: HistoryEvent; position: number; slot: number }>();
  const slots: (Operation<I, O> | null)[] = [];
  for (let position = 0; position < history.length; position++) {
    const event = history[position]!;
    const started = open.get(event.process);
    if (event.type === 'invoke') {
      if (started !== undefined) {
        return failure(event.line, `process ${String(event.process)} invokes :${event.f} while its :${started.event.f} from line ${started.event.line} has not completed`);
      }
      open.set(event.process, { event, position, slot: slots.length });
      slots.push(null);
      continue;
    }
    if (started === undefined) {
      return failure(event.line, `:${event.type} :${event.f} for process ${String(event.process)} with no :invoke before it`);
    }
    if (started.event.f !== event.f) {
      return failure(event.line, `:${event.type} :${event.f} for process ${String(event.process)} completes an :invoke :${started.event.f} (line ${started.event.line})`);
    }
    open.delete(event.process);
    if (event.type === 'fail' && options.seesFailures !== true) continue;
    const completed = event.type === 'ok' || event.type === 'fail';
    const adapted = adapt(started.event, event.type === 'info' ? null : event);
    if (adapted.kind === 'error') return failure(event.line, adapted.message);
    if (adapted.kind === 'drop') continue;
    slots[started.slot] = makeOperation(started.event.process, adapted, started.position, completed ? position : null);
  }
  for (const started of open.values()) {
    const adapted = adapt(started.event, null);
    if (adapted.kind === 'error') return failure(started.event.line, adapted.message);
    if (adapted.kind === 'drop') continue;
    slots[started.slot] = makeOperation(started.event.process, adapted, started.position, null);
  }
  const operations: Operation<I, O>[] = [];
  for (const op of slots) if (op !== null) operations.push(op);
  return { ok: true, operations };
}

function makeOperation<I, O>(client: ClientId, adapted: { input: I; output?: O }, call: number, ret: number | null): Operation<I, O> {
  if (ret === null || adapted.output === undefined) return { client, input: adapted.input, call, return: ret };
  return { client, input: adapted.input, output: adapted.output, call, return: ret };
}

function failure<I, O>(line: number, message: string): ConvertResult<I, O> {
  return { ok: false, error: { line, message } };
}
