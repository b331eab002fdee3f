// The replica's identity, input by input: who it is after a start on each kind of disk, and the
// effects that show it (MemoryStorage keeps the disk across restarts).

import { describe, expect, it } from 'vitest';
import { defaultRaftConfig } from '../raft/config';
import { seededRandom } from '../membership/testing/random';
import { emptyMemoryDisk, MemoryStorage, type MemoryDisk } from './memory-storage';
import { Replica, type IdentityMode, type ReplicaEffect } from './replica';
import { ChainStateMachine } from './state-machine';

const config = defaultRaftConfig(['n1', 'n2', 'n3']);

function start(disk: MemoryDisk, identity: IdentityMode): { replica: Replica; effects: ReplicaEffect[] } {
  const replica = new Replica('n3', config, new MemoryStorage(disk), new ChainStateMachine(), seededRandom(7), identity);
  return { replica, effects: replica.step({ kind: 'start', nowUs: 0 }) };
}

const joins = (effects: readonly ReplicaEffect[]) => effects.filter((e) => e.kind === 'send' && (e.message as { type: string }).type === 'replica.join').map((e) => (e.kind === 'send' ? e.to : ''));

describe('replica identity', () => {
  it('bootstrapping on an empty disk: it records its process name and is that member; no join', () => {
    const disk = emptyMemoryDisk();
    const { replica, effects } = start(disk, { bootstrap: true });
    expect(disk.identity).toBe('n3');
    expect(replica.memberId).toBe('n3');
    expect(joins(effects)).toEqual([]);
  });

  it('an empty disk without bootstrap: a new identity, recorded before the core starts, asking the others to add it; never a vote request as n3', () => {
    const disk = emptyMemoryDisk();
    const { replica, effects } = start(disk, { bootstrap: false });
    expect(replica.memberId).toMatch(/^n3#[0-9a-z]{6}$/);
    expect(disk.identity).toBe(replica.memberId);
    expect(joins(effects)).toEqual(['n1', 'n2']);
    expect(effects.find((e) => e.kind === 'setTimer' && e.name === 'replica.join')).toBeDefined();
    // Restarted before it was added: the identity file says who it is, and it keeps asking.
    const again = start(disk, { bootstrap: false });
    expect(again.replica.memberId).toBe(replica.memberId);
    expect(joins(again.effects)).toEqual(['n1', 'n2']);
    // A message for the old n3 (plain) is not for this member: ignored, nothing is answered.
    const requestVote = { type: 'requestVote', term: 5, lastIndex: 0, lastTerm: 0, preVote: false, transfer: true } as const;
    const vote = again.replica.step({ kind: 'message', from: 'n1', message: requestVote, nowUs: 10 });
    expect(vote.filter((e) => e.kind === 'send')).toEqual([]);
    // ...where the old self (a replica that is n3) answers it.
    const legacy = start(emptyMemoryDisk(), null).replica;
    const answered = legacy.step({ kind: 'message', from: 'n1', message: requestVote, nowUs: 10 });
    expect(answered.filter((e) => e.kind === 'send').map((e) => (e.kind === 'send' ? (e.message as { type: string }).type : ''))).toEqual(['voteResponse']);
  });

  it('a disk with Raft state but no identity file (written before identity files) is its process name', () => {
    const disk = emptyMemoryDisk();
    disk.state = { ...disk.state, term: 3, votedFor: 'n1' };
    const { replica, effects } = start(disk, { bootstrap: false });
    expect(replica.memberId).toBe('n3');
    expect(disk.identity).toBeUndefined();
    expect(joins(effects)).toEqual([]);
  });
});
