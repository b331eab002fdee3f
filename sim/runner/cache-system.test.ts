// The cache cluster under generated fault schedules: the properties the storage and Raft issues
// promise, checked end to end with the client history.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import { findScenario } from '../../scenarios/registry';
import { faultScheduleArbitrary } from '../testing/schedule-arbitrary';
import { cacheQuietUs, cacheSystem } from './cache-system';
import { judgeScenario, runScenario, scenarioSettings, serverIds } from './run';
import { shrinkSchedule } from '../nemesis/shrink';
import type { FaultSchedule } from '../nemesis/schedule';

const TORN_AND_KEPT = { ...DEFAULT_DISK_CONFIG, crash: { keepUnsynced: 0.3, tearUnsynced: 0.3 } };

describe('the cache cluster under generated fault schedules', () => {
  it('3 nodes, a minority disk damaged, crashes tearing unsynced writes: invariants hold, no acknowledged write is lost, the history is linearizable', () => {
    const members = serverIds(3);
    // 8 s of faults, then the cache system's healing period.
    const quietUs = cacheQuietUs(3);
    const durationUs = 8_000_000 + quietUs;
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), faultScheduleArbitrary({ members, durationUs, quietUs, damageable: ['n3'], faultsMax: 12 }), (seed, schedule) => {
        const outcome = judgeScenario(cacheSystem(), { seed, scenario: findScenario('random')!, nodes: 3, durationUs, schedule, disk: TORN_AND_KEPT });
        const failed = outcome.header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check}: ${v.summary}`);
        expect(failed).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('a majority crashing in the instant it first starts (before its identity is durable) rejoins as itself, and the checks pass', () => {
    // Found by the generated schedules: n1 and n2 crashed at 0 and restarted at 8 s on empty disks.
    // They were turned away as strangers (new ids asking a leader that could never be elected to
    // add them), and the membership checks took their crash for the time before their first start.
    const schedule: FaultSchedule = [
      { atUs: 0, fault: { kind: 'crash', node: 'n1' } },
      { atUs: 0, fault: { kind: 'crash', node: 'n2' } },
      { atUs: 8_000_000, fault: { kind: 'start', node: 'n1' } },
      { atUs: 8_000_000, fault: { kind: 'start', node: 'n2' } },
    ];
    const outcome = judgeScenario(cacheSystem(), { seed: 0, scenario: findScenario('random')!, nodes: 3, durationUs: 8_000_000 + cacheQuietUs(3), schedule });
    expect(outcome.header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check}: ${v.summary}`)).toEqual([]);
    expect(outcome.header.verdicts.find((v) => v.check === 'swim-completeness')?.summary).toMatch(/^2 crash\(es\)/);
  });

  it('stale reads from a follower are caught by the linearizability check', () => {
    // Every client reads stale from n3 (cut off for a while): it answers from a state that lags,
    // and stops moving while the majority keeps writing. (The check must be able to fail.)
    const outcome = judgeScenario(cacheSystem({ client: { readMode: 'stale', staleReadsFrom: 'n3' } }), {
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

  it('shrinking a failing schedule removes every fault that does not matter to the stale reads', () => {
    const staleReads = () => cacheSystem({ client: { readMode: 'stale', staleReadsFrom: 'n3' } });
    const run = (schedule: FaultSchedule) =>
      judgeScenario(staleReads(), { seed: 4, scenario: findScenario('partition')!, nodes: 3, durationUs: 9_000_000, schedule }).header.verdicts.some((v) => v.check === 'linearizability' && v.verdict === 'fail');
    const noisy: FaultSchedule = [
      { atUs: 1_000_000, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 500 } },
      { atUs: 1_500_000, fault: { kind: 'pause', node: 'n2' } },
      { atUs: 1_600_000, fault: { kind: 'resume', node: 'n2' } },
      { atUs: 2_000_000, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n3' } } },
      { atUs: 2_500_000, fault: { kind: 'clock-jump', node: 'n2', deltaUs: 1_000 } },
      { atUs: 3_000_000, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 0 } },
    ];
    const result = shrinkSchedule(noisy, run, 40);
    // Stale follower reads need at most the partition that freezes n3 (sometimes not even that:
    // follower lag alone can show them). Any fault moves the timing of what follows, so on some
    // seeds a fault that has nothing to do with n3 is the one a run needs to show them (measured:
    // seeds 2, 3, 5 and 6 shrink to the 1 ms clock jump of n2, seed 7 to nothing); on seed 4 it
    // is the partition, and the clock faults and the pause go.
    expect(result.schedule.every((f) => f === noisy[3])).toBe(true);
    expect(result.minimal).toBe(true);
    expect(run(result.schedule)).toBe(true);
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

  it('membership feeds the node: the leader reports a crashed voter down, and clients rotating away from a failed leader skip it', () => {
    const scenario = findScenario('crash')!;
    const probe = runScenario(cacheSystem(), { seed: 11, scenario, nodes: 5, durationUs: 4_000_000, schedule: [] });
    const leader = probe.trace.filter((r) => r.kind === 'note' && r.fields.event === 'leaderElected').at(-1)!.fields.leaderId as string;
    // The server clients rotate to when the leader fails (the next in their ring) dies first, for good.
    const servers = serverIds(5);
    const next = servers[(servers.indexOf(leader) + 1) % servers.length]!;
    const schedule: FaultSchedule = [
      { atUs: 3_000_000, fault: { kind: 'crash', node: next } },
      { atUs: 14_000_000, fault: { kind: 'crash', node: leader } },
      { atUs: 16_000_000, fault: { kind: 'start', node: leader } },
    ];
    const outcome = runScenario(cacheSystem(), { seed: 11, scenario, nodes: 5, durationUs: 25_000_000, schedule });
    expect(outcome.header.verdicts.filter((v) => v.verdict !== 'pass')).toEqual([]);
    const reports = outcome.trace.filter((r) => r.kind === 'note' && r.fields.event === 'votersDown' && String(r.fields.voters).split(' ').includes(next));
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]!.trueUs - 3_000_000).toBeLessThan(10_000_000);
    // When the leader fails, the clients time out on it and rotate: past the dead server, not to it.
    const toDead = outcome.trace.filter((r) => r.kind === 'send' && r.node !== null && r.node.startsWith('c') && r.fields.to === next && r.trueUs > 14_000_000);
    expect(toDead).toEqual([]);
  });
});
