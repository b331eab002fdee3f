// One member of a SWIM group (Das, Gupta, Motivala 2002) with the Lifeguard refinements
// (Dadgar, Phillips, Currey 2018): a pure state machine, `step(input) -> effects`. It never
// does I/O, never reads a clock (time comes in each input as the member's LOCAL clock) and
// never draws randomness except from the injected Random. Every collection is bounded by the
// configuration and iterated in sorted-id or arrival order, so a seed replays exactly.
//
// The protocol, one period at a time (period P, scaled by 1 + local health score):
//   tick     - judge the previous probe: no ack by now means the target is suspected; then
//              probe the next member of a shuffled round-robin order (reshuffled every round).
//   +timeout - no direct ack yet: ask k alive members to probe the target (ping-req); each
//              relay answers with the target's ack or, Lifeguard, a nack if it got none.
//   suspect  - gossiped with the member's incarnation; each further independent suspecter
//              shrinks the timeout from max toward min; at the deadline the member is dead.
//   refute   - a member that hears it is suspected (or dead) raises its incarnation and
//              gossips alive, which overrides the accusation everywhere (see precedence.ts).
//   gossip   - every ping, ack, ping-req and nack carries up to piggybackMax updates, each sent
//              at most lambda x ceil(log10(n + 1)) times; a message to an accused member
//              carries the accusation first, so it can refute at once.
//   sync     - push-pull of the whole table to the seeds on join and, every syncEveryPeriods,
//              to one random member, dead ones included, so a healed partition converges.
//
// Phi-accrual: every ack for one of our probes is a heartbeat of the target; phi is reported
// in view() and in probe/suspicion events but does not drive any decision. SWIM's own rule
// (no ack through k + 1 independent paths within a period) already gives a bounded detection
// time; letting phi also suspect would add a second, workload-dependent source of false
// suspicions whose heartbeat cadence (one ack per round, at a shuffled position) is irregular
// by design. The node may combine phi with the SWIM status itself if it wants.
//
// Detection-time bound (no loss, every one-way delay d with 2d < P and nacks arriving before
// the period ends, so the local health score stays 0). Let n be the number of live members
// including the crashed one M, and T_max = beta x alpha x max(1, ceil(log10 n)) x P. A live
// member L probes each of the other n - 1 members exactly once per round of n - 1 periods. If
// M crashes at time c, the last probe of M that could still succeed was sent at or before c,
// so the next one starts at most (n - 1) - 1 + (n - 1) = 2n - 3 periods after that slot, i.e.
// no later than c + (2n - 3)P; it is judged failed one period later, when L suspects M (if it
// has not already through gossip): by c + 2(n - 1)P. The suspicion then expires after at most
// T_max (confirmations only shorten it, and a crashed member cannot refute). Hence every live
// member holds M dead by
//
//     c + 2(n - 1) x P + T_max            (plus at most one period P of start-up jitter,
//                                          for a member that joined after c - P)
//
// With a local health score up to H, replace P by (1 + H) x P in the first term.
// swim.property.test.ts checks this bound over random seeds. It is a worst case: with other
// members confirming, the suspicion lasts about T_min, and runs of 3 to 8 members measured
// 6 to 12 s from crash to dead everywhere against bounds of 28 to 38 s (defaults, P = 1 s).
//
// Accuracy: with no loss and every one-way delay d < P/2, a live member's direct ack always
// arrives before its period is judged, so no live member is ever suspected.
// Convergence after a partition heals: each side holds the other dead and stops probing it,
// but the periodic sync picks dead members too, and every message to an accused member
// carries the accusation, so each side learns it was declared dead and refutes.

import type { NodeId } from '../host/contract';
import { assert, assertInteger, unreachable } from '../util/assert';
import type { Random } from '../util/random';
import { BroadcastQueue } from './broadcast';
import type { SwimConfig } from './config';
import { validateSwimConfig } from './config';
import { PhiAccrualDetector } from './phi';
import { overrides } from './precedence';
import type { SuspicionBounds } from './timeouts';
import { retransmitLimit, suspicionBounds, suspicionTimeoutUs } from './timeouts';
import type {
  MemberStatus,
  MemberUpdate,
  MemberView,
  SwimEffect,
  SwimEvent,
  SwimInput,
  SwimMessage,
  SwimTimer,
} from './types';

export class SwimMember {
  readonly selfId: NodeId;
  private readonly config: SwimConfig;
  private readonly random: Random;

  private active = false;
  private everJoined = false;
  private selfIncarnation = 0;
  private nowUs = 0;
  private readonly members = new Map<NodeId, MemberRecord>();
  private readonly broadcasts: BroadcastQueue;

  private probeOrder: NodeId[] = [];
  private probeIndex = 0;
  private probe: Probe | null = null;
  private relays: Relay[] = [];
  private nextSeq = 1;
  private ticks = 0;
  private localHealth = 0;
  private suspicionTimerAtUs: number | null = null;
  private relayTimerAtUs: number | null = null;

  /** The effects of the step in progress (a step is never re-entered). */
  private out: SwimEffect[] = [];

  /**
   * `initialMembers` are believed alive at incarnation 0: a static cluster's peers, or the
   * seeds a new member joins through. Nothing happens until the `join` input.
   */
  constructor(selfId: NodeId, config: SwimConfig, initialMembers: readonly NodeId[], random: Random) {
    const errors = validateSwimConfig(config);
    assert(errors.length === 0, `invalid SwimConfig: ${errors.join('; ')}`);
    assert(selfId.length > 0, 'selfId must be non-empty');
    this.selfId = selfId;
    this.config = config;
    this.random = random;
    this.broadcasts = new BroadcastQueue(config.updatesMax);
    const ids = [...new Set(initialMembers)].filter((id) => id !== selfId).sort();
    assert(ids.length + 1 <= config.membersMax, 'initialMembers exceed membersMax');
    for (const id of ids) this.members.set(id, this.newRecord(id, 'alive', 0, id, 0));
  }

  // -------------------------------------------------------------------------------------------
  // The one entry point

  step(input: SwimInput): SwimEffect[] {
    assertInteger(input.nowUs, 'nowUs');
    assert(this.out.length === 0, 'step must not be re-entered');
    this.nowUs = input.nowUs;
    switch (input.kind) {
      case 'join':
        this.onJoin();
        break;
      case 'leave':
        this.onLeave();
        break;
      case 'timerFired':
        if (this.active) this.onTimer(input.timer);
        break;
      case 'message':
        if (this.active && typeof input.from === 'string' && input.from !== this.selfId) {
          this.onMessage(input.from, input.message);
        }
        break;
      default:
        unreachable(input, 'swim input');
    }
    const effects = this.out;
    this.out = [];
    return effects;
  }

  // -------------------------------------------------------------------------------------------
  // Queries for the node (routing, leader reports, removal policy) and for tests

  /** Every known member, self included, sorted by id. */
  view(nowUs: number = this.nowUs): MemberView[] {
    const result: MemberView[] = [
      // Before its first join and after a leave a member is not part of the group: 'left'.
      { id: this.selfId, status: this.active ? 'alive' : 'left', incarnation: this.selfIncarnation, phi: 0, sinceUs: 0 },
    ];
    for (const id of this.sortedIds()) {
      const r = this.members.get(id)!;
      result.push({ id, status: r.status, incarnation: r.incarnation, phi: r.detector.phi(nowUs), sinceUs: r.sinceUs });
    }
    result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return result;
  }

  /**
   * Every known member's status and incarnation, self included, sorted by id: view() without the
   * phi values, which cost a window's statistics and an erfc per member (the recorder diffs this
   * after every gossip step).
   */
  statuses(): { readonly id: NodeId; readonly status: MemberStatus; readonly incarnation: number }[] {
    const result = [{ id: this.selfId, status: (this.active ? 'alive' : 'left') as MemberStatus, incarnation: this.selfIncarnation }];
    for (const [id, r] of this.members) result.push({ id, status: r.status, incarnation: r.incarnation });
    result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return result;
  }

  /** The other members held dead or left, sorted by id (what view() shows, read without computing phi). */
  downIds(): NodeId[] {
    const out: NodeId[] = [];
    for (const [id, r] of this.members) if (id !== this.selfId && (r.status === 'dead' || r.status === 'left')) out.push(id);
    return out.sort();
  }

  /** True for members alive or merely suspected (SWIM treats a suspect as a member); false for dead, left or unknown. */
  isAlive(id: NodeId): boolean {
    if (id === this.selfId) return this.active;
    const r = this.members.get(id);
    return r !== undefined && (r.status === 'alive' || r.status === 'suspect');
  }

  /** Local time since which this member has been dead or left in our view; null otherwise. */
  deadSince(id: NodeId): number | null {
    const r = this.members.get(id);
    if (r === undefined || (r.status !== 'dead' && r.status !== 'left')) return null;
    return r.sinceUs;
  }

  /** Members dead or left for at least limitUs, sorted: the input of an optional removal policy. */
  deadLongerThan(limitUs: number, nowUs: number = this.nowUs): NodeId[] {
    return this.sortedIds().filter((id) => {
      const since = this.deadSince(id);
      return since !== null && nowUs - since >= limitUs;
    });
  }

  incarnation(): number {
    return this.selfIncarnation;
  }

  localHealthScore(): number {
    return this.localHealth;
  }

  /** Updates still waiting to be piggybacked, with their transmission counts (for tests). */
  pendingBroadcasts(): { readonly update: MemberUpdate; readonly transmissions: number }[] {
    return this.broadcasts.snapshot();
  }

  // -------------------------------------------------------------------------------------------
  // Join and leave

  private onJoin(): void {
    if (this.active) return;
    // Rejoining after a graceful leave must beat our own left@incarnation everywhere.
    if (this.everJoined) this.selfIncarnation += 1;
    this.active = true;
    this.everJoined = true;
    this.probe = null;
    this.relays = [];
    this.enqueue({ member: this.selfId, status: 'alive', incarnation: this.selfIncarnation, by: this.selfId });
    const states = this.tableStates();
    for (const id of this.sortedIds()) {
      if (this.members.get(id)!.status !== 'left') this.send(id, { type: 'sync', reply: true, states });
    }
    // Random first tick so members started together do not probe in lock step.
    this.setTimer('swim.probe', this.nowUs + 1 + this.random.int(this.config.protocolPeriodUs));
  }

  private onLeave(): void {
    if (!this.active) return;
    const left: MemberUpdate = { member: this.selfId, status: 'left', incarnation: this.selfIncarnation, by: this.selfId };
    for (const id of this.sortedIds()) {
      if (this.isAlive(id)) this.send(id, { type: 'sync', reply: false, states: [left] });
    }
    this.active = false;
    this.probe = null;
    this.relays = [];
    this.emit({ type: 'memberLeft', member: this.selfId, incarnation: this.selfIncarnation });
  }

  // -------------------------------------------------------------------------------------------
  // Timers

  private onTimer(timer: SwimTimer): void {
    switch (timer) {
      case 'swim.probe':
        this.onProbeTick();
        break;
      case 'swim.probeTimeout':
        this.onProbeTimeout();
        break;
      case 'swim.suspicion':
        this.suspicionTimerAtUs = null;
        this.expireSuspicions();
        break;
      case 'swim.relay':
        this.relayTimerAtUs = null;
        this.serviceRelays();
        break;
      default:
        unreachable(timer, 'swim timer');
    }
  }

  private onProbeTick(): void {
    this.judgeProbe();
    this.ticks += 1;
    if (this.config.syncEveryPeriods > 0 && this.ticks % this.config.syncEveryPeriods === 0) this.syncWithRandomMember();
    const target = this.nextProbeTarget();
    if (target !== null) {
      const seq = this.takeSeq();
      this.probe = { target, seq, acked: false, indirectSent: false, helpers: 0, nacks: 0 };
      this.send(target, { type: 'ping', seq, target, updates: this.piggybackFor(target) });
      this.setTimer('swim.probeTimeout', this.nowUs + this.config.probeTimeoutUs * (1 + this.localHealth));
    }
    this.setTimer('swim.probe', this.nowUs + this.config.protocolPeriodUs * (1 + this.localHealth));
  }

  /** End of a period: an unacknowledged probe makes its target suspect. */
  private judgeProbe(): void {
    const probe = this.probe;
    this.probe = null;
    if (probe === null) return;
    if (probe.acked) {
      this.adjustLocalHealth(-1);
      return;
    }
    // Lifeguard: missing nacks mean our own messages may not get through; with no helpers we
    // cannot tell, and count the failure against ourselves once.
    this.adjustLocalHealth(probe.helpers > 0 ? probe.helpers - probe.nacks : 1);
    const r = this.members.get(probe.target);
    this.emit({ type: 'probeTimedOut', member: probe.target, seq: probe.seq, phi: r ? r.detector.phi(this.nowUs) : 0, nacks: probe.nacks });
    if (r === undefined) return;
    this.apply({ member: probe.target, status: 'suspect', incarnation: r.incarnation, by: this.selfId });
  }

  private onProbeTimeout(): void {
    const probe = this.probe;
    if (probe === null || probe.acked || probe.indirectSent) return;
    probe.indirectSent = true;
    const candidates = this.sortedIds().filter((id) => id !== probe.target && this.members.get(id)!.status === 'alive');
    const helpers = this.pickRandom(candidates, this.config.indirectProbes);
    probe.helpers = helpers.length;
    for (const helper of helpers) {
      this.send(helper, { type: 'pingReq', seq: probe.seq, target: probe.target, updates: this.piggybackFor(helper) });
    }
    this.emit({ type: 'indirectProbe', member: probe.target, seq: probe.seq, helpers: helpers.length });
  }

  private expireSuspicions(): void {
    for (const id of this.sortedIds()) {
      const r = this.members.get(id)!;
      if (r.suspicion !== null && r.suspicion.deadlineUs <= this.nowUs) {
        this.apply({ member: id, status: 'dead', incarnation: r.incarnation, by: this.selfId });
      }
    }
    this.armSuspicionTimer();
  }

  /** Relays: nack the requester when the target stays silent, forget them after a period. */
  private serviceRelays(): void {
    const kept: Relay[] = [];
    for (const relay of this.relays) {
      if (!relay.nacked && relay.nackAtUs <= this.nowUs) {
        relay.nacked = true;
        this.send(relay.requester, { type: 'nack', seq: relay.requesterSeq, target: relay.target, updates: this.piggybackFor(relay.requester) });
      }
      if (relay.expiresAtUs > this.nowUs) kept.push(relay);
    }
    this.relays = kept;
    this.armRelayTimer();
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private onMessage(from: NodeId, message: SwimMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'sync') {
      this.onSync(from, message.reply, message.states);
      return;
    }
    this.applyAll(from, message.updates, this.config.piggybackMax);
    // Applying gossip never deactivates; a seq that is not an integer is network garbage.
    if (!this.active || !Number.isSafeInteger(message.seq)) return;
    switch (message.type) {
      case 'ping':
        if (message.target === this.selfId) {
          this.send(from, { type: 'ack', seq: message.seq, target: this.selfId, updates: this.piggybackFor(from) });
        }
        break;
      case 'ack':
        this.onAck(message.seq, message.target);
        break;
      case 'pingReq':
        this.onPingReq(from, message.seq, message.target);
        break;
      case 'nack': {
        const probe = this.probe;
        if (probe !== null && probe.seq === message.seq && probe.target === message.target && probe.nacks < probe.helpers) {
          probe.nacks += 1;
        }
        break;
      }
      default:
        // Unknown message types from the network are ignored, never trusted.
        break;
    }
  }

  private onAck(seq: number, target: NodeId): void {
    const probe = this.probe;
    if (probe !== null && probe.seq === seq && probe.target === target) {
      if (!probe.acked) {
        probe.acked = true;
        this.members.get(target)?.detector.heartbeat(this.nowUs);
      }
      return;
    }
    const index = this.relays.findIndex((r) => r.localSeq === seq && r.target === target);
    if (index < 0) return; // A late ack for a probe already judged.
    const relay = this.relays[index]!;
    this.relays.splice(index, 1);
    this.send(relay.requester, { type: 'ack', seq: relay.requesterSeq, target, updates: this.piggybackFor(relay.requester) });
  }

  private onPingReq(from: NodeId, seq: number, target: NodeId): void {
    if (typeof target !== 'string' || target === this.selfId || target === from) return;
    if (this.relays.length >= this.config.pendingRelaysMax) {
      this.emit({ type: 'relayDropped', target, requester: from });
      return;
    }
    const localSeq = this.takeSeq();
    this.relays.push({
      requester: from,
      requesterSeq: seq,
      target,
      localSeq,
      // Lifeguard: nack well before the requester's period ends (80% of a probe timeout).
      nackAtUs: this.nowUs + Math.floor((this.config.probeTimeoutUs * 4) / 5),
      nacked: false,
      expiresAtUs: this.nowUs + this.config.protocolPeriodUs,
    });
    this.send(target, { type: 'ping', seq: localSeq, target, updates: this.piggybackFor(target) });
    this.armRelayTimer();
  }

  private onSync(from: NodeId, reply: unknown, states: readonly MemberUpdate[]): void {
    this.applyAll(from, states, this.config.membersMax);
    if (reply === true && this.active) this.send(from, { type: 'sync', reply: false, states: this.tableStates() });
  }

  // -------------------------------------------------------------------------------------------
  // Applying gossip: the precedence rule, suspicion, refutation

  /** Applies the updates `from` sent; tells it our incarnation if it still accuses us of something we refuted. */
  private applyAll(from: NodeId, updates: unknown, max: number): void {
    if (!Array.isArray(updates)) return;
    const count = Math.min(updates.length, max);
    let outdated = false;
    for (let i = 0; i < count; i++) {
      const u: unknown = updates[i];
      if (!isWellFormedUpdate(u)) continue;
      if (u.member === this.selfId) outdated = this.applyAboutSelf(u) || outdated;
      else this.apply(u);
    }
    // The sender missed our refutation (each update is sent a bounded number of times): without
    // this it would hold us suspect until a sync reached it, or declare us dead while talking to
    // us. One update straight back, once per message that carries the outdated accusation.
    if (outdated && this.active && from !== this.selfId) {
      this.send(from, { type: 'sync', reply: false, states: [{ member: this.selfId, status: 'alive', incarnation: this.selfIncarnation, by: this.selfId }] });
    }
  }

  private apply(u: MemberUpdate): void {
    assert(u.member !== this.selfId, 'updates about self go to applyAboutSelf');
    const r = this.members.get(u.member);
    if (r === undefined) {
      // A member we never knew that is dead or gone is nothing to track.
      if (u.status === 'alive' || u.status === 'suspect') this.addMember(u);
      return;
    }
    if (overrides(u.incarnation, u.status, r.incarnation, r.status)) {
      this.transition(r, u);
      this.enqueue(u);
      return;
    }
    if (u.status === 'suspect' && r.status === 'suspect' && u.incarnation === r.incarnation) {
      this.confirmSuspicion(r, u);
    }
  }

  /** Outbids an accusation about us; returns whether it was one we had already outbid. */
  private applyAboutSelf(u: MemberUpdate): boolean {
    // An alive at a higher incarnation is our own gossip from before a restart; anything else
    // at or above our incarnation is an accusation. Either way we outbid it.
    const stale = u.status === 'alive' ? u.incarnation > this.selfIncarnation : u.incarnation >= this.selfIncarnation;
    if (!stale) return u.status === 'suspect' || u.status === 'dead';
    this.selfIncarnation = u.incarnation + 1;
    assertInteger(this.selfIncarnation, 'selfIncarnation');
    this.enqueue({ member: this.selfId, status: 'alive', incarnation: this.selfIncarnation, by: this.selfId });
    this.emit({ type: 'refuted', incarnation: this.selfIncarnation, accusation: u.status, by: u.by });
    if (u.status !== 'alive') this.adjustLocalHealth(1);
    return false;
  }

  private transition(r: MemberRecord, u: MemberUpdate): void {
    const previous = r.status;
    if (u.status !== previous) r.sinceUs = this.nowUs;
    r.status = u.status;
    r.incarnation = u.incarnation;
    r.by = u.by;
    r.suspicion = null;
    switch (u.status) {
      case 'alive':
        if (previous === 'suspect') this.emit({ type: 'memberAlive', member: r.id, incarnation: u.incarnation, reason: 'refuted' });
        if (previous === 'dead' || previous === 'left') {
          r.detector.reset();
          this.emit({ type: 'memberAlive', member: r.id, incarnation: u.incarnation, reason: 'rejoined' });
        }
        break;
      case 'suspect':
        this.startSuspicion(r, u.by);
        break;
      case 'dead':
        this.emit({ type: 'memberConfirmedDead', member: r.id, incarnation: u.incarnation, by: u.by });
        break;
      case 'left':
        this.emit({ type: 'memberLeft', member: r.id, incarnation: u.incarnation });
        break;
      default:
        unreachable(u.status, 'member status');
    }
    assert(r.status !== 'suspect' || r.suspicion !== null, 'a suspect member has a suspicion');
  }

  private startSuspicion(r: MemberRecord, by: NodeId): void {
    const bounds = suspicionBounds(
      this.config.suspicionMultiplier,
      this.config.suspicionMaxMultiplier,
      this.config.suspicionConfirmations,
      this.config.protocolPeriodUs,
      this.liveCount(),
    );
    r.suspicion = { startUs: this.nowUs, bounds, suspecters: [by], deadlineUs: this.nowUs + suspicionTimeoutUs(bounds, 0) };
    this.emit({ type: 'memberSuspected', member: r.id, incarnation: r.incarnation, by, phi: r.detector.phi(this.nowUs) });
    this.armSuspicionTimer();
  }

  /** Lifeguard: another member independently suspects the same incarnation. */
  private confirmSuspicion(r: MemberRecord, u: MemberUpdate): void {
    const s = r.suspicion;
    assert(s !== null, 'a suspect member has a suspicion');
    const confirmations = s.suspecters.length - 1;
    if (confirmations >= s.bounds.expectedConfirmations || s.suspecters.includes(u.by)) return;
    s.suspecters.push(u.by);
    s.deadlineUs = s.startUs + suspicionTimeoutUs(s.bounds, confirmations + 1);
    this.emit({ type: 'suspicionConfirmed', member: r.id, incarnation: r.incarnation, by: u.by, confirmations: confirmations + 1 });
    // Pass the confirmation on so others can count it too.
    this.enqueue(u);
    if (s.deadlineUs <= this.nowUs) {
      this.apply({ member: r.id, status: 'dead', incarnation: r.incarnation, by: this.selfId });
    }
    this.armSuspicionTimer();
  }

  private addMember(u: MemberUpdate): void {
    if (this.members.size + 1 >= this.config.membersMax && !this.evictOne()) {
      this.emit({ type: 'memberRejected', member: u.member, reason: 'membersFull' });
      return;
    }
    const r = this.newRecord(u.member, 'alive', u.incarnation, u.by, this.nowUs);
    this.members.set(u.member, r);
    this.emit({ type: 'memberJoined', member: u.member, incarnation: u.incarnation });
    if (u.status === 'suspect') this.transition(r, u);
    this.enqueue(u);
    assert(this.members.size + 1 <= this.config.membersMax, 'member table over capacity');
  }

  /** Make room by forgetting the longest-gone left member, else the longest-dead one. */
  private evictOne(): boolean {
    for (const status of ['left', 'dead'] as const) {
      let victim: MemberRecord | null = null;
      for (const id of this.sortedIds()) {
        const r = this.members.get(id)!;
        if (r.status === status && (victim === null || r.sinceUs < victim.sinceUs)) victim = r;
      }
      if (victim !== null) {
        this.members.delete(victim.id);
        this.emit({ type: 'memberEvicted', member: victim.id, status });
        return true;
      }
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private nextProbeTarget(): NodeId | null {
    // At most two passes: the rest of this round, then a freshly shuffled one.
    for (let pass = 0; pass < 2; pass++) {
      while (this.probeIndex < this.probeOrder.length) {
        const id = this.probeOrder[this.probeIndex]!;
        this.probeIndex += 1;
        if (this.isAlive(id)) return id;
      }
      this.probeOrder = this.shuffle(this.sortedIds().filter((id) => this.isAlive(id)));
      this.probeIndex = 0;
      if (this.probeOrder.length === 0) return null;
    }
    return null;
  }

  private syncWithRandomMember(): void {
    const candidates = this.sortedIds().filter((id) => this.members.get(id)!.status !== 'left');
    const [peer] = this.pickRandom(candidates, 1);
    if (peer !== undefined) this.send(peer, { type: 'sync', reply: true, states: this.tableStates() });
  }

  /** Our whole table, self first, as updates (bounded by membersMax). */
  private tableStates(): MemberUpdate[] {
    const states: MemberUpdate[] = [{ member: this.selfId, status: 'alive', incarnation: this.selfIncarnation, by: this.selfId }];
    for (const id of this.sortedIds()) {
      const r = this.members.get(id)!;
      states.push({ member: id, status: r.status, incarnation: r.incarnation, by: r.by });
    }
    assert(states.length <= this.config.membersMax, 'sync over membersMax');
    return states;
  }

  /** Updates for a message to `to`: first, if we accuse `to`, the accusation; then the queue. */
  private piggybackFor(to: NodeId): MemberUpdate[] {
    const updates: MemberUpdate[] = [];
    const r = this.members.get(to);
    if (r !== undefined && (r.status === 'suspect' || r.status === 'dead')) {
      updates.push({ member: to, status: r.status, incarnation: r.incarnation, by: r.by });
    }
    const limit = retransmitLimit(this.config.retransmitMultiplier, this.liveCount());
    updates.push(...this.broadcasts.take(this.config.piggybackMax - updates.length, limit));
    assert(updates.length <= this.config.piggybackMax, 'piggyback over piggybackMax');
    return updates;
  }

  private enqueue(u: MemberUpdate): void {
    this.broadcasts.enqueue(u);
  }

  private adjustLocalHealth(delta: number): void {
    const next = Math.max(0, Math.min(this.config.localHealthMax, this.localHealth + delta));
    if (next === this.localHealth) return;
    this.localHealth = next;
    this.emit({ type: 'localHealthChanged', score: next });
  }

  private armSuspicionTimer(): void {
    let earliest: number | null = null;
    for (const r of this.members.values()) {
      if (r.suspicion !== null && (earliest === null || r.suspicion.deadlineUs < earliest)) earliest = r.suspicion.deadlineUs;
    }
    // A timer left armed for an earlier deadline fires harmlessly and re-arms.
    if (earliest === null) return;
    if (this.suspicionTimerAtUs !== null && this.suspicionTimerAtUs <= earliest && this.suspicionTimerAtUs > this.nowUs) return;
    this.suspicionTimerAtUs = earliest;
    this.setTimer('swim.suspicion', earliest);
  }

  private armRelayTimer(): void {
    let earliest: number | null = null;
    for (const relay of this.relays) {
      const at = relay.nacked ? relay.expiresAtUs : relay.nackAtUs;
      if (earliest === null || at < earliest) earliest = at;
    }
    if (earliest === null) return;
    if (this.relayTimerAtUs !== null && this.relayTimerAtUs <= earliest && this.relayTimerAtUs > this.nowUs) return;
    this.relayTimerAtUs = earliest;
    this.setTimer('swim.relay', earliest);
  }

  /** Members alive or suspect, self included: the n of the scaling formulas. */
  private liveCount(): number {
    let n = 1;
    for (const r of this.members.values()) if (r.status === 'alive' || r.status === 'suspect') n += 1;
    return n;
  }

  private sortedIds(): NodeId[] {
    return [...this.members.keys()].sort();
  }

  private shuffle(ids: NodeId[]): NodeId[] {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = this.random.int(i + 1);
      const tmp = ids[i]!;
      ids[i] = ids[j]!;
      ids[j] = tmp;
    }
    return ids;
  }

  /** Up to `count` distinct ids chosen uniformly (a partial Fisher-Yates over a copy). */
  private pickRandom(ids: readonly NodeId[], count: number): NodeId[] {
    const pool = [...ids];
    const take = Math.min(count, pool.length);
    for (let i = 0; i < take; i++) {
      const j = i + this.random.int(pool.length - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return pool.slice(0, take);
  }

  private takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    assertInteger(this.nextSeq, 'nextSeq');
    return seq;
  }

  private newRecord(id: NodeId, status: MemberStatus, incarnation: number, by: NodeId, sinceUs: number): MemberRecord {
    return { id, status, incarnation, by, sinceUs, suspicion: null, detector: new PhiAccrualDetector(this.config.phi) };
  }

  private send(to: NodeId, message: SwimMessage): void {
    assert(to !== this.selfId, 'a member never sends to itself');
    this.out.push({ kind: 'send', to, message });
  }

  private setTimer(timer: SwimTimer, atLocalUs: number): void {
    assertInteger(atLocalUs, 'atLocalUs');
    this.out.push({ kind: 'setTimer', timer, atLocalUs });
  }

  private emit(event: SwimEvent): void {
    this.out.push({ kind: 'event', event });
  }
}

// ---------------------------------------------------------------------------------------------
// Internal state

interface MemberRecord {
  readonly id: NodeId;
  status: MemberStatus;
  incarnation: number;
  /** Who produced the current status (the first suspecter for suspect). */
  by: NodeId;
  sinceUs: number;
  suspicion: Suspicion | null;
  readonly detector: PhiAccrualDetector;
}

interface Suspicion {
  readonly startUs: number;
  readonly bounds: SuspicionBounds;
  /** The first suspecter, then each independent confirmer; at most K + 1 long. */
  readonly suspecters: NodeId[];
  deadlineUs: number;
}

interface Probe {
  readonly target: NodeId;
  readonly seq: number;
  acked: boolean;
  indirectSent: boolean;
  helpers: number;
  nacks: number;
}

interface Relay {
  readonly requester: NodeId;
  readonly requesterSeq: number;
  readonly target: NodeId;
  readonly localSeq: number;
  readonly nackAtUs: number;
  nacked: boolean;
  readonly expiresAtUs: number;
}

const statuses: ReadonlySet<string> = new Set(['alive', 'suspect', 'dead', 'left']);

/** Network input is checked, not trusted: a malformed update is dropped. */
function isWellFormedUpdate(u: unknown): u is MemberUpdate {
  if (typeof u !== 'object' || u === null) return false;
  const x = u as Record<string, unknown>;
  return (
    typeof x['member'] === 'string' &&
    (x['member'] as string).length > 0 &&
    typeof x['by'] === 'string' &&
    typeof x['status'] === 'string' &&
    statuses.has(x['status'] as string) &&
    typeof x['incarnation'] === 'number' &&
    Number.isSafeInteger(x['incarnation']) &&
    (x['incarnation'] as number) >= 0
  );
}
