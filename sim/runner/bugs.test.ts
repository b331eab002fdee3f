// Each planted bug is caught: one seed measured to catch it (see caughtBy) fails the expected
// check with the bug on, and the same seed passes every check with it off, so the catch is the
// bug's doing and not noise.

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/registry';
import { judgeSystem } from '../cli/run-seed';
import { PLANTED_BUGS, findBug } from './bugs';

interface KnownCatch {
  readonly bug: string;
  readonly scenario: string;
  readonly seed: number;
  readonly durationUs: number;
  readonly check: string;
}

const CATCHES: readonly KnownCatch[] = [
  // Measured with the 11.6 s healing period of the cache system (faults between 2 s and 18.4 s):
  // `npm run sim -- --scenario S --seeds 1..N --bug B --workers 2 --duration 30s`, the first catching seed.
  // leader-clock-step 1..20: 20 of 20 fail by lease safety, each in its first episode (2.15-2.26 s); seed 1 in 15 s as well.
  { bug: 'lease-on-wall-clock', scenario: 'leader-clock-step', seed: 1, durationUs: 15_000_000, check: 'raft-invariants' },
  // clock-skew 1..200: 19 fail (22, 32, 51, 64, ...; none of 1..20).
  { bug: 'lease-on-wall-clock', scenario: 'clock-skew', seed: 22, durationUs: 30_000_000, check: 'raft-invariants' },
  // power-loss 1..20: 18 of 20 fail (not 7 and 17).
  { bug: 'ack-append-before-durable', scenario: 'power-loss', seed: 2, durationUs: 30_000_000, check: 'raft-invariants' },
  // election-blackout 1..20: 14 of 20 fail by leader completeness (not 3, 5, 8, 11, 18, 20); seed 1 at 2.670 s.
  { bug: 'ack-append-before-durable', scenario: 'election-blackout', seed: 1, durationUs: 30_000_000, check: 'raft-invariants' },
  // stale-leader 1..20: seeds 1, 2, 5, 12, 16, 19 fail, all by linearizability.
  { bug: 'read-without-leadership-check', scenario: 'stale-leader', seed: 1, durationUs: 30_000_000, check: 'linearizability' },
  // bit-rot 1..30: 17 fail (1, 3, 4, 6, 7, 10, 12, 16, 17, 20-24, 26, 29, 30), each by state-machine safety; seed 6 at 5.082 s.
  { bug: 'wal-skips-payload-checksum', scenario: 'bit-rot', seed: 6, durationUs: 30_000_000, check: 'raft-invariants' },
  // disk 1..30: seeds 10, 22, 24 fail (state-machine safety).
  { bug: 'wal-skips-payload-checksum', scenario: 'disk', seed: 10, durationUs: 30_000_000, check: 'raft-invariants' },
  // election-blackout 1..20: 10 fail (1, 2, 5, 7, 9, 12, 15, 16, 19, 20), each by election safety; seed 1 at 2.642 s.
  { bug: 'vote-before-durable', scenario: 'election-blackout', seed: 1, durationUs: 30_000_000, check: 'raft-invariants' },
  // power-loss 1..60: only seed 53 fails (election safety: two leaders in term 2).
  { bug: 'vote-before-durable', scenario: 'power-loss', seed: 53, durationUs: 30_000_000, check: 'raft-invariants' },
  // message-loss 1..20: 20 of 20 fail (the answers lost, the retry applied again); seed 1 in 15 s as well.
  { bug: 'retry-without-dedup', scenario: 'message-loss', seed: 1, durationUs: 15_000_000, check: 'linearizability' },
  // partition 1..20: only seed 1 fails.
  { bug: 'retry-without-dedup', scenario: 'partition', seed: 1, durationUs: 30_000_000, check: 'linearizability' },
  // lease-drift --seeds 1..20 --duration 15s: seeds 7, 17, 18 fail, each in its first episode (2.14-2.15 s).
  { bug: 'lease-without-drift-margin', scenario: 'lease-drift', seed: 7, durationUs: 15_000_000, check: 'raft-invariants' },
  // leader-churn --seeds 1..60 --duration 30s: 52 of 60 fail; seed 11, and a 15 s run catches it the same.
  { bug: 'figure8-commit', scenario: 'leader-churn', seed: 11, durationUs: 15_000_000, check: 'raft-invariants' },
  // snapshot-lag --seeds 1..20 --duration 30s: 20 of 20 fail by committed-retained; seed 18 in 15 s as well.
  { bug: 'install-snapshot-discards-newer', scenario: 'snapshot-lag', seed: 18, durationUs: 15_000_000, check: 'raft-invariants' },
];

function run(c: KnownCatch, bug: string | null) {
  const scenario = findScenario(c.scenario);
  if (scenario === undefined) throw new Error(`unknown scenario ${c.scenario}`);
  return judgeSystem('cache', { seed: c.seed, scenario, nodes: 5, durationUs: c.durationUs }, bug).header.verdicts;
}

describe('planted bugs are caught', () => {
  it('every bug that claims a catching scenario has a known catching seed here, and only those', () => {
    const claimed = PLANTED_BUGS.filter((b) => b.caughtBy.length > 0).map((b) => b.name).sort();
    expect([...new Set(CATCHES.map((c) => c.bug))].sort()).toEqual(claimed);
    for (const c of CATCHES) expect(findBug(c.bug)?.caughtBy).toContain(c.scenario);
  });

  for (const c of CATCHES) {
    it(`${c.bug}: seed ${c.seed} of ${c.scenario} fails ${c.check} with the bug and passes without it`, () => {
      const withBug = run(c, c.bug);
      expect(withBug.find((v) => v.check === c.check)?.verdict).toBe('fail');
      const without = run(c, null);
      expect(without.map((v) => [v.check, v.verdict]).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
    }, 60_000);
  }
});
