// A voter whose disk is wiped rejoins as a new member, never as its old self: on restart it finds
// no identity and no Raft state, takes a new Raft id, sends nothing as its old id (no vote, no
// campaign: every Raft message it sends names its new identity), is added as a learner while its
// old identity is removed, then promoted; the invariant monitor treats it as a new node, and the
// history stays linearizable.

import { describe, expect, it } from 'vitest';
import { cacheSystem } from './cache-system';
import { runScenario } from './run';
import { findScenario } from '../../scenarios/registry';
import type { FaultSchedule } from '../nemesis/schedule';
import type { TraceRecord } from '../trace/trace';

const wipeN3: FaultSchedule = [
  { atUs: 3_000_000, fault: { kind: 'crash', node: 'n3' } },
  { atUs: 3_100_000, fault: { kind: 'wipe-disk', node: 'n3' } },
  { atUs: 4_000_000, fault: { kind: 'start', node: 'n3' } },
];
/** The Raft message types (a member's own traffic travels plain only between members named after their processes). */
const RAFT_TYPES = new Set(['requestVote', 'voteResponse', 'appendEntries', 'appendResponse', 'heartbeat', 'heartbeatResponse', 'installSnapshot', 'snapshotResponse', 'timeoutNow']);

const note = (trace: readonly TraceRecord[], event: string) => trace.filter((r) => r.kind === 'note' && r.fields.event === event);

describe('a node whose disk was wiped', () => {
  it('rejoins under a new identity through membership changes: added as a learner with the old one removed, promoted; never acts as its old self', () => {
    const outcome = runScenario(cacheSystem(), { seed: 1, scenario: findScenario('disk')!, nodes: 5, durationUs: 12_000_000, schedule: wipeN3 });
    expect(outcome.header.verdicts.filter((v) => v.verdict !== 'pass')).toEqual([]);
    const chosen = note(outcome.trace, 'identityChosen').filter((r) => r.node === 'n3');
    expect(chosen.map((r) => r.fields.reason)).toEqual(['bootstrap', 'empty disk, not bootstrapping: a new member']);
    const newId = chosen[1]!.fields.raftId as string;
    expect(newId).toMatch(/^n3#[0-9a-z]{6}$/);
    // After the restart, process n3 never sends a plain Raft message (that would speak as n3).
    const plain = outcome.trace.filter((r) => r.kind === 'send' && r.node === 'n3' && r.trueUs >= 4_000_000 && RAFT_TYPES.has(String(r.fields.type)));
    expect(plain).toEqual([]);
    expect(outcome.trace.some((r) => r.kind === 'send' && r.node === 'n3' && r.trueUs >= 4_000_000 && r.fields.type === 'replica.as')).toBe(true);
    // Added as a learner with n3 removed, then promoted.
    const changes = note(outcome.trace, 'joinChange').map((r) => [r.fields.voters, r.fields.learners]);
    expect(changes).toEqual([
      ['n1 n2 n4 n5', newId],
      [`n1 n2 ${newId} n4 n5`, ''],
    ]);
    expect(note(outcome.trace, 'joinChangeOutcome').map((r) => r.fields.outcome)).toEqual(['committed', 'committed']);
    expect(note(outcome.trace, 'joined').map((r) => [r.node, r.fields.raftId])).toEqual([['n3', newId]]);
    const final = note(outcome.trace, 'configChanged').filter((r) => r.node === 'n1').at(-1)!;
    expect([final.fields.voters, final.fields.votersOld]).toEqual([`n1 n2 ${newId} n4 n5`, null]);
  });

  it('the check above can fail: with identities switched off the wiped node comes back speaking as n3 with an empty disk', () => {
    const outcome = runScenario(cacheSystem({ legacyIdentity: true }), { seed: 1, scenario: findScenario('disk')!, nodes: 5, durationUs: 6_000_000, schedule: wipeN3 });
    const plain = outcome.trace.filter((r) => r.kind === 'send' && r.node === 'n3' && r.trueUs >= 4_000_000 && RAFT_TYPES.has(String(r.fields.type)));
    expect(plain.length).toBeGreaterThan(0);
    expect(note(outcome.trace, 'joinChange')).toEqual([]);
  });
});
