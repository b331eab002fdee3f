// Client sessions: the state machine remembers, per session, the serial and result of the last
// write it applied, so a client that retries a write (same session, same serial) gets the first
// result back instead of applying it twice. Sessions expire by the state machine's own notion of
// time (the leaders' stamps in the log, so every replica expires the same sessions at the same
// entry), the table is bounded, and it travels in snapshots.

import { assert } from '../util/assert';
import { BinaryReader, BinaryWriter } from './binary';

export interface SessionLimits {
  readonly sessionsMax: number;
  /** A session idle this long (in state-machine time) is forgotten. */
  readonly sessionTtlUs: number;
  /** How many expired session ids are remembered, so their late retries fail instead of applying twice. */
  readonly expiredRememberedMax: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { sessionsMax: 10_000, sessionTtlUs: 60_000_000, expiredRememberedMax: 10_000 };

export type SessionCheck = { readonly kind: 'new' } | { readonly kind: 'duplicate'; readonly result: Uint8Array } | { readonly kind: 'stale' } | { readonly kind: 'expired' };

interface Session {
  serial: number;
  result: Uint8Array;
  lastUs: number;
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  /** Expired ids in expiry order (a bounded FIFO). */
  private readonly expired = new Set<string>();

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  get size(): number {
    return this.sessions.size;
  }

  /** What to do with a write of this session and serial. */
  check(sessionId: string, serial: number): SessionCheck {
    const s = this.sessions.get(sessionId);
    if (s === undefined) return this.expired.has(sessionId) ? { kind: 'expired' } : { kind: 'new' };
    if (serial === s.serial) return { kind: 'duplicate', result: s.result };
    if (serial < s.serial) return { kind: 'stale' };
    return { kind: 'new' };
  }

  record(sessionId: string, serial: number, result: Uint8Array, nowUs: number): void {
    const s = this.sessions.get(sessionId);
    if (s !== undefined) {
      assert(serial > s.serial, 'session serials only grow');
      s.serial = serial;
      s.result = result;
      s.lastUs = nowUs;
      return;
    }
    if (this.sessions.size >= this.limits.sessionsMax) this.evictIdlest();
    this.sessions.set(sessionId, { serial, result, lastUs: nowUs });
  }

  /** Forgets every session idle past the TTL at state-machine time nowUs. */
  expire(nowUs: number): void {
    for (const [id, s] of this.sessions) if (nowUs - s.lastUs > this.limits.sessionTtlUs) this.forget(id);
  }

  encode(w: BinaryWriter): void {
    const ids = [...this.sessions.keys()].sort();
    w.uvarint(ids.length);
    for (const id of ids) {
      const s = this.sessions.get(id) as Session;
      w.string(id).uvarint(s.serial).uvarint(s.lastUs).bytes(s.result);
    }
    // The expired ids keep their order: it decides which one is forgotten next.
    w.uvarint(this.expired.size);
    for (const id of this.expired) w.string(id);
  }

  decode(r: BinaryReader): void {
    this.sessions.clear();
    this.expired.clear();
    for (let n = r.uvarint(); n > 0; n--) {
      const id = r.string();
      const serial = r.uvarint();
      const lastUs = r.uvarint();
      this.sessions.set(id, { serial, lastUs, result: r.bytes().slice() });
    }
    for (let n = r.uvarint(); n > 0; n--) this.expired.add(r.string());
  }

  private evictIdlest(): void {
    let victim: string | null = null;
    let oldest = Number.POSITIVE_INFINITY;
    // Ties go to the smallest id, so every replica evicts the same one.
    for (const [id, s] of this.sessions) {
      if (s.lastUs < oldest || (s.lastUs === oldest && victim !== null && id < victim)) {
        oldest = s.lastUs;
        victim = id;
      }
    }
    assert(victim !== null, 'evict from an empty session table');
    this.forget(victim);
  }

  private forget(id: string): void {
    this.sessions.delete(id);
    this.expired.add(id);
    if (this.expired.size > this.limits.expiredRememberedMax) {
      const first = this.expired.values().next().value as string;
      this.expired.delete(first);
    }
  }
}
