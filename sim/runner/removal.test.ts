// The optional removal of long-dead voters, end to end: two voters of five crash for good; the
// leader removes them one at a time through joint consensus once SWIM has held each dead past the
// limit, never below the floor, and the cluster keeps serving with every check passing. Off by
// default: without the policy the same crashes change no configuration.

import { describe, expect, it } from 'vitest';
import { cacheSystem } from './cache-system';
import { runScenario } from './run';
import { findScenario } from '../../scenarios/registry';
import type { FaultSchedule } from '../nemesis/schedule';
import type { HistoryEvent } from '../workload/history';

const crashes: FaultSchedule = [
  { atUs: 2_000_000, fault: { kind: 'crash', node: 'n5' } },
  { atUs: 2_500_000, fault: { kind: 'crash', node: 'n4' } },
];
const policy = { deadLongerThanUs: 3_000_000, minVoters: 3, retryEveryUs: 2_000_000 };

function notes(trace: readonly { kind: string; trueUs: number; node: string | null; fields: Record<string, unknown> }[], event: string) {
  return trace.filter((r) => r.kind === 'note' && r.fields.event === event);
}

describe('removal of long-dead voters', () => {
  it('two crashed voters are removed one at a time by joint consensus, down to the floor of 3, and the cluster keeps serving', () => {
    const outcome = runScenario(cacheSystem({ removal: policy }), { seed: 1, scenario: findScenario('crash')!, nodes: 5, durationUs: 14_000_000, schedule: crashes });
    expect(outcome.header.verdicts.filter((v) => v.verdict !== 'pass')).toEqual([]);
    const proposed = notes(outcome.trace, 'removalProposed');
    expect(proposed.map((r) => r.fields.member)).toEqual(['n5', 'n4']);
    // Each only after SWIM held it dead for the limit, and the second only after the first committed.
    expect(proposed[0]!.trueUs).toBeGreaterThanOrEqual(2_000_000 + policy.deadLongerThanUs);
    const firstDone = notes(outcome.trace, 'removalOutcome').find((r) => r.fields.requestId === proposed[0]!.fields.requestId)!;
    expect(firstDone.fields.outcome).toBe('committed');
    expect(proposed[1]!.trueUs).toBeGreaterThan(firstDone.trueUs);
    const final = notes(outcome.trace, 'configChanged').filter((r) => r.node === 'n1' || r.node === 'n2' || r.node === 'n3').at(-1)!;
    expect([final.fields.voters, final.fields.votersOld]).toEqual(['n1 n2 n3', null]);
    // Still serving after the second removal.
    const served = (outcome.header.history as readonly HistoryEvent[]).filter((e) => e.type === 'ok' && e.time > proposed[1]!.trueUs);
    expect(served.length).toBeGreaterThan(100);
  });

  it('off by default: the same crashes change no configuration', () => {
    const outcome = runScenario(cacheSystem(), { seed: 1, scenario: findScenario('crash')!, nodes: 5, durationUs: 12_000_000, schedule: crashes });
    expect(notes(outcome.trace, 'removalProposed')).toEqual([]);
    expect(notes(outcome.trace, 'configChanged')).toEqual([]);
  });
});
