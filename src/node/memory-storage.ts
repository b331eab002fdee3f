// A perfect storage for tests about Raft alone (as etcd's MemoryStorage): every persist is durable
// the moment it is given, and the durable state lives in a box that outlives the process, so a
// restart recovers exactly what was persisted. It never touches a disk and never fails.

import { assert } from '../util/assert';
import type { DurableState, LogEntry } from '../raft/types';
import type { PersistEffect, StorageOutput } from '../storage/storage';
import type { StoragePort } from './storage-port';

/** The durable state of one node, kept by the test across its restarts. */
export interface MemoryDisk {
  state: DurableState;
  /** The node's Raft id, once written (absent: none). */
  identity?: string;
}

export function emptyMemoryDisk(): MemoryDisk {
  return { state: { term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [] } };
}

export class MemoryStorage implements StoragePort {
  constructor(private readonly disk: MemoryDisk) {}

  start(): StorageOutput {
    return { ...NOTHING, recovered: this.disk.state, identity: this.disk.identity ?? null };
  }

  writeIdentity(raftId: string): StorageOutput {
    assert(this.disk.identity === undefined, 'memory storage: an identity is written once');
    this.disk.identity = raftId;
    return { ...NOTHING, identityWritten: raftId };
  }

  persist(effect: PersistEffect): StorageOutput {
    const s = this.disk.state;
    switch (effect.kind) {
      case 'persistState':
        this.disk.state = { ...s, term: effect.term, votedFor: effect.votedFor, commitIndex: effect.commitIndex };
        break;
      case 'appendLog': {
        let entries: LogEntry[] = s.entries.slice();
        if (effect.truncateFrom !== null) entries = entries.filter((e) => e.index < (effect.truncateFrom as number));
        for (const e of effect.entries) {
          const last = entries.at(-1)?.index ?? s.snapshot?.meta.lastIndex ?? 0;
          assert(e.index === last + 1, `memory storage: entry ${e.index} does not follow ${last}`);
          entries.push(e);
        }
        this.disk.state = { ...s, entries };
        break;
      }
      case 'saveSnapshot': {
        const keep = effect.retainLog ? s.entries.filter((e) => e.index > effect.meta.lastIndex) : [];
        this.disk.state = { ...s, snapshot: { meta: effect.meta, data: effect.data }, entries: keep };
        break;
      }
    }
    return { ...NOTHING, persisted: [effect.syncId] };
  }

  diskDone(): StorageOutput {
    assert(false, 'memory storage issues no disk operations');
  }
}

const NOTHING: StorageOutput = { disk: [], persisted: [], failed: [], recovered: null, identity: null, identityWritten: null, failClosed: null, restart: null, notes: [] };
