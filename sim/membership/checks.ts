// The end-of-run judgement of a SWIM cluster: completeness, accuracy and convergence, each a
// Verdict whose one-line summary names the nodes and times of the first failure, plus the figures
// the benchmark reports (detection times, false positives per member-hour, settling times).
// It reads recorded data only (view changes, probe ticks, the fault timeline): it must never run
// or inspect the world, and never hard-codes a time bound (they come from bounds.ts).
//
//   completeness  For every crash of M that lasts long enough, every member O up in that window
//                 holds M dead (or left) by its detection deadline: O's 2(n - 1)-th probe tick
//                 after max(crash, O's start), plus T_max, plus any time O spent paused then.
//   accuracy      An accusation (O's view of M turns suspect or dead) is FALSE when M is up and
//                 no disturbance excuses it: no partition, and neither O nor M down or paused,
//                 from the disturbance's start until its settling deadline (see settleDeadline).
//                 Message loss excuses nothing. With no loss on any link (neither configured nor
//                 a timed link-loss fault in force, or settling after one), a false death fails
//                 the check. With or without loss,
//                 a false accusation must be refuted (O sees M alive at a higher incarnation) by
//                 the settling deadline counted from the accusation.
//   convergence   After every heal, resume or restart that leaves no fault in force, all members
//                 that are up agree (each sees each alive at the incarnation the member itself
//                 holds) by the settling deadline, unless a new fault comes first. The last such
//                 point must be judged: a run that ends too early is 'unknown', not 'pass'.

import type { NodeId } from '../../src/host/contract';
import { assert } from '../../src/util/assert';
import type { Verdict } from '../runner/artifact';
import type { SwimBounds } from './bounds';
import { crashesOf, instancesOf, intervalsOf, overlapUs, stateAt, type FaultTimeline, type Interval } from './faults';
import type { ViewChange, ViewStatus } from './recorder';

export interface SwimRunData {
  readonly servers: readonly NodeId[];
  /** Whether any link may lose messages (network config): false deaths are then tolerated if refuted. */
  readonly lossy: boolean;
  readonly changes: readonly ViewChange[];
  readonly ticks: ReadonlyMap<NodeId, readonly number[]>;
  readonly faults: FaultTimeline;
}

export interface Detection {
  readonly crashed: NodeId;
  readonly observer: NodeId;
  readonly crashUs: number;
  /** When the observer's view last turned dead before the deadline; null if it never did. */
  readonly deadUs: number | null;
  readonly deadlineUs: number;
  readonly ok: boolean;
}

export type RefutationOutcome = 'refuted' | 'late' | 'unrefuted' | 'not-judged';

export interface FalseAccusation {
  readonly observer: NodeId;
  readonly subject: NodeId;
  readonly trueUs: number;
  readonly status: 'suspect' | 'dead';
  readonly incarnation: number;
  readonly refutedUs: number | null;
  readonly deadlineUs: number | null;
  readonly outcome: RefutationOutcome;
}

export type SettlingOutcome = 'converged' | 'late' | 'superseded' | 'run-ended';

export interface Settling {
  readonly healUs: number;
  readonly convergedUs: number | null;
  readonly deadlineUs: number | null;
  readonly outcome: SettlingOutcome;
}

export interface SwimFigures {
  readonly detections: readonly Detection[];
  readonly falseAccusations: readonly FalseAccusation[];
  readonly settlings: readonly Settling[];
  readonly memberHours: number;
  readonly falseSuspicions: number;
  readonly falseDeaths: number;
}

export interface SwimJudgement {
  readonly verdicts: Verdict[];
  readonly figures: SwimFigures;
}

export function judgeSwim(data: SwimRunData, bounds: SwimBounds): SwimJudgement {
  assert(data.servers.length === bounds.members, 'bounds must be for the cluster judged');
  const run = new RunIndex(data, bounds);
  const detections = detect(run);
  const falseAccusations = accusations(run);
  const settlings = settle(run);
  const memberHours = (data.servers.length * data.faults.endUs) / 3_600_000_000;
  const figures: SwimFigures = {
    detections,
    falseAccusations,
    settlings,
    memberHours,
    falseSuspicions: falseAccusations.filter((a) => a.status === 'suspect').length,
    falseDeaths: falseAccusations.filter((a) => a.status === 'dead').length,
  };
  return {
    verdicts: [completenessVerdict(run, detections), accuracyVerdict(run, figures), convergenceVerdict(run, settlings)],
    figures,
  };
}

// ---------------------------------------------------------------------------------------------
// Completeness

function detect(run: RunIndex): Detection[] {
  const out: Detection[] = [];
  const { faults, servers } = run.data;
  for (const crashed of servers) {
    for (const down of crashesOf(faults, crashed)) {
      for (const observer of servers) {
        if (observer === crashed) continue;
        for (const life of instancesOf(faults, observer)) {
          const d = detectionIn(run, crashed, down, observer, life);
          if (d !== null) out.push(d);
        }
      }
    }
  }
  return out;
}

/** The judged detection of one crash by one life of an observer, or null when not judgeable. */
function detectionIn(run: RunIndex, crashed: NodeId, down: Interval, observer: NodeId, life: Interval): Detection | null {
  if (life.toUs <= down.fromUs || life.fromUs >= down.toUs) return null;
  const fromUs = Math.max(down.fromUs, life.fromUs);
  const suspectByUs = run.tickAfter(observer, fromUs, run.bounds.detectionTicks);
  if (suspectByUs === null || suspectByUs >= life.toUs) return null;
  const paused = intervalsOf(run.data.faults, observer, 'paused');
  const deadlineUs = suspectByUs + run.bounds.suspicionMaxUs + overlapUs(paused, suspectByUs, suspectByUs + run.bounds.suspicionMaxUs);
  if (deadlineUs >= Math.min(down.toUs, life.toUs, run.data.faults.endUs)) return null;
  const view = run.viewAt(observer, crashed, deadlineUs);
  const ok = view.status === 'dead' || view.status === 'left';
  return { crashed, observer, crashUs: down.fromUs, deadUs: ok ? view.sinceUs : null, deadlineUs, ok };
}

function completenessVerdict(run: RunIndex, detections: readonly Detection[]): Verdict {
  const check = 'swim-completeness';
  const b = run.bounds;
  const rule = `${b.detectionTicks} probe periods + T_max ${sec(b.suspicionMaxUs)}`;
  if (detections.length === 0) return { check, verdict: 'pass', summary: `no crash lasted long enough to judge (bound: ${rule})` };
  const late = detections.filter((d) => !d.ok);
  const first = late[0];
  if (first !== undefined) {
    const view = run.viewAt(first.observer, first.crashed, first.deadlineUs);
    return {
      check,
      verdict: 'fail',
      summary:
        `${late.length} of ${detections.length} detections late; first: ${first.observer} still held ${first.crashed} ${view.status}@${view.incarnation} ` +
        `at ${sec(first.deadlineUs)}, ${sec(first.deadlineUs - first.crashUs)} after ${first.crashed} crashed at ${sec(first.crashUs)} (bound: ${rule})`,
      detail: late.slice(0, 20),
    };
  }
  const crashes = new Set(detections.map((d) => `${d.crashed}@${d.crashUs}`)).size;
  let slowest = detections[0] as Detection;
  for (const d of detections) if ((d.deadUs as number) - d.crashUs > (slowest.deadUs as number) - slowest.crashUs) slowest = d;
  return {
    check,
    verdict: 'pass',
    summary:
      `${crashes} crash(es), ${detections.length} observers: each held the crashed member dead within the bound (${rule}); ` +
      `slowest ${slowest.observer} on ${slowest.crashed} after ${sec((slowest.deadUs as number) - slowest.crashUs)}, bound there ${sec(slowest.deadlineUs - slowest.crashUs)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Accuracy

function accusations(run: RunIndex): FalseAccusation[] {
  const out: FalseAccusation[] = [];
  const { faults } = run.data;
  for (const [observer, subject, list] of run.pairs()) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as ViewChange;
      if (c.status !== 'suspect' && c.status !== 'dead') continue;
      const prev = i > 0 ? (list[i - 1] as ViewChange) : null;
      if (prev !== null && prev.status === c.status && prev.incarnation === c.incarnation) continue;
      if (stateAt(faults, subject, c.trueUs) !== 'up') continue; // a true accusation
      if (run.excused(observer, subject, c.trueUs)) continue;
      let refutedUs: number | null = null;
      for (let j = i + 1; j < list.length; j++) {
        const later = list[j] as ViewChange;
        if (later.status === 'alive' && later.incarnation > c.incarnation) {
          refutedUs = later.trueUs;
          break;
        }
      }
      const deadlineUs = run.settleDeadline(c.trueUs);
      out.push({ observer, subject, trueUs: c.trueUs, status: c.status, incarnation: c.incarnation, refutedUs, deadlineUs, outcome: refutation(run, observer, subject, c.trueUs, refutedUs, deadlineUs) });
    }
  }
  out.sort((a, b) => a.trueUs - b.trueUs || cmp(a.observer, b.observer) || cmp(a.subject, b.subject));
  return out;
}

function refutation(run: RunIndex, observer: NodeId, subject: NodeId, atUs: number, refutedUs: number | null, deadlineUs: number | null): RefutationOutcome {
  if (refutedUs !== null && (deadlineUs === null || refutedUs <= deadlineUs)) return 'refuted';
  if (deadlineUs === null) return 'not-judged';
  // A new fault before the deadline interrupts the refutation; it is not this accusation's fault.
  const interruptedUs = run.nextDisturbance(atUs, [observer, subject]);
  if (interruptedUs !== null && interruptedUs <= deadlineUs) return 'not-judged';
  return refutedUs === null ? 'unrefuted' : 'late';
}

function accuracyVerdict(run: RunIndex, figures: SwimFigures): Verdict {
  const check = 'swim-accuracy';
  const { falseAccusations: list, memberHours } = figures;
  const rates =
    `${figures.falseSuspicions} false suspicion(s), ${figures.falseDeaths} false death(s) in ${memberHours.toFixed(3)} member-hours ` +
    `(${rate(figures.falseSuspicions, memberHours)} and ${rate(figures.falseDeaths, memberHours)} per member-hour)`;
  const healthyDeath = list.find((a) => a.status === 'dead' && !run.lossyAt(a.trueUs));
  if (healthyDeath !== undefined) {
    return {
      check,
      verdict: 'fail',
      summary: `${healthyDeath.observer} declared ${healthyDeath.subject} dead@${healthyDeath.incarnation} at ${sec(healthyDeath.trueUs)} while it was up and the network healthy (no loss, no partition); ${rates}`,
      detail: list.slice(0, 20),
    };
  }
  const bad = list.filter((a) => a.outcome === 'late' || a.outcome === 'unrefuted');
  const first = bad[0];
  if (first !== undefined) {
    const what = first.outcome === 'late' ? `refuted only at ${sec(first.refutedUs as number)}` : 'never refuted';
    return {
      check,
      verdict: 'fail',
      summary: `${first.observer} ${first.status === 'dead' ? 'declared' : 'suspected'} ${first.subject} ${first.status}@${first.incarnation} at ${sec(first.trueUs)} while it was up; ${what}, deadline ${sec(first.deadlineUs as number)}; ${rates}`,
      detail: bad.slice(0, 20),
    };
  }
  const judged = list.filter((a) => a.outcome === 'refuted').length;
  return { check, verdict: 'pass', summary: `${rates}; ${judged} refuted in time, ${list.length - judged} cut short by a later fault or the end of the run` };
}

// ---------------------------------------------------------------------------------------------
// Convergence

function settle(run: RunIndex): Settling[] {
  const { faults, servers } = run.data;
  const heals = new Set<number>();
  for (const p of [...faults.partitions, ...faults.losses]) if (p.toUs < faults.endUs) heals.add(p.toUs);
  for (const id of servers) {
    const list = faults.states.get(id) ?? [];
    for (const change of list) if (change.state === 'up') heals.add(change.trueUs);
  }
  const out: Settling[] = [];
  for (const healUs of [...heals].sort((a, b) => a - b)) {
    if (run.faultInForce(healUs)) continue;
    const deadlineUs = run.settleDeadline(healUs);
    const nextFaultUs = run.nextDisturbance(healUs, null);
    const agreedUs = run.agreementFrom(healUs);
    let outcome: SettlingOutcome;
    if (agreedUs !== null && (deadlineUs === null || agreedUs <= deadlineUs) && (nextFaultUs === null || agreedUs <= nextFaultUs)) outcome = 'converged';
    else if (nextFaultUs !== null && (deadlineUs === null || nextFaultUs < deadlineUs)) outcome = 'superseded';
    else if (deadlineUs === null) outcome = 'run-ended';
    else outcome = 'late';
    out.push({ healUs, convergedUs: outcome === 'converged' ? agreedUs : null, deadlineUs, outcome });
  }
  return out;
}

function convergenceVerdict(run: RunIndex, settlings: readonly Settling[]): Verdict {
  const check = 'swim-convergence';
  const b = run.bounds;
  const rule = `T_max ${sec(b.suspicionMaxUs)} + ${b.settleTicks} probe periods`;
  if (!b.syncEnabled) return { check, verdict: 'unknown', summary: 'periodic sync is off (syncEveryPeriods = 0): a healed partition has no convergence bound' };
  const late = settlings.find((s) => s.outcome === 'late');
  if (late !== undefined) {
    const deadlineUs = late.deadlineUs as number;
    const gaps = run.disagreementsAt(deadlineUs);
    return {
      check,
      verdict: 'fail',
      summary: `views still disagree at ${sec(deadlineUs)}, ${sec(deadlineUs - late.healUs)} after the heal at ${sec(late.healUs)} (bound: ${rule}): ${gaps.slice(0, 3).join('; ')}${gaps.length > 3 ? `; and ${gaps.length - 3} more` : ''}`,
      detail: { settling: late, disagreements: gaps.slice(0, 50) },
    };
  }
  const endUs = run.data.faults.endUs;
  if (run.faultInForce(endUs)) return { check, verdict: 'unknown', summary: `a partition or a pause is still in force at the end of the run (${sec(endUs)}): nothing to converge to` };
  const final = settlings[settlings.length - 1];
  const finalDeadlineUs = final === undefined ? null : run.settleDeadline(final.healUs);
  // A last heal whose bound lies past the end (probe periods stretched by Lifeguard's local
  // health) is still judged if the views agreed after it: they converged before the run ended.
  if (final === undefined || (finalDeadlineUs === null && final.outcome !== 'converged')) {
    const fromUs = final?.healUs ?? 0;
    // What had not settled yet, so that a reader can tell a slow convergence from a stuck one.
    const gaps = run.disagreementsAt(endUs);
    const pending = gaps.length === 0 ? '' : `; still apart at the end: ${gaps.slice(0, 3).join('; ')}${gaps.length > 3 ? `; and ${gaps.length - 3} more` : ''}`;
    return {
      check,
      verdict: 'unknown',
      summary: `the run ended ${sec(endUs - fromUs)} after the last heal at ${sec(fromUs)}, before the bound (${rule}) could be judged: run longer${pending}`,
      ...(gaps.length === 0 ? {} : { detail: { disagreements: gaps.slice(0, 50) } }),
    };
  }
  // The final healing period: once the last heal has had its bound, the views must agree at
  // least once before the run ends (with loss, a fresh false suspicion may be in flight at the end).
  if (finalDeadlineUs !== null && !run.agreesWithin(finalDeadlineUs, endUs)) {
    const gaps = run.disagreementsAt(endUs);
    return {
      check,
      verdict: 'fail',
      summary: `views never agreed from ${sec(finalDeadlineUs)} (the bound after the last heal at ${sec(final.healUs)}) to the end at ${sec(endUs)}: ${gaps.slice(0, 3).join('; ')}${gaps.length > 3 ? `; and ${gaps.length - 3} more` : ''}`,
      detail: { disagreements: gaps.slice(0, 50) },
    };
  }
  const converged = settlings.filter((s) => s.outcome === 'converged');
  let slowestUs = 0;
  for (const s of converged) slowestUs = Math.max(slowestUs, (s.convergedUs as number) - s.healUs);
  return {
    check,
    verdict: 'pass',
    summary: `${converged.length} of ${settlings.length} heals judged: all live members agreed within the bound (${rule}); slowest ${sec(slowestUs)}, last heal at ${sec(final.healUs)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The recorded run, indexed for the checks

class RunIndex {
  private readonly byPair = new Map<NodeId, Map<NodeId, ViewChange[]>>();
  /** Per server: [from, until] windows excusing accusations involving it; global ones under ''. */
  private readonly excuses = new Map<NodeId, Interval[]>();
  private readonly disturbanceStarts: { readonly trueUs: number; readonly node: NodeId | null }[] = [];
  /** Each timed loss fault with its aftermath: [start, settling deadline after its end]. */
  private readonly lossWindows: Interval[] = [];
  private flips: { readonly trueUs: number; readonly agreed: boolean }[] | null = null;

  constructor(
    readonly data: SwimRunData,
    readonly bounds: SwimBounds,
  ) {
    for (const c of data.changes) {
      let row = this.byPair.get(c.observer);
      if (row === undefined) this.byPair.set(c.observer, (row = new Map()));
      let list = row.get(c.subject);
      if (list === undefined) row.set(c.subject, (list = []));
      list.push(c);
    }
    this.indexDisturbances();
  }

  /** Every (observer, subject) timeline, observer !== subject, in sorted order. */
  *pairs(): Generator<[NodeId, NodeId, readonly ViewChange[]]> {
    for (const observer of [...this.byPair.keys()].sort(cmp)) {
      const row = this.byPair.get(observer) as Map<NodeId, ViewChange[]>;
      for (const subject of [...row.keys()].sort(cmp)) if (subject !== observer) yield [observer, subject, row.get(subject) as ViewChange[]];
    }
  }

  /** What the observer believed about the subject at true time t (after everything at t). */
  viewAt(observer: NodeId, subject: NodeId, t: number): { status: ViewStatus; incarnation: number; sinceUs: number } {
    const list = this.byPair.get(observer)?.get(subject);
    if (list === undefined) return { status: 'unknown', incarnation: 0, sinceUs: 0 };
    let lo = 0;
    let hi = list.length; // first index with trueUs > t
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as ViewChange).trueUs <= t) lo = mid + 1;
      else hi = mid;
    }
    const c = lo > 0 ? (list[lo - 1] as ViewChange) : null;
    return c === null ? { status: 'unknown', incarnation: 0, sinceUs: 0 } : { status: c.status, incarnation: c.incarnation, sinceUs: c.trueUs };
  }

  /** The true time of the member's k-th probe tick strictly after t, or null if the run ended first. */
  tickAfter(id: NodeId, t: number, k: number): number | null {
    const ticks = this.data.ticks.get(id) ?? [];
    let lo = 0;
    let hi = ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ticks[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    const at = ticks[lo + k - 1];
    return at === undefined ? null : at;
  }

  /**
   * When the views must have settled after time t: T_max later, then settleTicks probe ticks of
   * every member that was running at t (the slowest decides). Null if the run ended first.
   */
  settleDeadline(t: number): number | null {
    let deadlineUs: number | null = null;
    for (const id of this.data.servers) {
      const life = instancesOf(this.data.faults, id).find((i) => i.fromUs <= t && t < i.toUs);
      if (life === undefined) continue; // down at t
      const at = this.tickAfter(id, t + this.bounds.suspicionMaxUs, this.bounds.settleTicks);
      if (at === null || at >= life.toUs) {
        // A member that crashes first leaves the agreement; one still running when the run ends
        // had no time to settle, and nothing can be judged.
        if (life.toUs < this.data.faults.endUs) continue;
        return null;
      }
      deadlineUs = deadlineUs === null ? at : Math.max(deadlineUs, at);
    }
    return deadlineUs;
  }

  /** Whether an accusation at t involving these two members lies within a disturbance or its aftermath. */
  excused(observer: NodeId, subject: NodeId, t: number): boolean {
    for (const key of ['', observer, subject]) {
      for (const w of this.excuses.get(key) ?? []) if (w.fromUs <= t && t <= w.toUs) return true;
    }
    return false;
  }

  /** Whether messages may be lost at t: configured loss, or a timed loss fault in force or settling. */
  lossyAt(t: number): boolean {
    return this.data.lossy || this.lossWindows.some((w) => w.fromUs <= t && t <= w.toUs);
  }

  /** A partition, a timed loss or a paused member at t (a crashed member is not in force: it is simply gone). */
  faultInForce(t: number): boolean {
    if (this.data.faults.partitions.some((p) => p.fromUs <= t && t < p.toUs)) return true;
    if (this.data.faults.losses.some((p) => p.fromUs <= t && t < p.toUs)) return true;
    return this.data.servers.some((id) => stateAt(this.data.faults, id, t) === 'paused');
  }

  /** The first fault that starts after t: any partition, or a crash or pause of one of `nodes` (null: of anyone). */
  nextDisturbance(t: number, nodes: readonly NodeId[] | null): number | null {
    for (const d of this.disturbanceStarts) {
      if (d.trueUs <= t) continue;
      if (d.node === null || nodes === null || nodes.includes(d.node)) return d.trueUs;
    }
    return null;
  }

  /** The first time at or after t at which every running member agrees on every running member. */
  agreementFrom(t: number): number | null {
    const flips = (this.flips ??= this.sweepAgreement());
    let agreed = true; // before anything starts there is nobody to disagree
    let i = 0;
    for (; i < flips.length && (flips[i] as { trueUs: number }).trueUs <= t; i++) agreed = (flips[i] as { agreed: boolean }).agreed;
    if (agreed) return t;
    for (; i < flips.length; i++) if ((flips[i] as { agreed: boolean }).agreed) return (flips[i] as { trueUs: number }).trueUs;
    return null;
  }

  /** Whether every running member agrees on every running member at some instant in [fromUs, toUs]. */
  agreesWithin(fromUs: number, toUs: number): boolean {
    const at = this.agreementFrom(fromUs);
    return at !== null && at <= toUs;
  }

  /** Each disagreement at time t, as "n2 sees n3 dead@0, n3 is at 1". */
  disagreementsAt(t: number): string[] {
    const out: string[] = [];
    const up = this.data.servers.filter((id) => stateAt(this.data.faults, id, t) === 'up');
    for (const o of up) {
      const self = this.viewAt(o, o, t);
      if (self.status !== 'alive') out.push(`${o} holds itself ${self.status}`);
      for (const m of up) {
        if (m === o) continue;
        const v = this.viewAt(o, m, t);
        const own = this.viewAt(m, m, t).incarnation;
        if (v.status !== 'alive' || v.incarnation !== own) out.push(`${o} sees ${m} ${v.status}@${v.incarnation}, ${m} is at ${own}`);
      }
    }
    return out;
  }

  private indexDisturbances(): void {
    const { faults, servers } = this.data;
    const global: Interval[] = [];
    for (const p of faults.partitions) {
      global.push({ fromUs: p.fromUs, toUs: this.aftermath(p.toUs) });
      this.disturbanceStarts.push({ trueUs: p.fromUs, node: null });
    }
    this.excuses.set('', global);
    // Loss excuses no accusation (refutation is judged), but it starts a disturbance that may cut one short.
    for (const l of faults.losses) {
      this.lossWindows.push({ fromUs: l.fromUs, toUs: this.aftermath(l.toUs) });
      this.disturbanceStarts.push({ trueUs: l.fromUs, node: null });
    }
    for (const id of servers) {
      const windows: Interval[] = [];
      for (const state of ['down', 'paused'] as const) {
        for (const i of state === 'down' ? crashesOf(faults, id) : intervalsOf(faults, id, state)) {
          windows.push({ fromUs: i.fromUs, toUs: this.aftermath(i.toUs) });
          this.disturbanceStarts.push({ trueUs: i.fromUs, node: id });
        }
      }
      this.excuses.set(id, windows);
    }
    this.disturbanceStarts.sort((a, b) => a.trueUs - b.trueUs || cmp(a.node ?? '', b.node ?? ''));
  }

  private aftermath(endUs: number): number {
    if (endUs >= this.data.faults.endUs) return this.data.faults.endUs;
    return this.settleDeadline(endUs) ?? this.data.faults.endUs;
  }

  /** Replays states and views in time order, noting each instant at which agreement begins or ends. */
  private sweepAgreement(): { trueUs: number; agreed: boolean }[] {
    const { servers, faults, changes } = this.data;
    type Event = { readonly trueUs: number; readonly order: number; readonly view?: ViewChange; readonly node?: NodeId; readonly up?: boolean };
    const events: Event[] = [];
    changes.forEach((view, order) => events.push({ trueUs: view.trueUs, order, view }));
    let order = changes.length;
    for (const id of servers) for (const s of faults.states.get(id) ?? []) events.push({ trueUs: s.trueUs, order: order++, node: id, up: s.state === 'up' });
    events.sort((a, b) => a.trueUs - b.trueUs || a.order - b.order);

    const up = new Set<NodeId>();
    const view = new Map<string, { status: ViewStatus; incarnation: number }>();
    const bad = new Set<string>();
    const get = (o: NodeId, m: NodeId): { status: ViewStatus; incarnation: number } => view.get(`${o}>${m}`) ?? { status: 'unknown', incarnation: 0 };
    const judgePair = (o: NodeId, m: NodeId): void => {
      const key = `${o}>${m}`;
      let wrong: boolean;
      if (!up.has(o) || !up.has(m)) wrong = false;
      else if (o === m) wrong = get(o, o).status !== 'alive';
      else {
        const v = get(o, m);
        wrong = v.status !== 'alive' || v.incarnation !== get(m, m).incarnation;
      }
      if (wrong) bad.add(key);
      else bad.delete(key);
    };
    const flips: { trueUs: number; agreed: boolean }[] = [];
    let agreed = true;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as Event;
      if (e.view !== undefined) {
        const { observer, subject } = e.view;
        view.set(`${observer}>${subject}`, { status: e.view.status, incarnation: e.view.incarnation });
        if (observer === subject) for (const o of servers) judgePair(o, subject);
        else judgePair(observer, subject);
      } else {
        const id = e.node as NodeId;
        if (e.up === true) up.add(id);
        else up.delete(id);
        for (const other of servers) {
          judgePair(id, other);
          judgePair(other, id);
        }
      }
      const next = events[i + 1];
      if (next !== undefined && next.trueUs === e.trueUs) continue; // judge an instant once it is complete
      const now = bad.size === 0;
      if (now !== agreed) {
        flips.push({ trueUs: e.trueUs, agreed: now });
        agreed = now;
      }
    }
    return flips;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sec(us: number): string {
  return `${(us / 1e6).toFixed(3)} s`;
}

function rate(count: number, memberHours: number): string {
  return memberHours > 0 ? (count / memberHours).toFixed(2) : '0.00';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
