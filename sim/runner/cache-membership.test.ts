// The membership checks in the cache system: the recorder watches the SWIM member inside every
// cache node, each check is its own verdict, and each can fail there (planted defects), while the
// same runs without the defect pass. Runs are short and small (3 nodes) to keep the suite lean.

import { describe, expect, it } from 'vitest';
import type { Verdict } from './artifact';
import { cacheSystem, type CacheSystemOptions } from './cache-system';
import { judgeScenario } from './run';
import { findScenario } from '../../scenarios/registry';
import type { FaultSchedule } from '../nemesis/schedule';

const crashN3: FaultSchedule = [{ atUs: 2_000_000, fault: { kind: 'crash', node: 'n3' } }];
const lossy: FaultSchedule = [
  { atUs: 1_000_000, fault: { kind: 'link-loss', probability: 0.1 } },
  { atUs: 6_000_000, fault: { kind: 'link-loss-end' } },
];

function run(options: CacheSystemOptions, schedule: FaultSchedule, durationUs: number) {
  const system = cacheSystem(options);
  const outcome = judgeScenario(system, { seed: 3, scenario: findScenario('crash')!, nodes: 3, durationUs, schedule });
  return { system, verdicts: new Map(outcome.header.verdicts.map((v): [string, Verdict] => [v.check, v])) };
}

const swimChecks = (verdicts: Map<string, Verdict>) => ['swim-completeness', 'swim-accuracy', 'swim-convergence'].map((c) => verdicts.get(c)?.verdict);

describe('membership checks in the cache system', () => {
  it('a crashed node is held dead by every live node within the bound; with a 10x suspicion timeout in the nodes, completeness fails naming observer and crashed node', () => {
    const sound = run({}, crashN3, 12_000_000).verdicts;
    expect(sound.get('swim-completeness')!.summary).toMatch(/^1 crash\(es\), 2 observers/);
    expect(swimChecks(sound)).toEqual(['pass', 'pass', 'pass']);
    const broken = run({ swimDefect: { kind: 'member-config', override: { suspicionMultiplier: 40 } } }, crashN3, 12_000_000).verdicts;
    expect(broken.get('swim-completeness')!.verdict).toBe('fail');
    expect(broken.get('swim-completeness')!.summary).toMatch(/detections late; first: n[12] still held n3 suspect@0 at \d+\.\d{3} s/);
  });

  it('nodes running a period shorter than the round trip and almost no suspicion timeout declare live nodes dead: accuracy fails in a healthy network', () => {
    const hasty = { protocolPeriodUs: 2_000, probeTimeoutUs: 1_000, localHealthMax: 0, suspicionMultiplier: 1, suspicionMaxMultiplier: 1 };
    const broken = run({ swimDefect: { kind: 'member-config', override: hasty } }, [], 1_000_000).verdicts;
    expect(broken.get('swim-accuracy')!.verdict).toBe('fail');
    expect(broken.get('swim-accuracy')!.summary).toMatch(/^n\d declared n\d dead@\d+ at \d+\.\d{3} s while it was up and the network healthy/);
  });

  it('under a timed 10% loss false suspicions are refuted and reported; nodes that never refute fail accuracy and convergence', () => {
    const sound = run({}, lossy, 20_000_000).verdicts;
    expect(swimChecks(sound)).toEqual(['pass', 'pass', 'pass']);
    expect(sound.get('swim-accuracy')!.summary).toMatch(/^[1-9]\d* false suspicion\(s\), 0 false death\(s\) in 0\.017 member-hours .*; [1-9]\d* refuted in time/);
    const broken = run({ swimDefect: { kind: 'never-refutes', members: ['n1', 'n2', 'n3'] } }, lossy, 30_000_000).verdicts;
    expect(broken.get('swim-accuracy')!.verdict).toBe('fail');
    expect(broken.get('swim-accuracy')!.summary).toMatch(/while it was up; never refuted/);
    expect(broken.get('swim-convergence')!.verdict).toBe('fail');
    expect(broken.get('swim-convergence')!.summary).toMatch(/^views still disagree at \d+\.\d{3} s, .* after the heal at 6.000 s .*: n\d sees n\d (suspect|dead)@\d+/);
  });

  it('watching only SWIM steps records exactly what diffing after every node step records', () => {
    const fast = run({}, crashN3, 6_000_000).system.swimRecorder()!;
    const slow = run({ swimDiffEveryStep: true }, crashN3, 6_000_000).system.swimRecorder()!;
    expect(fast.changes.length).toBeGreaterThan(10);
    expect(fast.changes).toEqual(slow.changes);
    expect(fast.ticks).toEqual(slow.ticks);
  });
});
