// The cache cluster under generated fault schedules: the properties the storage and Raft issues
// promise, checked end to end with the client history.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import { findScenario } from '../../scenarios/registry';
import { faultScheduleArbitrary } from '../testing/schedule-arbitrary';
import { cacheSystem } from './cache-system';
import { runScenario, scenarioSettings, serverIds } from './run';
import { shrinkSchedule } from '../nemesis/shrink';
import type { FaultSchedule } from '../nemesis/schedule';

const TORN_AND_KEPT = { ...DEFAULT_DISK_CONFIG, crash: { keepUnsynced: 0.3, tearUnsynced: 0.3 } };

describe('the cache cluster under generated fault schedules', () => {
  it('3 nodes, a minority disk damaged, crashes tearing unsynced writes: invariants hold, no acknowledged write is lost, the history is linearizable', () => {
    const members = serverIds(3);
    const durationUs = 12_000_000;
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), faultScheduleArbitrary({ members, durationUs, damageable: ['n3'], faultsMax: 12 }), (seed, schedule) => {
        const outcome = runScenario(cacheSystem(), { seed, scenario: findScenario('random')!, nodes: 3, durationUs, schedule, disk: TORN_AND_KEPT });
        const failed = outcome.header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check}: ${v.summary}`);
        expect(failed).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('stale reads from a follower are caught by the linearizability check', () => {
    // Every client reads stale from n3 (cut off for a while): it answers from a state that lags,
    // and stops moving while the majority keeps writing. (The check must be able to fail.)
    const outcome = runScenario(cacheSystem({ client: { readMode: 'stale', staleReadsFrom: 'n3' } }), {
      seed: 5,
      scenario: findScenario('partition')!,
      nodes: 3,
      durationUs: 12_000_000,
      schedule: [
        { atUs: 2_000_000, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n3' } } },
        { atUs: 6_000_000, fault: { kind: 'heal' } },
      ],
    });
    const lin = outcome.header.verdicts.find((v) => v.check === 'linearizability');
    expect(lin?.verdict).toBe('fail');
  });

  it('shrinking a failing schedule to nothing shows the root cause needs no fault: stale follower reads are never linearizable', () => {
    const staleReads = () => cacheSystem({ client: { readMode: 'stale', staleReadsFrom: 'n3' } });
    const run = (schedule: FaultSchedule) =>
      runScenario(staleReads(), { seed: 5, scenario: findScenario('partition')!, nodes: 3, durationUs: 9_000_000, schedule }).header.verdicts.some((v) => v.check === 'linearizability' && v.verdict === 'fail');
    const noisy: FaultSchedule = [
      { atUs: 1_000_000, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 500 } },
      { atUs: 1_500_000, fault: { kind: 'pause', node: 'n2' } },
      { atUs: 1_600_000, fault: { kind: 'resume', node: 'n2' } },
      { atUs: 2_000_000, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n3' } } },
      { atUs: 2_500_000, fault: { kind: 'clock-jump', node: 'n2', deltaUs: 1_000 } },
      { atUs: 3_000_000, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 0 } },
    ];
    const result = shrinkSchedule(noisy, run, 40);
    expect(result.schedule).toEqual([]);
    expect(result.minimal).toBe(true);
    expect(result.runs).toBeLessThan(10);
  });

  it.each([
    ['snapshot', 'snapshotInstalled'],
    ['leader-transfer', 'leaderElected'],
    ['membership', 'configChanged'],
  ])('the %s scenario passes every check and does what it is for (%s more than once)', (name, event) => {
    const scenario = findScenario(name)!;
    const outcome = runScenario(cacheSystem(scenarioSettings(scenario)), { seed: 3, scenario, nodes: 5, durationUs: 20_000_000 });
    expect(outcome.header.verdicts.filter((v) => v.verdict !== 'pass')).toEqual([]);
    expect(outcome.trace.filter((r) => r.kind === 'note' && r.fields.event === event).length).toBeGreaterThan(1);
  });
});
