// Renders Raft messages and cluster state as short text lines, so a test can read like etcd's
// interaction transcripts: the exact messages a step produced, one per line. Test-only; it must
// never be used to make a protocol decision.

import type { RaftMessage } from '../types';
import type { Envelope, TestCluster } from './network';

export function describeMessage(m: RaftMessage): string {
  switch (m.type) {
    case 'requestVote':
      return `${m.preVote ? 'PreVote' : 'Vote'} term=${m.term} last=${m.lastIndex}/${m.lastTerm}${m.transfer ? ' transfer' : ''}`;
    case 'voteResponse':
      return `${m.preVote ? 'PreVoteResp' : 'VoteResp'} term=${m.term} ${m.granted ? 'granted' : 'rejected'}`;
    case 'appendEntries':
      return `App term=${m.term} prev=${m.prevIndex}/${m.prevTerm} entries=[${m.entries.map((e) => `${e.index}/${e.term}${e.kind === 'command' ? '' : ` ${e.kind}`}`).join(' ')}] commit=${m.commitIndex} round=${m.round}`;
    case 'appendResponse':
      return m.success
        ? `AppResp term=${m.term} match=${m.matchIndex} round=${m.round}`
        : `AppResp term=${m.term} reject=${m.rejectedIndex} hint=${m.conflictIndex}/${m.conflictTerm} round=${m.round}`;
    case 'heartbeat':
      return `Heartbeat term=${m.term} commit=${m.commitIndex} round=${m.round}`;
    case 'heartbeatResponse':
      return `HeartbeatResp term=${m.term} round=${m.round}`;
    case 'installSnapshot':
      return `Snap term=${m.term} last=${m.meta.lastIndex}/${m.meta.lastTerm} offset=${m.offset} bytes=${m.data.length}${m.done ? ' done' : ''}`;
    case 'installSnapshotResponse':
      return `SnapResp term=${m.term} last=${m.snapshotIndex} next=${m.nextOffset}${m.done ? ` done match=${m.matchIndex}` : ''}`;
    case 'timeoutNow':
      return `TimeoutNow term=${m.term}`;
  }
}

export function describeEnvelope(e: Envelope): string {
  return `${e.from}->${e.to} ${describeMessage(e.message)}`;
}

/** Delivers everything, one message at a time in FIFO order, and returns one line per delivery. */
export function deliverAllTranscript(c: TestCluster, deliveriesMax = 1_000): string[] {
  const lines: string[] = [];
  for (let i = 0; i < deliveriesMax; i++) {
    const e = c.deliver();
    if (e === null) break;
    lines.push(describeEnvelope(e));
  }
  return lines;
}

/** One line per node: role, term, commit index and log terms. */
export function describeState(c: TestCluster): string[] {
  return [...c.nodes.values()].map((n) => {
    const v = n.core.inspect();
    return `${n.id} ${v.role} term=${v.term} commit=${v.commitIndex} applied=${v.appliedIndex} log=[${v.log.map((e) => e.term).join(' ')}]`;
  });
}
