// install-snapshot-discards-newer can lose a committed write: a hand-crafted fault schedule,
// timed from the trace of seed 1 of `snapshot` on a network where n5 is slow (20-40 ms a hop)
// and every link duplicates and reorders: what the timing must be for the bug to lose a committed
// entry outright, not only drop it on one follower (which the snapshot-lag scenario catches, by
// the monitor's committed-retained check, in every seed). The monitor stops the run at the drop:
//
//   17.6100 s  the leader n1 sends entry 1986 to everyone; 17.6114 it sends 1987, its commit index
//              still 1985 (1986's acknowledgements are not back yet)
//   17.61152   n4 crashes 1 us after acknowledging 1986, before 1987 reaches it; 17.611524 n2 the
//              same (1987 would have reached it 35 us later)
//   17.6117    n3's acknowledgement of 1986 arrives, but those of n2 and n4 are held up about 40 ms
//              by the network's reordering: 1986 is not committed yet. Meanwhile n1, probing n5
//              after stale rejections from it, sends n5 entries 1980-1988 with commit index 1985
//   17.6520    n2's acknowledgement arrives: 1986 commits (n1, n3, n2); 17.6528 n1 compacts at 1986
//   17.6582    a stale rejection from n5 puts n1's probe of n5 below 1986: n1 sends it the
//              snapshot at 1986
//   17.6609    n5 appends 1980-1988 (commit index 1985) and acknowledges 1988
//   17.6897    that acknowledgement reaches n1: 1987 and 1988 commit (n1, n3, n5; n2 and n4 are down)
//   17.6905    the snapshot reaches n5: its commit index is 1985, so it installs it, and its log
//              matches at 1986, so a correct node keeps 1987-1988; the bug discards them: the
//              monitor's committed-retained check fails here, stopping the run
//   17.700     {n1 n3} are cut off from {n2 n4 n5}; 17.705 n2 and n4 restart beside n5
//   18.058     (without the monitor stopping it) n4 is elected in term 2 without 1987, committed on
//              n1: leader completeness fails, and a term-2 write takes index 1987 (state-machine
//              safety fails too): the committed write is gone. Without the bug n5 keeps 1987 and it
//              is n5 that is elected (18.124)
//   20.0       the network heals; the run ends at 24 s (it is the same run as at 20 s until the
//              clients' final reads, 1.5 s before the end: the longer run leaves the cut-off 2.3 s
//              and the cluster 4 s of work after the heal)
//
// Every fault is within Raft's tolerance (two crashes with their disks, a partition that leaves a
// majority), so without the bug the same schedule passes every check.
//
// Why hard-coded microseconds and not a schedule derived from a probe run: the loss needs entry
// X+1 to be sent before X commits (else n5 learns that X is committed with X+1 and ignores the
// snapshot at X), which holds at only 4 of the run's 32 compactions, and then the luck of the
// network: here n2's and n4's acknowledgements both being reordered, which holds back 1986's
// commit while n5 is sent 1987 and 1988. Probe-derived schedules following the story (crash two
// of n2-n4 1 us after they acknowledge X, at every compaction) reproduced it only here. When a
// change shifts the timing again (this test then fails with 'pass'), re-time it: trace the run
// without faults at the same duration, list n1's compactions (note snapshotTaken) whose X+1 is
// sent before X commits (note commitAdvanced), crash two followers 1 us after they acknowledge X,
// and keep a schedule for which the bug makes n5 drop X+1 committed on n1; the story checks below
// say which step no longer holds.

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/registry';
import type { TraceRecord } from '../trace/trace';
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
  { atUs: 17_611_520, fault: { kind: 'crash', node: 'n4' } },
  { atUs: 17_611_524, fault: { kind: 'crash', node: 'n2' } },
  { atUs: 17_700_000, fault: { kind: 'partition', spec: { shape: 'groups', groups: [['n1', 'n3'], ['n2', 'n4', 'n5']] } } },
  { atUs: 17_705_000, fault: { kind: 'start', node: 'n2' } },
  { atUs: 17_705_000, fault: { kind: 'start', node: 'n4' } },
  { atUs: 20_000_000, fault: { kind: 'heal' } },
];

function run(bug: string | null) {
  const scenario = findScenario('snapshot');
  if (scenario === undefined) throw new Error('snapshot scenario is registered');
  const network = validateNetworkConfig(NETWORK, serverIds(5));
  const schedule = validateSchedule(SCHEDULE, serverIds(5));
  if (!network.ok || !schedule.ok) throw new Error('the hand-crafted inputs are valid');
  return runSystem('cache', { seed: 1, scenario, nodes: 5, durationUs: 24_000_000, network: network.config, schedule: schedule.schedule }, bug);
}

/** The record just before the first of n1's commitAdvanced notes that takes its commit index to `index` or past it, and that note. */
function commitOnN1(trace: readonly TraceRecord[], index: number): { readonly cause: TraceRecord | undefined; readonly note: TraceRecord | undefined } {
  const at = trace.findIndex((r) => r.node === 'n1' && r.kind === 'note' && r.fields.event === 'commitAdvanced' && Number(r.fields.from) < index && Number(r.fields.to) >= index);
  return { cause: at > 0 ? trace[at - 1] : undefined, note: trace[at] };
}

describe('install-snapshot-discards-newer, hand-timed', () => {
  it('drops committed entry 1987 on n5 with the bug (committed-retained, at 17.691 s), and passes every check without it', () => {
    const withBug = run('install-snapshot-discards-newer');
    const invariants = withBug.header.verdicts.find((v) => v.check === 'raft-invariants');
    expect(invariants?.verdict).toBe('fail');
    expect(invariants?.summary).toContain('committed-retained at step 117928 (17.691 s)');
    expect(invariants?.summary).toContain('n5 dropped entry 1987 (term 1), committed on n1, from its log (now ending at 1986, snapshot at 1986)');

    // The story, step by step, from the trace of that run (it ends at the drop).
    const trace = withBug.trace;
    const last = trace[trace.length - 1];
    expect([last?.trueUs, last?.node, last?.kind, last?.fields.invariant]).toEqual([17_690_531, 'n5', 'violation', 'committed-retained']);
    // Only the two crashes came before it (no restart, no partition yet).
    expect(trace.filter((r) => r.kind === 'crash' || r.kind === 'start').filter((r) => r.trueUs > 0).map((r) => [r.kind, r.node, r.trueUs])).toEqual([
      ['crash', 'n4', 17_611_520],
      ['crash', 'n2', 17_611_524],
    ]);
    // 1986 commits only after both crashes, on n2's held-up acknowledgement; n1 then compacts at 1986.
    const commit1986 = commitOnN1(trace, 1986);
    expect([commit1986.note?.trueUs, commit1986.note?.fields.from, commit1986.note?.fields.to]).toEqual([17_651_994, 1985, 1986]);
    expect([commit1986.cause?.kind, commit1986.cause?.fields.from, commit1986.cause?.fields.type]).toEqual(['deliver', 'n2', 'appendResponse']);
    const compaction = trace.find((r) => r.node === 'n1' && r.kind === 'note' && r.fields.event === 'snapshotTaken' && r.trueUs > 17_611_524);
    expect([compaction?.trueUs, compaction?.fields.lastIndex]).toEqual([17_652_785, 1986]);
    // Then the snapshot is sent to n5, and 1987 commits on n5's acknowledgement, n2 and n4 being down.
    const snapshotSent = trace.find((r) => r.node === 'n1' && r.kind === 'send' && r.fields.type === 'installSnapshot' && r.fields.to === 'n5' && r.trueUs > 17_652_785);
    expect(snapshotSent?.trueUs).toBe(17_658_223);
    const commit1987 = commitOnN1(trace, 1987);
    expect([commit1987.note?.trueUs, commit1987.note?.fields.from, commit1987.note?.fields.to]).toEqual([17_689_690, 1986, 1988]);
    expect([commit1987.cause?.kind, commit1987.cause?.fields.from, commit1987.cause?.fields.type]).toEqual(['deliver', 'n5', 'appendResponse']);
    // n5 drops 1987 at the step it is handed the snapshot.
    const atDrop = trace.filter((r) => r.trueUs === 17_690_531 && r.node === 'n5').map((r) => [r.kind, r.fields.type ?? r.fields.event ?? r.fields.invariant]);
    expect(atDrop[0]).toEqual(['deliver', 'installSnapshot']);

    const without = run(null).header.verdicts;
    expect(without.map((v) => [v.check, v.verdict]).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
  }, 60_000);
});
