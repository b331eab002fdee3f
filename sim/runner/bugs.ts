// Planted bugs: known real-world defects that can be switched on in the node (`--bug NAME`), so
// that the workbench shows it catches them. Each names the switch it turns on and the scenarios
// that have been measured to catch it (a check fails within 200 seeds); a bug with no such
// scenario yet says so instead of claiming one.

import type { RaftBugs } from '../../src/raft/config';
import type { ClientConfig } from '../../src/client/client';
import type { StorageConfig } from '../../src/storage/config';

export interface PlantedBug {
  readonly name: string;
  readonly description: string;
  readonly raft: Partial<RaftBugs>;
  /** Switches in the cache client (cache system only). */
  readonly client?: Partial<Pick<ClientConfig, 'retryWithoutDedup'>>;
  /** Switches in the storage engine (cache system only). */
  readonly storage?: Partial<Pick<StorageConfig, 'skipPayloadChecksum'>>;
  /** Scenarios measured to catch it; empty until measured. */
  readonly caughtBy: readonly string[];
}

export const PLANTED_BUGS: readonly PlantedBug[] = [
  {
    name: 'figure8-commit',
    description: 'a leader commits an entry of an earlier term by counting replicas, and appends no no-op at the start of its term (Raft §5.4.2, Figure 8)',
    raft: { commitPriorTermByCounting: true },
    caughtBy: ['leader-churn'],
  },
  {
    name: 'vote-before-durable',
    description: 'a vote is granted before it is durable, so a crash lets the node vote twice in one term',
    raft: { voteBeforeDurable: true },
    caughtBy: ['election-blackout', 'power-loss'],
  },
  {
    name: 'lease-without-drift-margin',
    description: 'the leader lease lasts the whole minimum election timeout, with no margin for clock drift',
    raft: { leaseWithoutDriftMargin: true },
    caughtBy: ['lease-drift'],
  },
  {
    name: 'read-without-leadership-check',
    description: 'a leader serves reads at once, without a lease or a ReadIndex round, even after it was deposed',
    raft: { readWithoutLeadershipCheck: true },
    caughtBy: ['stale-leader'],
  },
  {
    name: 'ack-append-before-durable',
    description: 'a follower acknowledges entries before they are fsync\'d, so a crash can lose committed writes',
    raft: { ackAppendBeforeDurable: true },
    caughtBy: ['power-loss', 'election-blackout'],
  },
  {
    name: 'install-snapshot-discards-newer',
    description: 'installing a snapshot discards log entries newer than the snapshot even when they match it (Raft §7)',
    raft: { installSnapshotDiscardsNewerEntries: true },
    caughtBy: ['snapshot-lag'],
  },
  {
    name: 'lease-on-wall-clock',
    description: 'the lease (and the vote refusal behind it) is timed on the wall clock, so a backward clock step lengthens it in true time',
    raft: { leaseOnWallClock: true },
    caughtBy: ['leader-clock-step', 'clock-skew'],
  },
  {
    name: 'retry-without-dedup',
    description: 'the client sends each retry of a write under a new serial, so the session cannot recognise it and applies it twice',
    raft: {},
    client: { retryWithoutDedup: true },
    caughtBy: ['message-loss', 'partition'],
  },
  {
    name: 'wal-skips-payload-checksum',
    description: 'WAL recovery checks only frame headers, so a torn or corrupt record whose header survived is replayed as valid',
    raft: {},
    storage: { skipPayloadChecksum: true },
    caughtBy: ['bit-rot', 'disk'],
  },
];

export function findBug(name: string): PlantedBug | undefined {
  return PLANTED_BUGS.find((b) => b.name === name);
}
