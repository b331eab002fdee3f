// Benchmark of porcupine-ts on the shared reference histories: the 50 etcd logs (total), the six
// kv files split by key, and c10-ok / c10-bad unsplit (the hard cases for the search itself),
// with the peak heap seen. Reads the wall clock (marked lines) and is never imported by product
// code; it must never change a verdict, and it fails loudly if a verdict is not the known one.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkHistory } from '../linearizability/check';
import { parseJepsenEdn } from '../linearizability/formats/jepsen-edn';
import { parseJepsenLog } from '../linearizability/formats/jepsen-log';
import type { HistoryEvent } from '../linearizability/history';
import { kvAdapter, kvModel } from '../linearizability/models/kv';
import { casRegisterModel, registerAdapter } from '../linearizability/models/register';
import type { CheckOptions, Verdict } from '../linearizability/types';

export async function runCheckerBench(print: (line: string) => void): Promise<void> {
  const dataDir = new URL('../testdata/porcupine/', import.meta.url);
  const heap = new HeapWatch();
  const options: CheckOptions = { shouldStop: () => heap.sample() };

  const etcd = Array.from({ length: 50 }, (_, k) => {
    const name = `etcd_${String(k).padStart(3, '0')}`;
    return { name, history: parse(parseJepsenLog, new URL(`jepsen/${name}.log`, dataDir)), expected: linearizableEtcd.has(k) ? 'ok' : 'illegal' };
  });
  const etcdRunsMs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const startMs = performance.now(); // wall-clock-ok
    for (const file of etcd) expectVerdict(file.name, checkHistory(casRegisterModel(), registerAdapter(true), file.history, options), file.expected);
    etcdRunsMs.push(performance.now() - startMs); // wall-clock-ok
  }
  print(`etcd logs (50, cas-register): first run ${fmt(etcdRunsMs[0]!)}, best of 3 ${fmt(Math.min(...etcdRunsMs))}`);

  const kvNames = ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad'];
  const kv = kvNames.map((name) => ({ name, history: parse(parseJepsenEdn, new URL(`kv/${name}.txt`, dataDir)), expected: name.endsWith('ok') ? 'ok' : 'illegal' }));
  let kvTotalMs = 0;
  const perFile: string[] = [];
  for (const file of kv) {
    const startMs = performance.now(); // wall-clock-ok
    expectVerdict(file.name, checkHistory(kvModel(), kvAdapter, file.history, options), file.expected);
    const ms = performance.now() - startMs; // wall-clock-ok
    kvTotalMs += ms;
    perFile.push(`${file.name} ${fmt(ms)}`);
  }
  print(`kv files split by key (6): total ${fmt(kvTotalMs)} (${perFile.join(', ')})`);

  for (const file of kv.filter((f) => f.name.startsWith('c10'))) {
    const startMs = performance.now(); // wall-clock-ok
    const checked = checkHistory(kvModel(), kvAdapter, file.history, { ...options, noPartition: true });
    const ms = performance.now() - startMs; // wall-clock-ok
    expectVerdict(`${file.name} unsplit`, checked, file.expected);
    print(`${file.name} unsplit: ${fmt(ms)} (${checked.ok ? checked.result.steps : 0} search steps, explanation included)`);
  }
  heap.sample();
  print(`peak heap used: ${(heap.peakBytes / 2 ** 20).toFixed(0)} MB`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

const linearizableEtcd = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49]);

/** Samples the heap each time the checker polls its stop predicate (every few thousand steps). */
class HeapWatch {
  peakBytes = 0;
  sample(): boolean {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage().heapUsed);
    return false;
  }
}

function parse(parser: (text: string) => ReturnType<typeof parseJepsenLog>, url: URL): HistoryEvent[] {
  const parsed = parser(readFileSync(url, 'utf8'));
  if (!parsed.ok) throw new Error(`${url.pathname}:${parsed.error.line}: ${parsed.error.message}`);
  return parsed.history;
}

function expectVerdict(name: string, checked: ReturnType<typeof checkHistory>, expected: Verdict | string): void {
  if (!checked.ok) throw new Error(`${name}: ${checked.error.message}`);
  if (checked.result.verdict !== expected) throw new Error(`${name}: verdict ${checked.result.verdict}, expected ${expected}`);
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function isDirectRun(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(script).href;
}

if (isDirectRun()) {
  await runCheckerBench((line) => console.log(line));
}
