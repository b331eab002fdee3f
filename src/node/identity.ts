// Who a node is to Raft, as distinct from where it runs. A process (the network's address, e.g.
// n3) runs one Raft member at a time. The initial voters of a fresh cluster, and spares provisioned
// with a name, take the process's name as their Raft id and record it in the identity file before
// any Raft state (bootstrap). A node that later finds its disk empty (wiped) is NOT its old self:
// its old self may have voted in terms it no longer remembers. It takes a new Raft id, n3#<nonce>,
// records it, and asks the leader to add it as a learner (the leader removes every other identity
// of the same process at once), then to promote it once it has caught up. Until it is a voter in
// its own configuration it never campaigns or counts in a quorum, as any learner.
//
// Routing: a Raft id names its process before the '#'. A message between members whose ids are
// their process names travels plain; any other carries an envelope naming both members, and a
// receiver drops a message meant for another identity of its process (an old self's traffic).

import type { NodeId } from '../host/contract';
import type { Configuration, RaftMessage } from '../raft/types';
import type { Random } from '../util/random';
import { assert } from '../util/assert';

export const IDENTITY_SEPARATOR = '#';

/** Messages between replicas beyond Raft's own. */
export type IdentityMessage =
  /** A Raft message between members of which at least one is not named after its process. */
  | { readonly type: 'replica.as'; readonly from: NodeId; readonly to: NodeId; readonly message: RaftMessage }
  /** A member with a new identity asks to be added (as a learner), then promoted. */
  | { readonly type: 'replica.join'; readonly id: NodeId };

export type ReplicaMessage = RaftMessage | IdentityMessage;

/** The process a Raft id runs on. */
export function processOf(raftId: NodeId): NodeId {
  const at = raftId.indexOf(IDENTITY_SEPARATOR);
  return at < 0 ? raftId : raftId.slice(0, at);
}

/** A new identity for a process whose disk was wiped: unique with overwhelming probability. */
export function freshIdentity(process: NodeId, random: Random): NodeId {
  assert(!process.includes(IDENTITY_SEPARATOR), `a process name has no '${IDENTITY_SEPARATOR}': ${process}`);
  const nonce = random.int(36 ** 6).toString(36).padStart(6, '0');
  return `${process}${IDENTITY_SEPARATOR}${nonce}`;
}

/**
 * The membership change a leader makes for a joiner, or null when there is none to make: not
 * known yet -> a learner, with every other identity of its process removed (voter or learner);
 * a learner -> a voter (Raft refuses until it has caught up; the joiner asks again).
 */
export function joinChange(config: Configuration, joiner: NodeId): { voters: NodeId[]; learners: NodeId[] } | null {
  if (config.voters.includes(joiner)) return null;
  const sameProcess = (id: NodeId): boolean => id !== joiner && processOf(id) === processOf(joiner);
  const voters = config.voters.filter((v) => !sameProcess(v));
  const learners = config.learners.filter((l) => !sameProcess(l) && l !== joiner);
  if (config.learners.includes(joiner) && voters.length === config.voters.length) return { voters: [...voters, joiner].sort(), learners };
  if (voters.length === 0) return null; // never remove the last voter
  return { voters, learners: [...learners, joiner].sort() };
}
