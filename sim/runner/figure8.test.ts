// Raft's Figure 8 (§5.4.2) by hand, on the cache cluster: a fault schedule of four lines that
// drives the paper's sequence, so that the planted figure8-commit bug loses a committed entry
// (caught online by the invariant monitor) while the correct commit rule, which never counts
// replicas of an earlier term, loses nothing. The leader-churn scenario draws such chains from
// the seed; this one is fixed, and its trace is read back step by step.

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/registry';
import { runSystem } from '../cli/run-seed';
import type { FaultSchedule } from '../nemesis/schedule';
import type { TraceRecord } from '../trace/trace';

const FIGURE_8: FaultSchedule = [
  // (a) the leader, with the follower before it, is cut off: what it appends reaches that follower only.
  { atUs: 2_000_000, fault: { kind: 'isolate-leader', followers: 1 } },
  // (b) its successor, elected by the others, is cut off with a follower as soon as it takes a write.
  { atUs: 2_000_000, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'append', afterUs: 0, withinUs: 4_000_000, followers: 1 } },
  // (c) the first side is back among a majority, elects one of its own and brings the others in line;
  // (d) that leader is cut off in turn at its first write, and the successor's side elects again.
  { atUs: 2_000_000, fault: { kind: 'isolate-next-leader', nth: 2, trigger: 'append', afterUs: 0, withinUs: 4_000_000, followers: 1 } },
  { atUs: 6_000_000, fault: { kind: 'heal' } },
];

function run(bug: string | null) {
  const scenario = findScenario('leader-churn');
  if (scenario === undefined) throw new Error('leader-churn is not registered');
  return runSystem('cache', { seed: 3, scenario, nodes: 5, durationUs: 20_000_000, schedule: FIGURE_8 }, bug);
}

/** What the nemesis did and who led, in order: the Figure 8 story as the trace tells it. */
function story(trace: readonly TraceRecord[]): string[] {
  const out: string[] = [];
  for (const r of trace) {
    if (r.kind === 'partition') out.push(`cut ${r.fields.groups}`);
    else if (r.kind === 'note' && r.fields.event === 'leaderElected') out.push(`${r.node} leads term ${r.fields.term}`);
    else if (r.kind === 'violation') out.push(`violation ${r.fields.invariant}`);
  }
  return out;
}

describe('Figure 8 by hand (leader-churn faults, seed 3)', () => {
  it('with figure8-commit, the entry counted onto a majority in (c) is lost in (d): leader completeness fails', () => {
    const { header, trace } = run('figure8-commit');
    const raft = header.verdicts.find((v) => v.check === 'raft-invariants');
    expect(raft?.verdict).toBe('fail');
    expect(raft?.summary).toMatch(/^leader-completeness at step \d+ \(4\.500 s\): step \d+: leader n5 of term 4 lacks entry 215 \(term 1\) committed on n2$/);
    expect(story(trace)).toEqual([
      'n2 leads term 1',
      'cut n1 n2 | n3 n4 n5', // (a) n2 leads, cut off with n1
      'n5 leads term 2',
      'cut n1 n2 n3 | n4 n5', // (b) n5 took a write: cut off with n4
      'n2 leads term 3', // (c) n2 again, and it counts its term-1 entry onto n1 n2 n3
      'cut n1 n2 | n3 n4 n5', // (d) n2 took a write: cut off with n1
      'n5 leads term 4', // elected with n3's vote, its log lacking the entry n2 committed
      'violation leader-completeness',
    ]);
  }, 60_000);

  it('with the correct commit rule, the same faults lose nothing: every check passes', () => {
    const { header } = run(null);
    expect(header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check}: ${v.summary}`)).toEqual([]);
  }, 60_000);
});
