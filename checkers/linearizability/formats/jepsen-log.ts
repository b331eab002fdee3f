// Parser for the Jepsen logs of Porcupine's etcd tests: lines such as
// `INFO  jepsen.util - 3	:invoke	:cas	[3 0]` (process, type, function, value). Any line that
// is not a jepsen.util operation line is log noise and ignored. Must never throw on bad input:
// an operation line it cannot read is an error naming the line.

import type { EventType, HistoryEvent, ParseResult } from '../history';
import { readEdnValue } from './edn';

export function parseJepsenLog(text: string): ParseResult {
  const history: HistoryEvent[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = k + 1;
    const match = operationLine.exec(lines[k]!);
    if (match === null) continue;
    const fields = match[1]!.trim().split(/\s+/);
    const [processText, typeText, fText] = fields;
    const valueText = fields.slice(3).join(' ');
    if (processText === undefined || typeText === undefined || fText === undefined) {
      return fail(line, 'expected `PROCESS :TYPE :F VALUE` after `jepsen.util -`');
    }
    if (!/^\d+$/.test(processText) && processText !== ':nemesis') return fail(line, `expected a process number, found ${processText}`);
    if (processText === ':nemesis') continue;
    const type = typeText.replace(/^:/, '');
    if (!typeText.startsWith(':') || !eventTypes.has(type)) return fail(line, `expected :invoke, :ok, :fail or :info, found ${typeText}`);
    if (!fText.startsWith(':') || fText.length < 2) return fail(line, `expected a function keyword such as :read, found ${fText}`);
    let value: unknown = null;
    if (valueText !== '') {
      const parsed = readEdnValue(valueText);
      if (!parsed.ok) return fail(line, `cannot read the value ${JSON.stringify(valueText)}: ${parsed.error.message}`);
      value = parsed.value;
    }
    history.push({ process: Number(processText), type: type as EventType, f: fText.slice(1), value, line });
  }
  return { ok: true, history };
}

const operationLine = /^\s*INFO\s+jepsen\.util\s+-\s+(.*)$/;
const eventTypes = new Set<string>(['invoke', 'ok', 'fail', 'info']);

function fail(line: number, message: string): ParseResult {
  return { ok: false, error: { line, message } };
}
