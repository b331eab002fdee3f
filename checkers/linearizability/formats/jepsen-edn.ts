// Parser for Jepsen and Knossos histories in EDN: a vector of operation maps, or one map per line
// (`{:process 0, :type :invoke, :f :read, :value nil}`), with any extra keys. Events of the
// :nemesis process are not client operations and are skipped. Must never throw on bad input:
// it returns the first problem with its line and what was expected.

import type { EventType, HistoryEvent, InputError, ParseResult } from '../history';
import { showValue } from '../values';
import { readEdnHistoryForms } from './edn';

export function parseJepsenEdn(text: string): ParseResult {
  const forms = readEdnHistoryForms(text);
  if (!forms.ok) return forms;
  const history: HistoryEvent[] = [];
  for (const form of forms.value) {
    const event = eventFromMap(form.value, form.line);
    if (event === skipped) continue;
    if ('message' in event) return { ok: false, error: event };
    history.push(event);
  }
  return { ok: true, history };
}

/**
 * Reads one Jepsen operation map (as plain data: keyword keys without the colon) into an event.
 * Shared with the JSON format, whose events have exactly this shape. Returns `skipped` for
 * events of the nemesis, which are not client operations.
 */
export function eventFromMap(form: unknown, line: number): HistoryEvent | InputError | typeof skipped {
  if (form === null || typeof form !== 'object' || Array.isArray(form)) {
    return { line, message: `expected an operation map like {:process 0, :type :invoke, :f :read}, found ${showValue(form)}` };
  }
  const map = form as Record<string, unknown>;
  const process = map['process'];
  if (process === 'nemesis') return skipped;
  if (!(typeof process === 'string' || (typeof process === 'number' && Number.isInteger(process)))) {
    return { line, message: `expected :process to be an integer or a name, found ${showValue(process)}` };
  }
  const type = map['type'];
  if (typeof type !== 'string' || !eventTypes.has(type)) {
    return { line, message: `expected :type to be :invoke, :ok, :fail or :info, found ${showValue(type)}` };
  }
  const f = map['f'];
  if (typeof f !== 'string' || f === '') return { line, message: `expected :f to be a keyword or string naming the function, found ${showValue(f)}` };
  const key = map['key'];
  if (key !== undefined && key !== null && typeof key !== 'string' && typeof key !== 'number') {
    return { line, message: `expected :key to be a string or number, found ${showValue(key)}` };
  }
  const time = map['time'];
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) {
    return { line, message: `expected :time to be a number, found ${showValue(time)}` };
  }
  const index = map['index'];
  if (index !== undefined && (typeof index !== 'number' || !Number.isInteger(index))) {
    return { line, message: `expected :index to be an integer, found ${showValue(index)}` };
  }
  return {
    process,
    type: type as EventType,
    f,
    ...(key !== undefined && key !== null ? { key: String(key) } : {}),
    ...('value' in map ? { value: map['value'] } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(index !== undefined ? { index } : {}),
    line,
  };
}

export const skipped = Symbol('skipped');

const eventTypes = new Set<string>(['invoke', 'ok', 'fail', 'info']);
