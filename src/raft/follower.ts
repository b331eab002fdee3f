// The follower's side of replication: the AppendEntries consistency check with the fast back-off
// hint (§5.3), heartbeats, and InstallSnapshot in chunks (§7). Acknowledgements wait for the log
// writes they vouch for. This module must never truncate a committed entry nor acknowledge an
// index its log does not match.

import { assert } from '../util/assert';
import type { RaftNode } from './node';
import type { AppendEntries, Heartbeat, InstallSnapshotChunk, LogEntry, NodeId, SnapshotMeta } from './types';

/** Called for a message of the current term from the leader: follow it and reset the election timer. */
function followLeader(n: RaftNode, from: NodeId): boolean {
  if (n.role === 'leader') return false; // two leaders in one term: only a planted bug or lost disk can do this
  if (n.role !== 'follower' || n.leaderId !== from) {
    n.becomeFollower(n.term, from, 'leader-discovered');
  } else {
    n.resetElectionTimer();
  }
  n.lastLeaderContactUs = n.leaseClockUs;
  return true;
}

/** The answer to an AppendEntries (a function of the module, not a closure made per message). */
function reply(n: RaftNode, from: NodeId, m: AppendEntries, success: boolean, matchIndex: number, conflictTerm: number, conflictIndex: number): void {
  const gate = success ? (n.config.bugs.ackAppendBeforeDurable ? 'immediate' : 'log') : 'term';
  n.send(from, { type: 'appendResponse', term: n.term, success, matchIndex, rejectedIndex: success ? 0 : m.prevIndex, conflictTerm, conflictIndex, round: m.round }, gate);
}

export function onAppendEntries(n: RaftNode, from: NodeId, m: AppendEntries): void {
  if (!followLeader(n, from)) return;

  // Everything up to our commit index already matches the leader (Leader Completeness).
  if (m.prevIndex < n.commitIndex) {
    reply(n, from, m, true, n.commitIndex, 0, 0);
    return;
  }
  const ourTerm = n.log.termAt(m.prevIndex);
  if (ourTerm !== m.prevTerm) {
    if (ourTerm === undefined) {
      reply(n, from, m, false, 0, 0, n.log.lastIndex() + 1);
    } else {
      reply(n, from, m, false, 0, ourTerm, n.log.firstIndexOfTermRun(m.prevIndex));
    }
    return;
  }
  // §5.3: delete a conflicting suffix, append what is new, keep what already matches.
  let truncateFrom: number | null = null;
  const fresh: LogEntry[] = [];
  for (const e of m.entries) {
    if (truncateFrom === null && fresh.length === 0) {
      const t = n.log.termAt(e.index);
      if (t === e.term) continue;
      if (t !== undefined) truncateFrom = e.index;
    }
    fresh.push(e);
  }
  if (truncateFrom !== null || fresh.length > 0) n.writeLog(truncateFrom, fresh);
  const lastNew = m.prevIndex + m.entries.length;
  advanceCommit(n, Math.min(m.commitIndex, lastNew));
  reply(n, from, m, true, lastNew, 0, 0);
}

export function onHeartbeat(n: RaftNode, from: NodeId, m: Heartbeat): void {
  if (!followLeader(n, from)) return;
  // The leader sends min(commit, our match), so everything up to it matches its log.
  advanceCommit(n, Math.min(m.commitIndex, n.log.lastIndex()));
  n.send(from, { type: 'heartbeatResponse', term: n.term, round: m.round }, 'term');
}

function advanceCommit(n: RaftNode, to: number): void {
  if (to <= n.commitIndex) return;
  n.event({ type: 'commitAdvanced', from: n.commitIndex, to });
  n.commitIndex = to;
  n.markHardState(false);
}

export function onInstallSnapshot(n: RaftNode, from: NodeId, m: InstallSnapshotChunk): void {
  if (!followLeader(n, from)) return;
  const reply = (nextOffset: number, done: boolean, matchIndex: number): void => {
    n.send(from, { type: 'installSnapshotResponse', term: n.term, snapshotIndex: m.meta.lastIndex, nextOffset, done, matchIndex, round: m.round }, done ? 'log' : 'term');
  };
  // One install at a time: the leader retries after this one is durable.
  if (n.pendingInstall !== null) return;
  if (m.meta.lastIndex <= n.commitIndex) {
    // We already have everything it holds.
    reply(0, true, m.meta.lastIndex);
    return;
  }
  const cur = n.incoming;
  const same = cur !== null && cur.term === m.term && cur.meta.lastIndex === m.meta.lastIndex && cur.meta.lastTerm === m.meta.lastTerm;
  if (m.offset === 0) {
    n.incoming = { meta: m.meta, term: m.term, parts: [], sizeBytes: 0 };
  } else if (!same || cur.sizeBytes !== m.offset) {
    reply(same ? cur.sizeBytes : 0, false, 0);
    return;
  }
  const buf = n.incoming;
  assert(buf !== null, 'follower: snapshot buffer exists');
  buf.parts.push(m.data);
  buf.sizeBytes += m.data.length;
  if (!m.done) {
    reply(buf.sizeBytes, false, 0);
    return;
  }
  n.incoming = null;
  const data = concat(buf.parts, buf.sizeBytes);
  install(n, from, m.meta, data);
  reply(buf.sizeBytes, true, m.meta.lastIndex);
}

/** §7: keep the log suffix if it matches the snapshot's last entry, else discard the whole log. */
function install(n: RaftNode, from: NodeId, meta: SnapshotMeta, data: Uint8Array): void {
  assert(meta.lastIndex > n.commitIndex, 'follower: install only what is new');
  const matches = n.log.termAt(meta.lastIndex) === meta.lastTerm;
  const retain = matches && !n.config.bugs.installSnapshotDiscardsNewerEntries;
  if (retain) n.log.compactTo(meta.lastIndex, meta.lastTerm, meta.config);
  else n.log.resetTo(meta.lastIndex, meta.lastTerm, meta.config);
  n.event({ type: 'commitAdvanced', from: n.commitIndex, to: meta.lastIndex });
  n.commitIndex = meta.lastIndex;
  n.markHardState(false);
  const syncId = n.saveSnapshot(meta, data, retain);
  n.pendingInstall = { syncId, meta, data, from };
  // Kept at once, not on completion: should we lead before the save completes, a follower
  // behind our (new) compacted prefix is sent this image, which is committed data either way.
  n.snapshot = { meta, data };
  n.refreshConfig();
}

/** The snapshot is durable: hand it to the state machine. */
export function completeInstall(n: RaftNode): void {
  const p = n.pendingInstall;
  assert(p !== null, 'follower: an install is pending');
  n.pendingInstall = null;
  assert(n.appliedIndex <= p.meta.lastIndex, 'follower: installed snapshot is ahead of applied');
  n.emit({ kind: 'installSnapshot', meta: p.meta, data: p.data });
  n.appliedIndex = p.meta.lastIndex;
  n.durableCommitIndex = Math.max(n.durableCommitIndex, p.meta.lastIndex);
  n.event({ type: 'snapshotInstalled', lastIndex: p.meta.lastIndex, lastTerm: p.meta.lastTerm, from: p.from });
}

function concat(parts: readonly Uint8Array[], sizeBytes: number): Uint8Array {
  const out = new Uint8Array(sizeBytes);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  assert(at === sizeBytes, 'follower: snapshot size adds up');
  return out;
}
