// The reference histories with known verdicts (checkers/testdata/porcupine, from Porcupine's test
// data): every etcd log as a cas-register, every kv file split by key, and c10-ok / c10-bad also
// unsplit (one model over the whole map: the stress test of the search itself).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistory, checkOperations } from './check';
import { parseJepsenEdn } from './formats/jepsen-edn';
import { parseJepsenLog } from './formats/jepsen-log';
import { historyToOperations } from './history';
import type { HistoryEvent } from './history';
import { kvAdapter, kvModel } from './models/kv';
import { casRegisterModel, registerAdapter } from './models/register';

const dataDir = new URL('../testdata/porcupine/', import.meta.url);
const linearizableEtcd = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49]);
const etcdNumbers = Array.from({ length: 50 }, (_, k) => k);

function etcdHistory(k: number): HistoryEvent[] {
  const parsed = parseJepsenLog(readFileSync(new URL(`jepsen/etcd_${String(k).padStart(3, '0')}.log`, dataDir), 'utf8'));
  if (!parsed.ok) throw new Error(`etcd_${k}: ${parsed.error.message}`);
  return parsed.history;
}

function kvHistory(name: string): HistoryEvent[] {
  const parsed = parseJepsenEdn(readFileSync(new URL(`kv/${name}.txt`, dataDir), 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error.message}`);
  return parsed.history;
}

describe('etcd logs (cas-register)', () => {
  it.each(etcdNumbers)('etcd_%i gets its known verdict', (k) => {
    const checked = checkHistory(casRegisterModel(), registerAdapter(true), etcdHistory(k));
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.result.verdict).toBe(linearizableEtcd.has(k) ? 'ok' : 'illegal');
  });

  it('gets the same verdicts when a failed cas is read as a compare that did not match (Porcupine reading)', () => {
    for (const k of etcdNumbers) {
      const converted = historyToOperations(etcdHistory(k), registerAdapter(true), { seesFailures: true });
      expect(converted.ok).toBe(true);
      if (!converted.ok) continue;
      const result = checkOperations(casRegisterModel(), converted.operations, { explain: false });
      expect(result.verdict, `etcd_${k}`).toBe(linearizableEtcd.has(k) ? 'ok' : 'illegal');
    }
  });

  it('explains a violation with a prefix that replays, the operation that cannot follow it, and the operations concurrent with it', () => {
    const checked = checkHistory(casRegisterModel(), registerAdapter(true), etcdHistory(0));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const part = checked.result.parts[0]!;
    expect(part.verdict).toBe('illegal');
    const ids = new Set(part.operations.map((op) => op.id));
    const prefix = part.longestPrefix!.map((step) => step.op);
    expect(prefix.length).toBeGreaterThan(0);
    expect(prefix.every((id) => ids.has(id))).toBe(true);
    expect(new Set(prefix).size).toBe(prefix.length);
    expect(prefix).not.toContain(part.stuck!.op);
    expect(part.stuck!.statesBefore).toEqual(part.longestPrefix!.at(-1)!.statesAfter);
    const stuck = part.operations.find((op) => op.id === part.stuck!.op)!;
    for (const id of part.stuck!.concurrent) {
      const other = part.operations.find((op) => op.id === id)!;
      expect(other.call <= (stuck.return ?? Infinity) && stuck.call <= (other.return ?? Infinity)).toBe(true);
    }
    const partials = part.partialLinearizations!;
    expect(partials.length).toBeGreaterThan(0);
    expect(partials[0]!.length).toBe(prefix.length);
    for (let k = 1; k < partials.length; k++) expect(partials[k]!.length).toBeLessThanOrEqual(partials[k - 1]!.length);
  });
});

describe('kv files (split by key)', () => {
  it.each(['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad'])('%s gets its known verdict', (name) => {
    const checked = checkHistory(kvModel(), kvAdapter, kvHistory(name));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.result.verdict).toBe(name.endsWith('-ok') ? 'ok' : 'illegal');
    expect(checked.result.parts.length).toBeGreaterThan(1);
  });

  it('checks every part of a bad file when asked not to stop at the first illegal part', () => {
    const checked = checkHistory(kvModel(), kvAdapter, kvHistory('c10-bad'), { stopAtFirstIllegal: false, explain: false });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.result.parts.every((part) => part.verdict !== 'unknown')).toBe(true);
    expect(checked.result.verdict).toBe('illegal');
  });
});

describe('kv files unsplit (one model over the whole map)', () => {
  it.each(['c10-ok', 'c10-bad'])('%s gets its known verdict without partitioning', (name) => {
    const checked = checkHistory(kvModel(), kvAdapter, kvHistory(name), { noPartition: true, explain: false });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.result.parts.length).toBe(1);
    expect(checked.result.verdict).toBe(name.endsWith('-ok') ? 'ok' : 'illegal');
  });
});
