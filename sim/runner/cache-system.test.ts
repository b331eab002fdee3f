// The cache cluster under generated fault schedules: the properties the storage and Raft issues
// promise, checked end to end with the client history.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import { findScenario } from '../../scenarios/registry';
import { faultScheduleArbitrary } from '../testing/schedule-arbitrary';
import { cacheSystem } from './cache-system';
import { runScenario, serverIds } from './run';

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

  it('stale reads from a partitioned replica are caught by the linearizability check', () => {
    // Every client reads stale from n3, which is cut off: it answers from a state that no longer
    // moves while the majority keeps writing. (The check must be able to fail.)
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
});
