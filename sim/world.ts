// The simulated world: one seeded, single-threaded discrete-event loop that owns true time, the
// network, every process's clock and disk, and the processes themselves. Processes (cache nodes,
// clients, test demos) are state machines under the contract of src/host/contract.ts; the world
// feeds them inputs and carries out their effects. Everything that happens is written to the
// trace. Nothing here reads real time or real randomness: the same seed and the same calls give
// the same trace, byte for byte.

import type { DiskOp, DiskResult, HostEffect, HostInput, NodeId, NoteFields, NoteValue, Process } from '../src/host/contract';
import type { ArmedFault, CrashReport, DiskFaultRecord, SimDisk } from './disk/disk';
import type { Random } from '../src/util/random';
import { assert, unreachable } from '../src/util/assert';
import { NodeClock, type ClockSettings } from './clock/node-clock';
import { EventQueue } from './core/event-queue';
import { Network, type NetworkConfig } from './net/network';
import { describePartition, type PartitionSpec } from './net/partitions';
import type { OperatorAction } from './nemesis/schedule';
import { RngStreams, type Rng } from './rng/streams';
import { Trace, type TraceSink } from './trace/trace';

// ---------------------------------------------------------------------------------------------
// Public types

export type ProcessRole = 'server' | 'client';

export interface ProcessSpec {
  readonly id: NodeId;
  /** Servers are the cluster members that partitions cut apart; clients stay connected. */
  readonly role: ProcessRole;
  readonly clock?: ClockSettings;
  /** Whether the process has a disk (servers do; clients keep nothing). */
  readonly hasDisk: boolean;
}

export interface WorldConfig<M> {
  readonly seed: number;
  readonly processes: readonly ProcessSpec[];
  readonly network: NetworkConfig;
  /** How long a process that halted itself with mode 'restart' stays down. */
  readonly restartDelayUs: number;
  /** Messages and disk completions held for a paused process; more messages are dropped. */
  readonly pausedInboxMax: number;
  /** Builds the disk of a process that has one, from the disk's own seeded stream. */
  readonly makeDisk?: (id: NodeId, rng: Rng) => SimDisk;
  /** How a message appears in the trace; by default its `type` field if it has one. */
  readonly describeMessage?: (message: M) => NoteFields;
  readonly traceSinks: readonly TraceSink[];
}

export type ProcessStatus = 'down' | 'up' | 'paused' | 'failed-closed';

/** Builds a fresh instance of a process (at start and at every restart). */
export type ProcessFactory<M, X, O> = (context: { readonly id: NodeId; readonly random: Random }) => Process<M, X, O>;

export type OutputListener<O> = (node: NodeId, output: O, trueUs: number) => void;
export type StepObserver<M, X, O> = (world: World<M, X, O>) => void;

/** The leader as the system under test reports it to the nemesis: who, in which term, and the last index of its log. */
export interface LeaderSeen {
  readonly id: NodeId;
  readonly term: number;
  readonly lastIndex: number;
}

/** A bound on the nemesis's step watches at once (each ends by itself within a bounded time). */
export const WATCHERS_MAX = 64;

/** A bound on the effects of one step: a process that returns more is looping. */
export const EFFECTS_PER_STEP_MAX = 100_000;

// ---------------------------------------------------------------------------------------------
// The world

export class World<M, X = never, O = never> {
  readonly streams: RngStreams;
  readonly network: Network;
  readonly trace: Trace;
  private readonly queue = new EventQueue<WorldEvent<M>>();
  private readonly slots: Slot<M, X, O>[];
  private readonly slotById = new Map<NodeId, Slot<M, X, O>>();
  private readonly servers: NodeId[];
  private readonly clients: NodeId[];
  private readonly outputListeners: OutputListener<O>[] = [];
  private readonly observers: StepObserver<M, X, O>[] = [];
  /** The system's own description of a message for the trace, or null: then its `type` field if it has one. */
  private readonly describeMessage: ((message: M) => NoteFields) | null;
  private nowUs = 0;
  private stepsTaken = 0;
  private stopReason: string | null = null;
  private operatorRequest: ((action: OperatorAction) => X | null) | null = null;
  private leaderProbe: (() => LeaderSeen | null) | null = null;
  /** The nemesis's watches, called after every step until they return true (see watchSteps). */
  private watchers: (() => boolean)[] = [];
  /** Draws the order in which a resumed process reads its backlog. */
  private readonly resumeRng: Rng;
  /** The draws of timed link-loss faults, created at the first one. */
  private linkLossRng: Rng | null = null;
  /** Scratch space for the network's delivery delays (at most two copies of a message). */
  private readonly delaysUs: number[] = [0, 0];

  constructor(readonly config: WorldConfig<M>) {
    assert(config.processes.length > 0, 'a world needs at least one process');
    assert(config.restartDelayUs >= 0, 'restartDelayUs must be non-negative');
    assert(config.pausedInboxMax > 0, 'pausedInboxMax must be positive');
    this.streams = new RngStreams(config.seed);
    this.trace = new Trace(config.traceSinks);
    this.describeMessage = config.describeMessage ?? null;
    const ids = config.processes.map((p) => p.id);
    this.network = new Network(ids, config.network, this.streams.stream('network'));
    this.resumeRng = this.streams.stream('resume');
    this.servers = config.processes.filter((p) => p.role === 'server').map((p) => p.id);
    this.clients = config.processes.filter((p) => p.role === 'client').map((p) => p.id);
    this.slots = config.processes.map((spec, index) => {
      assert(!spec.hasDisk || config.makeDisk !== undefined, `process ${spec.id} has a disk but the world has no makeDisk`);
      const slot: Slot<M, X, O> = {
        spec,
        index,
        status: 'down',
        factory: null,
        process: null,
        incarnation: 0,
        random: this.streams.stream(`node:${spec.id}`),
        clock: new NodeClock(spec.clock ?? { offsetUs: 0, driftPpm: 0 }),
        monotonic: new NodeClock({ offsetUs: 0, driftPpm: spec.clock?.driftPpm ?? 0 }),
        disk: spec.hasDisk && config.makeDisk ? config.makeDisk(spec.id, this.streams.stream(`disk:${spec.id}`)) : null,
        diskBusyUntilUs: 0,
        diskWipes: 0,
        timers: new Map(),
        timerGeneration: 0,
        inbox: [],
      };
      this.slotById.set(spec.id, slot);
      return slot;
    });
  }

  // --- reading the world ---------------------------------------------------------------------

  get now(): number {
    return this.nowUs;
  }

  get steps(): number {
    return this.stepsTaken;
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  get serverIds(): readonly NodeId[] {
    return this.servers;
  }

  status(id: NodeId): ProcessStatus {
    return this.slot(id).status;
  }

  /** The node's local clock now. */
  localTime(id: NodeId): number {
    return this.slot(id).clock.localAt(this.nowUs);
  }

  /** The node's monotonic clock now (see HostInput.monoUs). */
  monotonicTime(id: NodeId): number {
    return this.slot(id).monotonic.localAt(this.nowUs);
  }

  clockOf(id: NodeId): NodeClock {
    return this.slot(id).clock;
  }

  diskOf(id: NodeId): SimDisk | null {
    return this.slot(id).disk;
  }

  /** How many times the process's disk has been wiped (replaced by an empty one). */
  diskWipes(id: NodeId): number {
    return this.slot(id).diskWipes;
  }

  /** How many times the process has crashed (its instances are numbered from 0). */
  incarnation(id: NodeId): number {
    return this.slot(id).incarnation;
  }

  /**
   * A live read-only view of a process's state (status, incarnation, instance, clock, wipes), the
   * same object for the world's whole life: for checkers that read every process after every
   * step without looking each one up by id each time.
   */
  handle(id: NodeId): ProcessHandle<M, X, O> {
    return this.slot(id);
  }

  /** The live instance of a process (for inspection by checkers), or null when it is down. */
  instance(id: NodeId): Process<M, X, O> | null {
    return this.slot(id).process;
  }

  onOutput(listener: OutputListener<O>): void {
    this.outputListeners.push(listener);
  }

  /** Called after every step: online invariant checks hook in here. */
  observe(observer: StepObserver<M, X, O>): void {
    this.observers.push(observer);
  }

  // --- controlling processes (called by scenarios, the nemesis and tests) ---------------------

  /** Registers how to build a process. Pre: not registered before. */
  define(id: NodeId, factory: ProcessFactory<M, X, O>): void {
    const slot = this.slot(id);
    assert(slot.factory === null, `process ${id} defined twice`);
    slot.factory = factory;
  }

  /** Builds the process from its factory and lets it read its disk. Pre: it is down. */
  start(id: NodeId): void {
    const slot = this.slot(id);
    assert(slot.status === 'down', `start ${id}: it is ${slot.status}, not down`);
    assert(slot.factory !== null, `start ${id}: no factory defined`);
    slot.process = slot.factory({ id, random: slot.random });
    slot.status = 'up';
    const localUs = slot.clock.localAt(this.nowUs);
    this.trace.emit(this.nowUs, localUs, id, 'start', { incarnation: slot.incarnation });
    this.feed(slot, { kind: 'start', nowUs: localUs, monoUs: slot.monotonic.localAt(this.nowUs) });
  }

  /** Kills the process: its volatile state, timers and pending inputs are gone; its disk loses what was not durable. */
  crash(id: NodeId, cause: string): void {
    const slot = this.slot(id);
    if (slot.status === 'down' || slot.status === 'failed-closed') return;
    this.kill(slot);
    const report = slot.disk ? slot.disk.crash() : null;
    this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'crash', { cause, ...(report ? describeCrash(report) : {}) });
  }

  /** Crash followed at once by a start: the process comes back from whatever its disk kept. */
  restart(id: NodeId): void {
    this.crash(id, 'restart');
    if (this.slot(id).status === 'down') this.start(id);
  }

  /** A process frozen in place (a GC stall, SIGSTOP): it receives nothing and fires no timers. */
  pause(id: NodeId): void {
    const slot = this.slot(id);
    if (slot.status !== 'up') return;
    slot.status = 'paused';
    this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'pause', {});
  }

  /**
   * Resumes a paused process: what arrived while it was frozen is delivered, then its due timers
   * fire. Each sender's messages keep their order (one connection each), but which sender's
   * backlog the process reads next is a seeded draw, as a real event loop picks among ready
   * sockets: a request from a client may be read before the message that deposed its leader.
   */
  resume(id: NodeId): void {
    const slot = this.slot(id);
    if (slot.status !== 'paused') return;
    slot.status = 'up';
    this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'resume', { held: slot.inbox.length });
    for (const event of this.interleaveBySender(slot.inbox)) this.push(this.nowUs, event);
    slot.inbox = [];
    this.rescheduleTimers(slot);
  }

  /** The disk is replaced by an empty one. Pre: the process is down (wiping a running disk is not a fault we model). */
  wipeDisk(id: NodeId): void {
    const slot = this.slot(id);
    assert(slot.status === 'down' || slot.status === 'failed-closed', `wipe ${id}: it must be down`);
    assert(slot.disk !== null, `wipe ${id}: it has no disk`);
    slot.disk.wipe();
    slot.diskWipes++;
    if (slot.status === 'failed-closed') slot.status = 'down';
    this.trace.emit(this.nowUs, null, id, 'fault', { fault: 'disk-wiped' });
  }

  /** Arms a one-shot fault for the node's next matching disk operation. */
  armDiskFault(id: NodeId, fault: ArmedFault): void {
    const disk = this.slot(id).disk;
    assert(disk !== null, `arm disk fault on ${id}: it has no disk`);
    disk.arm(fault);
  }

  partition(spec: PartitionSpec): { ok: true } | { ok: false; error: string } {
    const result = this.network.partition(spec, this.servers, this.clients);
    if (result.ok) {
      this.trace.emit(this.nowUs, null, null, 'partition', {
        spec: describePartition(spec),
        groups: this.network.connectedGroups(this.servers).map((g) => g.join(' ')).join(' | '),
      });
    }
    return result;
  }

  heal(): void {
    this.network.heal();
    this.trace.emit(this.nowUs, null, null, 'heal', {});
  }

  /** A timed loss fault on these directed links (null: every link); see Network.setLinkLoss. */
  setLinkLoss(probability: number, links: readonly { readonly from: NodeId; readonly to: NodeId }[] | null): void {
    this.network.setLinkLoss(probability, links, (this.linkLossRng ??= this.streams.stream('link-loss')));
    this.trace.emit(this.nowUs, null, null, 'fault', { fault: 'link-loss', probability, links: links === null ? 'all' : links.map((l) => `${l.from}>${l.to}`).join(' ') });
  }

  endLinkLoss(): void {
    this.network.endLinkLoss();
    this.trace.emit(this.nowUs, null, null, 'fault', { fault: 'link-loss-end' });
  }

  /** The node's clock steps by deltaUs (negative: backward); its timers are re-placed in true time. */
  jumpClock(id: NodeId, deltaUs: number): void {
    const slot = this.slot(id);
    slot.clock.jump(this.nowUs, deltaUs);
    this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'clock', { jumpUs: deltaUs, offsetUs: slot.clock.offsetAt(this.nowUs) });
    this.rescheduleTimers(slot);
  }

  setClockDrift(id: NodeId, driftPpm: number): void {
    const slot = this.slot(id);
    slot.clock.setDrift(this.nowUs, driftPpm);
    slot.monotonic.setDrift(this.nowUs, driftPpm);
    this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'clock', { driftPpm, offsetUs: slot.clock.offsetAt(this.nowUs) });
    this.rescheduleTimers(slot);
  }

  /** The environment asks a process something now (the workload invoking a client). Returns false if it is not up. */
  external(id: NodeId, request: X, describe: NoteFields = {}): boolean {
    const slot = this.slot(id);
    if (slot.status !== 'up') return false;
    const localUs = slot.clock.localAt(this.nowUs);
    this.trace.emit(this.nowUs, localUs, id, 'external', describe);
    this.feed(slot, { kind: 'external', request, nowUs: localUs, monoUs: slot.monotonic.localAt(this.nowUs) });
    return true;
  }

  /** How operator actions (leadership transfer, graceful shutdown) become requests to a process. */
  setOperator(toRequest: (action: OperatorAction) => X | null): void {
    this.operatorRequest = toRequest;
  }

  /** How the nemesis finds the current leader (faults aimed at it); a system without leaders sets none. */
  setLeaderProbe(probe: () => LeaderSeen | null): void {
    this.leaderProbe = probe;
  }

  leader(): NodeId | null {
    return this.leaderProbe?.()?.id ?? null;
  }

  leaderSeen(): LeaderSeen | null {
    return this.leaderProbe?.() ?? null;
  }

  /** Calls check after every step (after the observers) from now on, until it returns true. */
  watchSteps(check: () => boolean): void {
    assert(this.watchers.length < WATCHERS_MAX, `more than ${WATCHERS_MAX} step watches at once`);
    this.watchers.push(check);
  }

  /** Whether the current partition lets messages pass between the two processes both ways. */
  connected(a: NodeId, b: NodeId): boolean {
    return !this.network.isBlocked(a, b) && !this.network.isBlocked(b, a);
  }

  /** Asks a process to carry out an operator action. False if it is not up or the system has no such action. */
  operate(id: NodeId, action: OperatorAction): boolean {
    const request = this.operatorRequest?.(action) ?? null;
    return request !== null && this.external(id, request, { operator: action.kind });
  }

  /** Runs `action` at true time atUs (after everything already scheduled for that instant). */
  at(atUs: number, action: () => void): void {
    assert(atUs >= this.nowUs, `cannot schedule in the past: ${atUs} < ${this.nowUs}`);
    this.push(atUs, { kind: 'action', action });
  }

  /** Records a fault or violation found by someone outside the world (the nemesis, a checker). */
  record(kind: 'fault' | 'violation', node: NodeId | null, fields: NoteFields): void {
    this.trace.emit(this.nowUs, node === null ? null : this.slot(node).clock.localAt(this.nowUs), node, kind, fields);
  }

  // --- running ---------------------------------------------------------------------------------

  /** Why the run was stopped early (a checker found a violation), or null. */
  get stopped(): string | null {
    return this.stopReason;
  }

  /** Stops the run after the current step: runUntil and runUntilIdle return, step() refuses. */
  stop(reason: string): void {
    if (this.stopReason === null) this.stopReason = reason;
  }

  /** Runs one event. Returns false when nothing is left to run or the run was stopped. */
  step(): boolean {
    if (this.queue.size === 0 || this.stopReason !== null) return false;
    const timeUs = this.queue.peekTimeUs();
    const event = this.queue.pop();
    assert(timeUs >= this.nowUs, 'time went backward');
    this.nowUs = timeUs;
    this.stepsTaken++;
    this.dispatch(event);
    for (let i = 0; i < this.observers.length; i++) (this.observers[i] as StepObserver<M, X, O>)(this);
    if (this.watchers.length > 0) this.runWatchers();
    return true;
  }

  /** Runs every event up to and including true time endUs (at most eventsMax of them), then sets the time to endUs. */
  runUntil(endUs: number, eventsMax: number = Number.MAX_SAFE_INTEGER): number {
    let ran = 0;
    while (this.queue.size > 0 && this.queue.peekTimeUs() <= endUs && ran < eventsMax && this.stopReason === null) {
      this.step();
      ran++;
    }
    if (ran < eventsMax && endUs > this.nowUs && this.stopReason === null) this.nowUs = endUs;
    return ran;
  }

  /** Runs until no event is left or eventsMax have run. Returns how many ran. */
  runUntilIdle(eventsMax: number): number {
    let ran = 0;
    while (ran < eventsMax && this.step()) ran++;
    return ran;
  }

  /** Ends the run: flushes the trace sinks. */
  close(): void {
    this.trace.close();
  }

  // --- internals -------------------------------------------------------------------------------

  private slot(id: NodeId): Slot<M, X, O> {
    const slot = this.slotById.get(id);
    if (slot === undefined) assert(false, `unknown process "${id}"`);
    return slot;
  }

  /** Runs the step watches, keeping those not done (and any a watch added meanwhile). */
  private runWatchers(): void {
    const current = this.watchers;
    this.watchers = [];
    const kept = current.filter((check) => !check());
    this.watchers = kept.concat(this.watchers);
  }

  private push(atUs: number, event: WorldEvent<M>): void {
    this.queue.push(atUs, event);
  }

  private dispatch(event: WorldEvent<M>): void {
    switch (event.kind) {
      case 'deliver':
        return this.deliver(event);
      case 'timer':
        return this.fireTimer(event);
      case 'disk':
        return this.completeDisk(event);
      case 'action':
        return event.action();
      default:
        unreachable(event, 'world event');
    }
  }

  private deliver(event: DeliverEvent<M>): void {
    const slot = this.slots[event.to] as Slot<M, X, O>;
    const from = this.network.processIds[event.from] as NodeId;
    if (slot.status === 'down' || slot.status === 'failed-closed') {
      this.network.stats.droppedDown++;
      if (this.trace.enabled) this.trace.emit(this.nowUs, null, slot.spec.id, 'drop', this.withMessage({ from, reason: 'down' }, event.message));
      return;
    }
    if (!this.network.admits(event.from, event.to)) {
      if (this.trace.enabled) this.trace.emit(this.nowUs, null, slot.spec.id, 'drop', this.withMessage({ from, reason: 'partition' }, event.message));
      return;
    }
    if (slot.status === 'paused') return this.hold(slot, event);
    this.network.stats.delivered++;
    const localUs = slot.clock.localAt(this.nowUs);
    if (this.trace.enabled) this.trace.emit(this.nowUs, localUs, slot.spec.id, 'deliver', this.deliverFields(from, event.message));
    this.feed(slot, { kind: 'message', from, message: event.message, nowUs: localUs, monoUs: slot.monotonic.localAt(this.nowUs) });
  }

  private fireTimer(event: TimerEvent): void {
    const slot = this.slots[event.node] as Slot<M, X, O>;
    if (slot.incarnation !== event.incarnation) return;
    const timer = slot.timers.get(event.name);
    // A newer setTimer, a cancel or a reschedule after a clock change superseded this event.
    if (timer === undefined || timer.generation !== event.generation) return;
    // A paused process fires nothing; resume() re-places its timers and what is due fires then.
    if (slot.status !== 'up') return;
    slot.timers.delete(event.name);
    const localUs = slot.clock.localAt(this.nowUs);
    assert(localUs >= timer.atLocalUs, 'a timer fired before its local deadline');
    if (this.trace.enabled) this.trace.emit(this.nowUs, localUs, slot.spec.id, 'timer', { name: event.name });
    this.feed(slot, { kind: 'timer', name: event.name, nowUs: localUs, monoUs: slot.monotonic.localAt(this.nowUs) });
  }

  private completeDisk(event: DiskEvent): void {
    const slot = this.slots[event.node] as Slot<M, X, O>;
    if (slot.incarnation !== event.incarnation) return; // the process that asked is gone, and its operation with it
    let result = event.result;
    if (result === null) {
      // The device does the work now, whether or not the process is frozen.
      const disk = slot.disk as SimDisk;
      const done = disk.perform(event.op);
      result = done.result;
      for (const fault of done.faults) this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), slot.spec.id, 'fault', describeDiskFault(fault));
      if (slot.status === 'paused') return this.hold(slot, { ...event, result });
    } else if (slot.status === 'paused') {
      return this.hold(slot, event);
    }
    assert(slot.status === 'up', 'disk completion for a process that is not up');
    const localUs = slot.clock.localAt(this.nowUs);
    if (this.trace.enabled) this.trace.emit(this.nowUs, localUs, slot.spec.id, 'disk', describeDiskOp(event.op, result.ok, result.ok ? null : result.code));
    this.feed(slot, { kind: 'disk', opId: event.opId, result, nowUs: localUs, monoUs: slot.monotonic.localAt(this.nowUs) });
  }

  private hold(slot: Slot<M, X, O>, event: DeliverEvent<M> | DiskEvent): void {
    if (event.kind === 'deliver' && slot.inbox.length >= this.config.pausedInboxMax) {
      const from = this.network.processIds[event.from] as NodeId;
      this.trace.emit(this.nowUs, null, slot.spec.id, 'drop', this.withMessage({ from, reason: 'inbox-full' }, event.message));
      return;
    }
    slot.inbox.push(event);
  }

  /** Steps the process with one input and carries out its effects in order. */
  private feed(slot: Slot<M, X, O>, input: HostInput<M, X>): void {
    const process = slot.process;
    assert(process !== null && slot.status === 'up', 'feeding a process that is not up');
    const effects = process.step(input);
    assert(effects.length <= EFFECTS_PER_STEP_MAX, 'a process returned more than EFFECTS_PER_STEP_MAX effects in one step');
    const incarnation = slot.incarnation;
    for (let i = 0; i < effects.length; i++) {
      // A halt ends the batch: the rest belonged to a process that no longer exists.
      if (slot.incarnation !== incarnation) break;
      this.execute(slot, effects[i] as HostEffect<M, O>);
    }
  }

  private execute(slot: Slot<M, X, O>, effect: HostEffect<M, O>): void {
    const id = slot.spec.id;
    switch (effect.kind) {
      case 'send': {
        const to = this.network.indexOf(effect.to);
        if (this.trace.enabled) this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'send', this.sendFields(effect.to, effect.message));
        const copies = this.network.send(slot.index, to, this.delaysUs);
        for (let i = 0; i < copies; i++) {
          this.push(this.nowUs + (this.delaysUs[i] as number), { kind: 'deliver', from: slot.index, to, message: effect.message });
        }
        if (copies === 0 && this.trace.enabled) {
          const reason = this.network.isBlocked(id, effect.to) ? 'partition' : 'loss';
          this.trace.emit(this.nowUs, null, id, 'drop', this.withMessage({ to: effect.to, reason }, effect.message));
        }
        return;
      }
      case 'setTimer': {
        const generation = ++slot.timerGeneration;
        slot.timers.set(effect.name, { atLocalUs: effect.atLocalUs, generation });
        const atUs = slot.clock.trueTimeWhenLocalReaches(effect.atLocalUs, this.nowUs);
        this.push(atUs, { kind: 'timer', node: slot.index, incarnation: slot.incarnation, name: effect.name, generation });
        return;
      }
      case 'cancelTimer':
        slot.timers.delete(effect.name);
        return;
      case 'disk': {
        const disk = slot.disk;
        assert(disk !== null, `${id} issued a disk operation but has no disk`);
        // The operation takes effect when the device completes it, not when it is issued: one
        // still in flight at a crash never happened (a node that acts before its fsync completes
        // is caught). One queue per disk: operations complete in the order they were issued.
        const latencyUs = disk.latencyFor(effect.op);
        const doneUs = Math.max(this.nowUs, slot.diskBusyUntilUs) + latencyUs;
        slot.diskBusyUntilUs = doneUs;
        this.push(doneUs, { kind: 'disk', node: slot.index, incarnation: slot.incarnation, opId: effect.opId, op: effect.op, result: null });
        return;
      }
      case 'output':
        if (this.trace.enabled) this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'output', {});
        for (const listener of this.outputListeners) listener(id, effect.output, this.nowUs);
        return;
      case 'note':
        if (this.trace.enabled) this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'note', { event: effect.event, ...effect.fields });
        return;
      case 'halt': {
        this.trace.emit(this.nowUs, slot.clock.localAt(this.nowUs), id, 'halt', { mode: effect.mode, reason: effect.reason });
        this.crash(id, `halt: ${effect.reason}`);
        if (effect.mode === 'fail-closed') {
          slot.status = 'failed-closed';
        } else {
          const incarnation = slot.incarnation;
          this.at(this.nowUs + this.config.restartDelayUs, () => {
            // Only if nobody else restarted or failed it meanwhile.
            if (slot.incarnation === incarnation && slot.status === 'down') this.start(id);
          });
        }
        return;
      }
      default:
        unreachable(effect, 'effect');
    }
  }

  /**
   * A send's fields, { to, type }, as withMessage({ to }, message) gives them (same keys, same
   * order), built as one literal: adding `type` to a one-key object afterwards gives it a separate
   * property store, one more object kept for each of the trace's ~90 000 sends per run.
   */
  private sendFields(to: NodeId, message: M): NoteFields {
    if (this.describeMessage !== null) return this.withMessage({ to }, message);
    const type = typeOfMessage(message);
    return type === null ? { to } : { to, type };
  }

  /** A delivery's fields, { from, type }: see sendFields. */
  private deliverFields(from: NodeId, message: M): NoteFields {
    if (this.describeMessage !== null) return this.withMessage({ from }, message);
    const type = typeOfMessage(message);
    return type === null ? { from } : { from, type };
  }

  /**
   * The fields given, followed by the message's description: the same keys in the same order as
   * spreading the description into them, without building the description as an object of its own
   * (every send and delivery is traced: this is a hot path).
   */
  private withMessage(fields: Record<string, NoteValue>, message: M): NoteFields {
    if (this.describeMessage !== null) return Object.assign(fields, this.describeMessage(message));
    const type = typeOfMessage(message);
    if (type !== null) fields.type = type;
    return fields;
  }

  private kill(slot: Slot<M, X, O>): void {
    slot.process = null;
    slot.status = 'down';
    slot.incarnation++;
    slot.timers.clear();
    slot.inbox = [];
    slot.diskBusyUntilUs = 0;
  }

  /** Held events in a seeded order that keeps each sender's (and the disk's) own order. */
  private interleaveBySender(held: readonly (DeliverEvent<M> | DiskEvent)[]): (DeliverEvent<M> | DiskEvent)[] {
    const queues = new Map<number, (DeliverEvent<M> | DiskEvent)[]>();
    for (const event of held) {
      const source = event.kind === 'deliver' ? event.from : -1; // -1: the disk, one queue
      const queue = queues.get(source) ?? [];
      queue.push(event);
      queues.set(source, queue);
    }
    const sources = [...queues.values()];
    const out: (DeliverEvent<M> | DiskEvent)[] = [];
    // Bounded: each round removes one event.
    while (sources.length > 0) {
      const i = this.resumeRng.int(sources.length);
      const queue = sources[i] as (DeliverEvent<M> | DiskEvent)[];
      out.push(queue.shift() as DeliverEvent<M> | DiskEvent);
      if (queue.length === 0) sources.splice(i, 1);
    }
    assert(out.length === held.length, 'interleaving lost an event');
    return out;
  }

  /** After a clock change or a resume: every pending timer is placed again in true time. */
  private rescheduleTimers(slot: Slot<M, X, O>): void {
    // Map iteration follows insertion order, which the process's deterministic effects fixed.
    for (const [name, timer] of slot.timers) {
      const generation = ++slot.timerGeneration;
      timer.generation = generation;
      const atUs = slot.clock.trueTimeWhenLocalReaches(timer.atLocalUs, this.nowUs);
      this.push(atUs, { kind: 'timer', node: slot.index, incarnation: slot.incarnation, name, generation });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** What World.handle shows of a process: read-only, always current. */
export interface ProcessHandle<M, X, O> {
  readonly status: ProcessStatus;
  readonly incarnation: number;
  readonly process: Process<M, X, O> | null;
  readonly clock: NodeClock;
  /** The node's monotonic clock: the same oscillator (drift) as `clock`, but jumps never step it. */
  readonly monotonic: NodeClock;
  readonly diskWipes: number;
}

interface Slot<M, X, O> extends ProcessHandle<M, X, O> {
  readonly spec: ProcessSpec;
  readonly index: number;
  status: ProcessStatus;
  factory: ProcessFactory<M, X, O> | null;
  process: Process<M, X, O> | null;
  /** Bumped at every crash, so that completions and timers of a dead instance are ignored. */
  incarnation: number;
  readonly random: Rng;
  readonly clock: NodeClock;
  readonly monotonic: NodeClock;
  readonly disk: SimDisk | null;
  diskBusyUntilUs: number;
  /** How many times the disk was replaced by an empty one. */
  diskWipes: number;
  readonly timers: Map<string, { atLocalUs: number; generation: number }>;
  timerGeneration: number;
  /** What arrived while paused, in arrival order. */
  inbox: (DeliverEvent<M> | DiskEvent)[];
}

interface DeliverEvent<M> {
  readonly kind: 'deliver';
  readonly from: number;
  readonly to: number;
  readonly message: M;
}

interface TimerEvent {
  readonly kind: 'timer';
  readonly node: number;
  readonly incarnation: number;
  readonly name: string;
  readonly generation: number;
}

interface DiskEvent {
  readonly kind: 'disk';
  readonly node: number;
  readonly incarnation: number;
  readonly opId: number;
  readonly op: DiskOp;
  /** Null until the device has performed the operation (at the event's time). */
  readonly result: DiskResult | null;
}

type WorldEvent<M> = DeliverEvent<M> | TimerEvent | DiskEvent | { readonly kind: 'action'; readonly action: () => void };

/** A message's `type` field when it is a string (how the trace names a message by default), else null. */
function typeOfMessage(message: unknown): string | null {
  if (typeof message === 'object' && message !== null && 'type' in message) {
    const type = (message as { type: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return null;
}

/** A completed disk operation for the trace: what it was, then how it ended (one object, built in one go). */
function describeDiskOp(op: DiskOp, ok: boolean, code: string | null): NoteFields {
  switch (op.op) {
    case 'write':
    case 'append':
      return { op: op.op, path: op.path, bytes: op.data.length, ok, code };
    case 'rename':
      return { op: op.op, path: op.from, to: op.to, ok, code };
    case 'fsyncDir':
    case 'list':
      return { op: op.op, path: op.dir, ok, code };
    case 'read':
      return { op: op.op, path: op.path, bytes: op.length, ok, code };
    default:
      return { op: op.op, path: op.path, ok, code };
  }
}

function describeDiskFault(fault: DiskFaultRecord): NoteFields {
  return { fault: fault.kind, path: fault.path, cause: fault.cause, ...fault.fields };
}

/** The counts of a crash report (its per-write list is for tests; the trace keeps it short). */
function describeCrash(report: CrashReport): NoteFields {
  return {
    keptWrites: report.keptWrites,
    tornWrites: report.tornWrites,
    lostWrites: report.lostWrites,
    lostBytes: report.lostBytes,
    vanished: report.vanished.length > 0 ? report.vanished.join(' ') : null,
    reappeared: report.reappeared.length > 0 ? report.reappeared.join(' ') : null,
  };
}
