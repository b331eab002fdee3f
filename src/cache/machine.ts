// The cache as a replicated state machine: decodes each committed write, applies it exactly once
// per client session and serial, answers reads from the current state, and snapshots and restores
// all of it (data, sessions and clock). Every replica that applies the same log ends in the same
// state and returns the same results.

import type { LogEntry } from '../raft/types';
import type { ReplicatedStateMachine } from '../node/state-machine';
import { BinaryReader, BinaryWriter, DecodeError } from './binary';
import { decodeEnvelope, encodeResult } from './codec';
import type { CacheResult, ReadQuery } from './commands';
import { SessionTable, type SessionLimits, DEFAULT_SESSION_LIMITS } from './sessions';
import { CacheStore, DEFAULT_STORE_LIMITS, type StoreLimits } from './store';

const SNAPSHOT_VERSION = 1;

export class CacheStateMachine implements ReplicatedStateMachine {
  private store: CacheStore;
  private sessions: SessionTable;
  /** The state machine's time: the largest leader stamp applied so far. */
  private nowUs = 0;
  /** Writes applied, not counting duplicates (for tests and the durability check). */
  appliedWrites = 0;

  constructor(
    private readonly storeLimits: StoreLimits = DEFAULT_STORE_LIMITS,
    private readonly sessionLimits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {
    this.store = new CacheStore(storeLimits);
    this.sessions = new SessionTable(sessionLimits);
  }

  apply(entry: LogEntry): Uint8Array {
    let envelope;
    try {
      envelope = decodeEnvelope(entry.data);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return encodeResult({ kind: 'error', code: 'BAD_COMMAND', message: e.message });
    }
    if (envelope.stampUs > this.nowUs) {
      this.nowUs = envelope.stampUs;
      this.sessions.expire(this.nowUs);
    }
    const seen = this.sessions.check(envelope.sessionId, envelope.serial);
    switch (seen.kind) {
      case 'duplicate':
        return seen.result;
      case 'stale':
        return encodeResult({ kind: 'error', code: 'STALE_SERIAL', message: `serial ${envelope.serial} is older than the session's last` });
      case 'expired':
        return encodeResult({ kind: 'error', code: 'SESSION_EXPIRED', message: `session ${envelope.sessionId} expired` });
      case 'new': {
        const result = encodeResult(this.store.write(envelope.command));
        this.appliedWrites++;
        this.sessions.record(envelope.sessionId, envelope.serial, result, this.nowUs);
        return result;
      }
    }
  }

  read(query: ReadQuery): CacheResult {
    return this.store.read(query);
  }

  snapshot(): Uint8Array {
    const w = new BinaryWriter().byte(SNAPSHOT_VERSION).uvarint(this.nowUs).uvarint(this.appliedWrites);
    this.store.encode(w);
    this.sessions.encode(w);
    return w.finish();
  }

  restore(image: Uint8Array): void {
    const r = new BinaryReader(image);
    const version = r.byte();
    if (version !== SNAPSHOT_VERSION) throw new DecodeError(`unknown cache snapshot version ${version}`);
    const store = new CacheStore(this.storeLimits);
    const sessions = new SessionTable(this.sessionLimits);
    const nowUs = r.uvarint();
    const appliedWrites = r.uvarint();
    store.decode(r);
    sessions.decode(r);
    r.end();
    this.store = store;
    this.sessions = sessions;
    this.nowUs = nowUs;
    this.appliedWrites = appliedWrites;
  }
}
