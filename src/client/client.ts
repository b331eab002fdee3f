// The cache client, as a process: one operation at a time (a Jepsen "process"), sent to the node
// it believes leads, retried with exponential back-off and jitter. Redirects update the leader it
// tracks; SERVER_BUSY backs off without spending the retry budget; every request carries the
// client's session and serial so that a retried write is applied once. An operation whose fate it
// cannot know (a timeout, a node that lost track of it) is reported as indeterminate, never as
// failed; it is reported failed only when no attempt can have taken effect.

import type { HostEffect, HostInput, NodeId, Process } from '../host/contract';
import type { Random } from '../util/random';
import { assert } from '../util/assert';
import type { ReadMode } from '../raft/types';
import { isWrite, type CacheOp, type CacheResult } from '../cache/commands';
import type { ClientMessage, ClientRequest, ClientResponse } from '../cache/protocol';

export interface ClientConfig {
  readonly servers: readonly NodeId[];
  /** Back-off before retry n (from 0): min(cap, base x 2^n), then +-jitter. */
  readonly retryBaseUs: number;
  readonly retryCapUs: number;
  readonly retryJitter: number;
  /** Retries after a timeout or an unknown outcome. */
  readonly retriesMax: number;
  /** How long one attempt waits for an answer. */
  readonly attemptTimeoutUs: number;
  /** Bounds on the attempts that do not spend the retry budget. */
  readonly busyBackoffsMax: number;
  readonly redirectsMax: number;
  readonly readMode: ReadMode;
  /** With readMode 'stale', the replica reads go to (the nearest one), instead of the leader. */
  readonly staleReadsFrom: NodeId | null;
  /** Planted bug: every retry of a write takes a new serial, so the session cannot tell it from a new write. */
  readonly retryWithoutDedup: boolean;
}

export const DEFAULT_CLIENT_CONFIG: Omit<ClientConfig, 'servers'> = {
  retryBaseUs: 100_000,
  retryCapUs: 5_000_000,
  retryJitter: 0.25,
  retriesMax: 3,
  attemptTimeoutUs: 1_000_000,
  busyBackoffsMax: 20,
  redirectsMax: 10,
  readMode: 'read-index',
  staleReadsFrom: null,
  retryWithoutDedup: false,
};

export interface ClientInvoke {
  readonly opId: number;
  readonly op: CacheOp;
}

export interface ClientCompletion {
  readonly opId: number;
  /** ok: it took effect with this result; fail: it certainly did not; info: unknown. */
  readonly type: 'ok' | 'fail' | 'info';
  readonly result: CacheResult | null;
  readonly attempts: number;
  readonly reason: string;
}

interface InFlight {
  readonly opId: number;
  readonly op: CacheOp;
  /** Mutable only for the planted bug retryWithoutDedup. */
  serial: number;
  attempt: number;
  retries: number;
  busy: number;
  redirects: number;
  /** Whether some attempt may have been proposed (so a write may have taken effect). */
  mayHaveTakenEffect: boolean;
}

type Effect = HostEffect<ClientMessage, ClientCompletion>;

export class CacheClient implements Process<ClientMessage, ClientInvoke, ClientCompletion> {
  private readonly sessionId: string;
  private serial = 0;
  private leader: NodeId;
  private current: InFlight | null = null;
  private nowUs = 0;
  /** Servers the cluster's failure detector holds dead (from the latest answer that said): skipped when rotating. */
  private avoid: ReadonlySet<NodeId> = new Set();

  constructor(
    readonly id: NodeId,
    private readonly config: ClientConfig,
    private readonly random: Random,
  ) {
    assert(config.servers.length > 0, 'a client needs servers');
    assert(config.retryJitter >= 0 && config.retryJitter < 1, 'retryJitter must be in [0, 1)');
    // A fresh session per client instance: a restarted client must not reuse serials.
    this.sessionId = `${id}.${random.int(1 << 30).toString(36)}`;
    this.leader = config.servers[random.int(config.servers.length)] as NodeId;
  }

  step(input: HostInput<ClientMessage, ClientInvoke>): Effect[] {
    this.nowUs = input.nowUs;
    switch (input.kind) {
      case 'start':
      case 'disk':
        return [];
      case 'external':
        return this.invoke(input.request);
      case 'message':
        return this.onResponse(input.from, input.message);
      case 'timer':
        return this.onTimer(input.name);
    }
  }

  private invoke(request: ClientInvoke): Effect[] {
    assert(this.current === null, 'a client runs one operation at a time');
    const serial = isWrite(request.op) ? ++this.serial : 0;
    this.current = { opId: request.opId, op: request.op, serial, attempt: 0, retries: 0, busy: 0, redirects: 0, mayHaveTakenEffect: false };
    return this.send();
  }

  /** Sends a new attempt of the current operation to the leader it believes in. */
  private send(): Effect[] {
    const c = this.current as InFlight;
    c.attempt++;
    if (this.config.retryWithoutDedup && c.attempt > 1 && c.serial > 0) c.serial = ++this.serial;
    const request: ClientRequest = {
      type: 'client.request',
      requestId: `${c.opId}.${c.attempt}`,
      sessionId: this.sessionId,
      serial: c.serial,
      op: c.op,
      readMode: this.config.readMode,
    };
    const nearest = this.config.readMode === 'stale' && !isWrite(c.op) ? this.config.staleReadsFrom : null;
    return [
      { kind: 'send', to: nearest ?? this.leader, message: request },
      { kind: 'setTimer', name: 'attempt', atLocalUs: this.nowUs + this.config.attemptTimeoutUs },
    ];
  }

  private onResponse(from: NodeId, message: ClientMessage): Effect[] {
    const c = this.current;
    if (message.type === 'client.request') return [];
    if (message.down !== undefined) this.avoid = new Set(message.down);
    if (c === null) return [];
    const [opText, attemptText] = message.requestId.split('.');
    if (Number(opText) !== c.opId) return []; // a late answer to an operation already finished
    // A result is the result, whichever attempt it answers; anything else only counts for the latest.
    if (message.type === 'client.result') return this.finish(resultType(message.result), message.result, 'answered');
    if (Number(attemptText) !== c.attempt) return [];
    return this.onSetback(from, message);
  }

  private onSetback(from: NodeId, message: Exclude<ClientResponse, { type: 'client.result' }>): Effect[] {
    const c = this.current as InFlight;
    switch (message.type) {
      case 'client.redirect':
        this.leader = message.leaderHint ?? this.nextServer(from);
        if (++c.redirects <= this.config.redirectsMax) return [{ kind: 'cancelTimer', name: 'attempt' }, ...this.send()];
        c.redirects = 0;
        return this.retry('redirected too often');
      case 'client.busy':
        // SERVER_BUSY: back off, but this does not spend the retry budget (bounded separately).
        if (++c.busy > this.config.busyBackoffsMax) return this.giveUp('server busy');
        return this.backoff(c.busy - 1);
      case 'client.unknown':
        c.mayHaveTakenEffect = true;
        this.leader = this.nextServer(from);
        return this.retry(message.reason);
    }
  }

  private onTimer(name: string): Effect[] {
    const c = this.current;
    if (c === null) return [];
    if (name === 'backoff') return this.send();
    assert(name === 'attempt', `unknown client timer ${name}`);
    // No answer: the node may have proposed it, and the leader may be gone. Try another node.
    c.mayHaveTakenEffect = true;
    this.leader = this.nextServer(this.leader);
    return this.retry('timed out');
  }

  private retry(reason: string): Effect[] {
    const c = this.current as InFlight;
    if (c.retries >= this.config.retriesMax) return this.giveUp(reason);
    c.retries++;
    return this.backoff(c.retries - 1);
  }

  private backoff(n: number): Effect[] {
    const { retryBaseUs, retryCapUs, retryJitter } = this.config;
    const baseUs = Math.min(retryCapUs, retryBaseUs * 2 ** Math.min(n, 30));
    const jitterUs = Math.round(baseUs * retryJitter * (2 * this.random.next() - 1));
    return [
      { kind: 'cancelTimer', name: 'attempt' },
      { kind: 'setTimer', name: 'backoff', atLocalUs: this.nowUs + Math.max(1, baseUs + jitterUs) },
    ];
  }

  private giveUp(reason: string): Effect[] {
    const c = this.current as InFlight;
    // Only an operation no attempt of which can have taken effect has certainly failed.
    return this.finish(c.mayHaveTakenEffect ? 'info' : 'fail', null, reason);
  }

  private finish(type: 'ok' | 'fail' | 'info', result: CacheResult | null, reason: string): Effect[] {
    const c = this.current as InFlight;
    this.current = null;
    return [
      { kind: 'cancelTimer', name: 'attempt' },
      { kind: 'cancelTimer', name: 'backoff' },
      { kind: 'output', output: { opId: c.opId, type, result, attempts: c.attempt, reason } },
    ];
  }

  /** The server after `after` in the ring, skipping those held dead (unless all are). */
  private nextServer(after: NodeId): NodeId {
    const servers = this.config.servers;
    const i = servers.indexOf(after);
    for (let step = 1; step <= servers.length; step++) {
      const candidate = servers[(i + step) % servers.length] as NodeId;
      if (!this.avoid.has(candidate)) return candidate;
    }
    return servers[(i + 1) % servers.length] as NodeId;
  }
}

/** A result that says the operation was refused without effect is a definite failure. */
function resultType(result: CacheResult): 'ok' | 'fail' | 'info' {
  if (result.kind !== 'error') return 'ok';
  // LIMIT and BAD_COMMAND were decided by the state machine: nothing changed. An expired
  // session or a stale serial means an earlier attempt may have been applied: unknown.
  return result.code === 'LIMIT' || result.code === 'BAD_COMMAND' ? 'fail' : 'info';
}
