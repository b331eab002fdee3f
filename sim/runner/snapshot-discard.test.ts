// install-snapshot-discards-newer can lose a committed write: a hand-crafted fault schedule,
// timed from the trace of seed 1 of `snapshot` on a network where n5 is slow (20-40 ms a hop)
// and every link duplicates and reorders: what the timing must be for the bug to lose a committed
// entry outright, not only drop it on one follower (which the snapshot-lag scenario catches, by
// the monitor's committed-retained check, in every seed). The monitor stops the run at the drop:
//
//   2.9542 s  the leader n1 sends entries 320 and 321 to everyone (n5 gets them 20-40 ms later)
//   2.9552    n2 crashes after acknowledging 320, before 321 reaches it; 2.9555 the same for n4
//   2.9568    320 commits (n1, n3, the acknowledgements of n2 and n4); n1 compacts at 320
//   3.0179    321 commits on n1 with n5's acknowledgement, n2 and n4 being down
//   3.0239    n5, its acknowledgements having been late, is sent the snapshot at 320; its log
//             matches there, and the bug discards 321 (a correct node keeps it): the
//             monitor's committed-retained check fails here, stopping the run
//   3.025     {n1 n3} are cut off from {n2 n4 n5}; n2 and n4 restart beside n5
//   3.878     (without the monitor stopping it) the new leader n4 lacks 321, committed on n1:
//             leader completeness fails, the committed write is gone.
//
// Every fault is within Raft's tolerance (two crashes with their disks, a partition that leaves a
// majority), so without the bug the same schedule passes every check.

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/registry';
import { validateNetworkConfig } from '../config/network-config';
import { runSystem } from '../cli/run-seed';
import { validateSchedule } from '../nemesis/schedule';
import { serverIds } from './run';

const NOISY = { duplicateProbability: 0.05, reorderProbability: 0.1, reorderDelayUsMax: 50_000 };
const SLOW = { ...NOISY, latency: { baseUs: 20_000, jitterUs: 20_000 } };

const NETWORK = {
  defaultLink: NOISY,
  links: ['n1', 'n2', 'n3', 'n4'].flatMap((m) => [
    { from: m, to: 'n5', link: SLOW },
    { from: 'n5', to: m, link: SLOW },
  ]),
};

const SCHEDULE = [
  { atUs: 2_955_200, fault: { kind: 'crash', node: 'n2' } },
  { atUs: 2_955_500, fault: { kind: 'crash', node: 'n4' } },
  { atUs: 3_025_000, fault: { kind: 'partition', spec: { shape: 'groups', groups: [['n1', 'n3'], ['n2', 'n4', 'n5']] } } },
  { atUs: 3_030_000, fault: { kind: 'start', node: 'n2' } },
  { atUs: 3_030_000, fault: { kind: 'start', node: 'n4' } },
  { atUs: 6_000_000, fault: { kind: 'heal' } },
];

function run(bug: string | null) {
  const scenario = findScenario('snapshot');
  if (scenario === undefined) throw new Error('snapshot scenario is registered');
  const network = validateNetworkConfig(NETWORK, serverIds(5));
  const schedule = validateSchedule(SCHEDULE, serverIds(5));
  if (!network.ok || !schedule.ok) throw new Error('the hand-crafted inputs are valid');
  return runSystem('cache', { seed: 1, scenario, nodes: 5, durationUs: 20_000_000, network: network.config, schedule: schedule.schedule }, bug).header.verdicts;
}

describe('install-snapshot-discards-newer, hand-timed', () => {
  it('drops committed entry 321 on n5 with the bug (committed-retained, at 3.024 s), and passes every check without it', () => {
    const withBug = run('install-snapshot-discards-newer');
    const invariants = withBug.find((v) => v.check === 'raft-invariants');
    expect(invariants?.verdict).toBe('fail');
    expect(invariants?.summary).toContain('committed-retained at step 22424 (3.024 s)');
    expect(invariants?.summary).toContain('n5 dropped entry 321 (term 1), committed on n1, from its log (now ending at 320, snapshot at 320)');
    const without = run(null);
    expect(without.map((v) => [v.check, v.verdict]).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
  }, 60_000);
});
