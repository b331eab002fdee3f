// A run judged without keeping its trace (judgeScenario, what a sweep does per seed) reaches the
// same artifact header as one that keeps it: the same summary, trace hash included, and the same
// verdicts with the same explanations, for every system, passing or failing.

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/registry';
import { judgeSystem, runSystem } from '../cli/run-seed';
import type { SystemName } from '../cli/args';
import { EXCEPTIONS_CHECK, judgeScenario, runScenario, type RunOptions } from './run';
import { demoSystem, type SystemUnderTest } from './system';
import type { DemoMessage, DemoOutput, DemoRequest } from '../testing/demo-process';
import { assert } from '../../src/util/assert';

const CASES: readonly { system: SystemName; scenario: string; seed: number; seconds: number; bug: string | null; passes: boolean }[] = [
  { system: 'cache', scenario: 'crash', seed: 3, seconds: 20, bug: null, passes: true },
  // The SWIM checks of the cache system read the trace's fault records: a run with partitions and crashes.
  { system: 'cache', scenario: 'random', seed: 7, seconds: 20, bug: null, passes: true },
  // Fails by linearizability at the end of the run (bugs.test.ts).
  { system: 'cache', scenario: 'partition', seed: 1, seconds: 30, bug: 'retry-without-dedup', passes: false },
  { system: 'raft', scenario: 'partition', seed: 2, seconds: 8, bug: null, passes: true },
  { system: 'swim', scenario: 'swim', seed: 4, seconds: 20, bug: null, passes: true },
  { system: 'demo', scenario: 'crash', seed: 5, seconds: 8, bug: null, passes: true },
];

describe('judgeScenario gives runScenario\'s header without keeping the trace', () => {
  for (const c of CASES) {
    it(`${c.system} on ${c.scenario} seed ${c.seed}${c.bug === null ? '' : ` with ${c.bug}`}`, () => {
      const scenario = findScenario(c.scenario);
      if (scenario === undefined) throw new Error(`unknown scenario ${c.scenario}`);
      const options: RunOptions = { seed: c.seed, scenario, nodes: 5, durationUs: c.seconds * 1_000_000 };
      const kept = runSystem(c.system, options, c.bug);
      const judged = judgeSystem(c.system, options, c.bug);
      expect(kept.passed).toBe(c.passes);
      expect(kept.trace.length).toBe(kept.header.summary.traceRecords);
      expect('trace' in judged).toBe(false);
      expect(JSON.stringify(judged.header)).toBe(JSON.stringify(kept.header));
    }, 60_000);
  }
});

describe('a run that throws', () => {
  // The demo system, with a failed assertion planted in the world at 1.2 s: as a bug in the node
  // or the simulator would throw from inside a step.
  const throwing = (): SystemUnderTest<DemoMessage, DemoRequest, DemoOutput> => {
    const demo = demoSystem();
    return { ...demo, install: (world, cluster) => (demo.install(world, cluster), world.at(1_200_000, () => assert(false, 'planted for the test'))) };
  };

  it('fails with the exception as its one verdict, stopped where it threw, recorded in the trace; the same header judged', () => {
    const options: RunOptions = { seed: 3, scenario: findScenario('crash')!, nodes: 3, durationUs: 8_000_000 };
    const kept = runScenario(throwing(), options);
    expect(kept.passed).toBe(false);
    expect(kept.header.verdicts).toEqual([
      { check: EXCEPTIONS_CHECK, verdict: 'fail', summary: expect.stringMatching(/^the run threw at 1\.200 s \(step \d+\): AssertionError: planted for the test$/), detail: expect.objectContaining({ trueUs: 1_200_000, error: 'AssertionError: planted for the test' }) },
    ]);
    expect(kept.header.summary.simulatedUs).toBe(1_200_000);
    expect(kept.trace.at(-1)).toMatchObject({ trueUs: 1_200_000, kind: 'violation', fields: { invariant: EXCEPTIONS_CHECK, message: 'AssertionError: planted for the test' } });
    expect(JSON.stringify(judgeScenario(throwing(), options).header)).toBe(JSON.stringify(kept.header));
    // Without the planted throw the same run passes: the verdict is the throw's doing.
    expect(runScenario(demoSystem(), options).passed).toBe(true);
  });
});
