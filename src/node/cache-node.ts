// The cache node: a replica running the cache state machine, answering clients over the network,
// with a SWIM member beside it for failure detection. Writes become log entries stamped with the
// node's clock and are answered after they are committed and applied; reads are answered from the
// state machine once the core says it is safe (ReadIndex or lease), or at once when the client
// asked for a stale read; followers redirect. Requests waiting for an answer are bounded: beyond
// the bound the node answers SERVER_BUSY. The membership view feeds the node: answers to clients
// name the members it holds dead (clients route away from them), and a leader reports the voters
// it considers down. The view never decides anything in Raft by default: it only informs. An
// optional policy (removal-policy.ts, off unless configured) lets a leader propose the removal
// of a voter held dead past a limit, through joint consensus.

import type { HostEffect, HostInput, NodeId, Process } from '../host/contract';
import type { Random } from '../util/random';
import { assert } from '../util/assert';
import type { RaftConfig } from '../raft/config';
import type { RaftView } from '../raft/types';
import { processOf, type ReplicaMessage } from './identity';
import { decodeResult, encodeEnvelope } from '../cache/codec';
import { describeOp, isWrite, type CacheOp } from '../cache/commands';
import { CacheStateMachine } from '../cache/machine';
import type { ClientMessage, ClientRequest, ClientResponse } from '../cache/protocol';
import { Replica, type IdentityMode, type ReplicaEffect, type ReplicaOutcome, type ReplicaRequest } from './replica';
import type { SwimConfig } from '../membership/config';
import { SwimProcess, type SwimControl } from '../membership/host-adapter';
import { SwimMember } from '../membership/swim';
import { isSwimMessage, type SwimMessage } from '../membership/types';
import type { StoragePort } from './storage-port';
import { removalProposal, validateRemovalPolicy, type RemovalPolicy } from './removal-policy';

/** The clocks every host input carries: local time, and the monotonic clock once the host gives one. */
type HostClocks = Pick<HostInput<unknown>, 'nowUs' | 'monoUs'>;

export type NodeMessage = ReplicaMessage | ClientMessage | SwimMessage;

/** What an operator (the nemesis, a test) may ask a node directly. */
export type NodeControl = ReplicaRequest | { readonly kind: 'shutdown' };

/** Answers to operator requests (membership changes). */
export type NodeOutput = ReplicaOutcome;

export interface CacheNodeOptions {
  /** Client requests waiting for an answer at once; more are answered SERVER_BUSY. */
  readonly pendingRequestsMax: number;
  /** Failure detection beside Raft: SWIM over these members (the servers), or none. */
  readonly membership: { readonly config: SwimConfig; readonly members: readonly NodeId[] } | null;
  /** Propose the removal of voters the failure detector holds dead past a limit; null (the default): never. */
  readonly removal?: RemovalPolicy | null;
  /** How the replica knows who it is (identity.ts); null (the default): always its process name. */
  readonly identity?: IdentityMode;
}

export const DEFAULT_CACHE_NODE_OPTIONS: CacheNodeOptions = { pendingRequestsMax: 1024, membership: null, removal: null };

/** The request ids of this node's own removal proposals start with this (they are not an operator's). */
const REMOVAL_REQUEST_PREFIX = 'removal/';
/** How many retry intervals a removal proposal may wait for its outcome before another may be made. */
const REMOVAL_WAIT_PERIODS = 10;

interface Pending {
  readonly client: NodeId;
  readonly request: ClientRequest;
}

export class CacheNode implements Process<NodeMessage, NodeControl, NodeOutput> {
  readonly replica: Replica;
  readonly machine = new CacheStateMachine();
  /** Client requests handed to the core, by the id the core knows them by. */
  private readonly pending = new Map<string, Pending>();

  /** The failure detector, or null when the node runs without one. */
  readonly swim: SwimProcess | null;
  /** The voters this node last reported down while leading (to report changes only). */
  private reportedDown = '';
  /** The removal proposal waiting for its outcome, and when the last one was made (local clock). */
  private removalInFlight: string | null = null;
  private lastRemovalUs: number | null = null;
  private removals = 0;

  constructor(
    readonly id: NodeId,
    config: RaftConfig,
    storage: StoragePort,
    random: Random,
    private readonly options: CacheNodeOptions = DEFAULT_CACHE_NODE_OPTIONS,
  ) {
    this.replica = new Replica(id, config, storage, this.machine, random, options.identity ?? null);
    const m = options.membership;
    this.swim = m === null ? null : new SwimProcess(new SwimMember(id, m.config, m.members, random));
    const removal = options.removal ?? null;
    assert(removal === null || m !== null, 'the removal policy needs the failure detector');
    assert(removal === null || validateRemovalPolicy(removal).length === 0, `invalid removal policy: ${removal === null ? '' : validateRemovalPolicy(removal).join('; ')}`);
  }

  step(input: HostInput<NodeMessage, NodeControl>): HostEffect<NodeMessage, NodeOutput>[] {
    if (input.kind === 'message' && isClientRequest(input.message)) return this.onClientRequest(input.from, input.message, input);
    if (input.kind === 'message' && isClientResponse(input.message)) return []; // not for a node
    // The same input, narrowed to SWIM's types (no copy: a SWIM message arrives with every probe).
    if (input.kind === 'message' && isSwimMessage(input.message)) return this.gossip(input as HostInput<SwimMessage, SwimControl>);
    if (input.kind === 'timer' && input.name.startsWith('swim.')) return this.gossip(input);
    if (input.kind === 'external' && input.request.kind === 'shutdown') {
      // Graceful shutdown: hand leadership over (TimeoutNow) and leave the gossip before stopping.
      const leave = this.swim?.step({ kind: 'external', request: { op: 'leave' }, nowUs: input.nowUs }) ?? [];
      return [...this.relay(this.askReplica({ kind: 'transferLeadership', to: null }, input)), ...leave];
    }
    const effects = this.relay(this.replica.step(input as HostInput<ReplicaMessage, ReplicaRequest>));
    if (input.kind === 'start' && this.swim !== null) effects.push(...this.swim.step({ kind: 'start', nowUs: input.nowUs }));
    return effects;
  }

  /** Members the failure detector holds dead or gone, sorted (asked at every answer to a client: no phi values are computed for it). */
  down(): NodeId[] {
    if (this.swim === null) return [];
    return this.swim.member.downIds();
  }

  /** A step of the failure detector, and what it changes in what the leader reports. */
  private gossip(input: HostInput<SwimMessage, SwimControl>): HostEffect<NodeMessage, NodeOutput>[] {
    if (this.swim === null) return [];
    const effects: HostEffect<NodeMessage, NodeOutput>[] = this.swim.step(input);
    const view = this.replica.inspect();
    if (view === null || view.role !== 'leader') {
      this.reportedDown = '';
      return effects;
    }
    // Mostly nobody is down: then there is no set of voters to build.
    const downIds = this.down();
    let down = '';
    if (downIds.length > 0) {
      const voters = new Set([...view.config.voters, ...(view.config.votersOld ?? [])].map(processOf));
      down = downIds.filter((id) => voters.has(id)).join(' ');
    }
    if (down !== this.reportedDown) {
      this.reportedDown = down;
      effects.push({ kind: 'note', event: 'votersDown', fields: { voters: down, term: view.term } });
    }
    // Once a period (the probe tick) is often enough to judge a limit counted in seconds.
    if (input.kind === 'timer' && input.name === 'swim.probe') effects.push(...this.maybeProposeRemoval(view, input));
    return effects;
  }

  /** The removal policy's step: a proposal to the replica if one is due, as effects. */
  private maybeProposeRemoval(view: RaftView, at: HostClocks): HostEffect<NodeMessage, NodeOutput>[] {
    const { nowUs } = at;
    const policy = this.options.removal ?? null;
    if (policy === null || this.swim === null) return [];
    // The detector names processes; the configuration names Raft members (identity.ts).
    const dead = new Set(this.swim.member.deadLongerThan(policy.deadLongerThanUs, nowUs));
    const proposal = removalProposal(policy, {
      self: view.id,
      role: view.role,
      config: view.config,
      configPending: configUncommitted(view),
      deadLongEnough: view.config.voters.filter((v) => dead.has(processOf(v))),
      // An outcome always comes (committed, refused, dropped with the leadership); should one not, the wait is bounded all the same.
      proposalInFlight: this.removalInFlight !== null && this.lastRemovalUs !== null && nowUs - this.lastRemovalUs < REMOVAL_WAIT_PERIODS * policy.retryEveryUs,
      nowUs,
      lastProposalUs: this.lastRemovalUs,
    });
    if (proposal === null) return [];
    const requestId = `${REMOVAL_REQUEST_PREFIX}${++this.removals}`;
    this.removalInFlight = requestId;
    this.lastRemovalUs = nowUs;
    const note: HostEffect<NodeMessage, NodeOutput> = { kind: 'note', event: 'removalProposed', fields: { member: proposal.remove, voters: proposal.voters.join(' '), requestId, term: view.term } };
    const request: ReplicaRequest = { kind: 'changeMembership', requestId, voters: proposal.voters, learners: proposal.learners };
    return [note, ...this.relay(this.askReplica(request, at))];
  }

  /**
   * A request to the replica, stamped with the clocks of the host input that caused it: the
   * monotonic one goes along because the lease rounds the request may start are timed on it.
   */
  private askReplica(request: ReplicaRequest, at: HostClocks): ReplicaEffect[] {
    return this.replica.step({ kind: 'external', request, nowUs: at.nowUs, monoUs: at.monoUs });
  }

  private onClientRequest(client: NodeId, request: ClientRequest, at: HostClocks): HostEffect<NodeMessage, NodeOutput>[] {
    const { nowUs } = at;
    const key = `${client}/${request.requestId}`;
    if (this.pending.has(key)) return []; // a duplicate of a request already in hand: its answer will come
    if (!isWrite(request.op) && request.readMode === 'stale') {
      return [respond(client, { type: 'client.result', requestId: request.requestId, result: this.machine.read(request.op) })];
    }
    if (this.pending.size >= this.options.pendingRequestsMax) return [respond(client, { type: 'client.busy', requestId: request.requestId })];
    this.pending.set(key, { client, request });
    const op: CacheOp = request.op;
    const replicaRequest: ReplicaRequest = isWrite(op)
      ? { kind: 'propose', requestId: key, data: encodeEnvelope({ sessionId: request.sessionId, serial: request.serial, stampUs: Math.max(0, nowUs), command: op }) }
      : { kind: 'read', requestId: key, mode: request.readMode };
    const effects = this.askReplica(replicaRequest, at);
    return [{ kind: 'note', event: 'clientRequest', fields: { client, requestId: request.requestId, op: describeOp(op) } }, ...this.relay(effects)];
  }

  /** Passes the replica's effects on, turning answers to client requests into responses. */
  private relay(effects: ReplicaEffect[]): HostEffect<NodeMessage, NodeOutput>[] {
    const out: HostEffect<NodeMessage, NodeOutput>[] = [];
    for (const effect of effects) {
      if (effect.kind !== 'output') {
        out.push(effect);
        continue;
      }
      if (effect.output.requestId === this.removalInFlight) {
        // Our own removal proposal has its outcome: the next one may follow (after retryEveryUs).
        this.removalInFlight = null;
        out.push({ kind: 'note', event: 'removalOutcome', fields: { requestId: effect.output.requestId, outcome: effect.output.outcome } });
        continue;
      }
      const pending = this.pending.get(effect.output.requestId);
      if (pending === undefined) {
        out.push(effect); // an operator's request
        continue;
      }
      this.pending.delete(effect.output.requestId);
      const response = this.responseTo(pending.request, effect.output);
      // Every answer tells the client whom to avoid, so that it knows before it must look elsewhere.
      const down = this.down();
      out.push(respond(pending.client, down.length > 0 ? { ...response, down } : response));
    }
    // A node that halts forgets its pending requests with the rest of its memory.
    assert(this.pending.size <= this.options.pendingRequestsMax, 'pending requests exceed their bound');
    return out;
  }

  private responseTo(request: ClientRequest, outcome: ReplicaOutcome): ClientResponse {
    const requestId = request.requestId;
    switch (outcome.outcome) {
      case 'committed':
        return { type: 'client.result', requestId, result: decodeResult(outcome.result) };
      case 'read-ok':
        assert(!isWrite(request.op), 'a read outcome for a write');
        return { type: 'client.result', requestId, result: this.machine.read(request.op) };
      case 'redirect':
        // Clients address processes, whichever member runs there.
        return { type: 'client.redirect', requestId, leaderHint: outcome.leaderHint === null ? null : processOf(outcome.leaderHint) };
      case 'busy':
        return { type: 'client.busy', requestId };
      case 'dropped':
        return { type: 'client.unknown', requestId, reason: outcome.reason };
      case 'rejected':
        // Nothing was done; for the client this is as good as a redirect to nobody.
        return { type: 'client.redirect', requestId, leaderHint: null };
    }
  }
}

/** Whether the configuration the node acts on is still uncommitted (a config entry above the commit index). */
function configUncommitted(view: RaftView): boolean {
  const log = view.log;
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i] as RaftView['log'][number];
    if (entry.index <= view.commitIndex) return false;
    if (entry.kind === 'config') return true;
  }
  return false;
}

function respond(client: NodeId, message: ClientResponse): HostEffect<NodeMessage, NodeOutput> {
  return { kind: 'send', to: client, message };
}

function isClientRequest(m: NodeMessage): m is ClientRequest {
  return m.type === 'client.request';
}

function isClientResponse(m: NodeMessage): m is ClientResponse {
  return m.type === 'client.result' || m.type === 'client.redirect' || m.type === 'client.busy' || m.type === 'client.unknown';
}
