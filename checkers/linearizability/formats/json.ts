// Parser for the workbench's own history format (what the simulator records): a JSON array of
// events, or `{ "format": "loom-history/1", "events": [...] }`, each event exactly Jepsen's shape
// in JSON (`process`, `type`, `f`, optional `key`, `value`, `time` in integer microseconds,
// `index`), in time order. Must never throw on bad input; errors name the line of the offending
// event.

import type { HistoryEvent, ParseResult } from '../history';
import { eventFromMap, skipped } from './jepsen-edn';

export const loomHistoryFormat = 'loom-history/1';

export function parseJsonHistory(text: string): ParseResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: { line: jsonErrorLine(text, error), message: `invalid JSON: ${(error as Error).message}` } };
  }
  let events: unknown = document;
  if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
    const record = document as Record<string, unknown>;
    if (record['format'] !== loomHistoryFormat) {
      return { ok: false, error: { line: 1, message: `expected "format": "${loomHistoryFormat}" or a JSON array of events` } };
    }
    events = record['events'];
  }
  if (!Array.isArray(events)) return { ok: false, error: { line: 1, message: 'expected an array of events' } };
  const lines = eventLines(text, events.length);
  const history: HistoryEvent[] = [];
  let lastTimeUs = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < events.length; k++) {
    const event = eventFromMap(events[k], lines[k] ?? 1);
    if (event === skipped) continue;
    if ('message' in event) return { ok: false, error: { line: event.line, message: `event ${k}: ${event.message}` } };
    if (event.time !== undefined && !Number.isSafeInteger(event.time)) {
      return { ok: false, error: { line: event.line, message: `event ${k}: expected "time" in integer microseconds, found ${event.time}` } };
    }
    if (event.time !== undefined) {
      // The recorder writes events in true-time order; a time going backwards means a broken history.
      if (event.time < lastTimeUs) {
        return { ok: false, error: { line: event.line, message: `event ${k}: "time" ${event.time} is before the previous event's ${lastTimeUs}: events must be in time order` } };
      }
      lastTimeUs = event.time;
    }
    history.push(event);
  }
  return { ok: true, history };
}

/**
 * The line each event object starts on: the lines of the `{` that open objects at the depth of
 * the events array. A light scan (strings are skipped); the JSON is already known to be valid.
 */
function eventLines(text: string, count: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let eventsDepth = -1;
  let inString = false;
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const ch = text[i];
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[') {
      depth += 1;
      if (eventsDepth < 0) eventsDepth = depth;
    } else if (ch === ']') depth -= 1;
    else if (ch === '{') {
      depth += 1;
      if (depth === eventsDepth + 1) lines.push(line);
    } else if (ch === '}') depth -= 1;
  }
  return lines;
}

function jsonErrorLine(text: string, error: unknown): number {
  const match = /position (\d+)/.exec((error as Error).message ?? '');
  if (match === null) return 1;
  const position = Number(match[1]);
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text[i] === '\n') line += 1;
  return line;
}
