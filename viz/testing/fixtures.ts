// Fixture artifacts for the viewers' tests and for development, made before the simulator
// records client histories itself: a real simulator run (trace, schedule, summary) with a
// Porcupine kv history (c01-bad, or c01-ok) given true times and the real checker's verdict as
// its linearizability detail. Test tooling only: the viewers themselves never import sim/ or
// checkers/. Must stay deterministic: the same arguments give the same artifact.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../sim/runner/run';
import { raftSystem } from '../../sim/runner/raft-system';
import { findScenario } from '../../scenarios/registry';
import { checkHistory } from '../../checkers/linearizability/check';
import { parseJepsenEdn } from '../../checkers/linearizability/formats/jepsen-edn';
import { findModel } from '../../checkers/linearizability/models/registry';
import type { HistoryEvent, RunArtifact } from '../artifact/artifact';

export interface FixtureOptions {
  readonly scenario?: string;
  readonly seed?: number;
  readonly durationUs?: number;
  /** Which Porcupine kv history: 'c01-bad' (not linearizable) or 'c01-ok'. */
  readonly history?: 'c01-bad' | 'c01-ok' | 'none';
  /** Rename a key everywhere (the hostile-key test turns the failing key into a script tag). */
  readonly renameKey?: { readonly from: string; readonly to: string };
}

export const HOSTILE_KEY = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** The c01-bad history with its failing key ("7") renamed to HOSTILE_KEY. */
export const HOSTILE_FIXTURE: FixtureOptions = { seed: 8, renameKey: { from: '7', to: HOSTILE_KEY } };

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, '..', '..', 'checkers', 'testdata', 'porcupine', 'kv');

/** Builds the artifact in memory. */
export function buildFixture(options: FixtureOptions = {}): RunArtifact {
  const scenarioName = options.scenario ?? 'partition';
  const scenario = findScenario(scenarioName);
  if (scenario === undefined) throw new Error(`no scenario ${scenarioName}`);
  const durationUs = options.durationUs ?? 8_000_000;
  const outcome = runScenario(raftSystem(), { seed: options.seed ?? 7, scenario, nodes: 5, durationUs });
  const which = options.history ?? 'c01-bad';
  const verdicts = [...outcome.header.verdicts];
  let history: HistoryEvent[] = [];
  if (which !== 'none') {
    let text = readFileSync(join(testdata, `${which}.txt`), 'utf8');
    const rename = options.renameKey;
    if (rename !== undefined) text = text.replaceAll(`:key ${JSON.stringify(rename.from)}`, `:key ${JSON.stringify(rename.to)}`);
    const parsed = parseJepsenEdn(text);
    if (!parsed.ok) throw new Error(`fixture history: ${parsed.error.message}`);
    // Spread the events over the run, in order: event i at a true time inside the run.
    const stepUs = Math.floor((durationUs - 1_000_000) / Math.max(1, parsed.history.length));
    history = parsed.history.map((e, i) => ({
      process: e.process,
      type: e.type,
      f: e.f,
      ...(e.key !== undefined ? { key: e.key } : {}),
      ...(e.value !== undefined ? { value: e.value } : {}),
      time: 500_000 + i * stepUs,
      index: i,
    }));
    const entry = findModel('kv')?.create(undefined);
    if (entry === undefined || !entry.ok) throw new Error('kv model missing');
    const checked = checkHistory(entry.configured.model, entry.configured.adapt, parsed.history, {});
    if (!checked.ok) throw new Error(`fixture history: ${checked.error.message}`);
    const result = checked.result;
    const verdict = result.verdict === 'ok' ? 'pass' : result.verdict === 'illegal' ? 'fail' : 'unknown';
    const stuckPart = result.parts.find((p) => p.stuck !== undefined);
    verdicts.push({
      check: 'linearizability',
      verdict,
      summary: verdict === 'fail' ? `not linearizable: ${stuckPart?.label ?? 'a part'} has an operation that cannot be placed` : `linearizable (${result.operationCount} operations)`,
      detail: result,
    });
  }
  return { ...outcome.header, verdicts, history, trace: outcome.trace } as unknown as RunArtifact;
}

/** Writes it as run.json under dir (the simulator's layout) and returns the path. */
export function writeFixture(dir: string, options: FixtureOptions = {}): string {
  const run = buildFixture(options);
  const path = join(dir, `${run.scenario}-${run.seed}`, 'run.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(run));
  return path;
}

// npx tsx viz/testing/fixtures.ts OUTDIR [hostile]: write a failing fixture run for development.
if (process.argv[1] !== undefined && process.argv[1].endsWith('fixtures.ts')) {
  const out = process.argv[2] ?? 'runs-fixture';
  const hostile = process.argv[3] === 'hostile';
  console.log(writeFixture(out, hostile ? HOSTILE_FIXTURE : {}));
}
