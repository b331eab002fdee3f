// Benchmark of the SWIM core in the test-only router: protocol messages sent per member per
// protocol period (the load SWIM promises stays constant as n grows), mean encoded message
// size, step throughput, and crash-detection time against the bound derived in swim.ts.
// Reads the wall clock only to time itself (marked wall-clock-ok).
// Run: npx tsx src/membership/bench.ts

import { defaultSwimConfig } from './config';
import type { SwimConfig } from './config';
import { SwimRouter } from './testing/router';
import { suspicionBounds } from './timeouts';

export interface MembershipBenchRow {
  readonly members: number;
  readonly periods: number;
  readonly messagesPerMemberPerPeriod: number;
  /** Mean JSON size of ping, ack, ping-req and nack (with their piggybacked updates). */
  readonly meanProbeMessageBytes: number;
  /** Mean JSON size of a sync (a whole member table). */
  readonly meanSyncMessageBytes: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
}

export async function runMembershipBench(print: (line: string) => void = console.log): Promise<MembershipBenchRow[]> {
  const config: SwimConfig = defaultSwimConfig;
  const rows: MembershipBenchRow[] = [];
  print('membership bench: SWIM + Lifeguard, defaults (P = 1 s, k = 3, sync every 10 periods), delay 1-50 ms, no loss');
  print('steady state after a 10-period warm-up; sizes are JSON lengths, a stand-in for a wire codec');
  print('members  periods  msgs/member/period  probe msg bytes  sync msg bytes  steps    steps/s');
  runOnce(config, 16, 300, false); // JIT warm-up, not reported
  for (const members of [5, 16, 32, 63]) {
    const periods = 500;
    const sized = runOnce(config, members, 50, true);
    const timed = runOnce(config, members, periods, false);
    const row: MembershipBenchRow = {
      members,
      periods,
      messagesPerMemberPerPeriod: timed.messages / (members * periods),
      meanProbeMessageBytes: sized.probeBytes / Math.max(1, sized.probeCount),
      meanSyncMessageBytes: sized.syncBytes / Math.max(1, sized.syncCount),
      steps: timed.steps,
      stepsPerSecond: timed.steps / (timed.elapsedMs / 1000),
    };
    rows.push(row);
    print(
      [
        String(members).padStart(7),
        String(periods).padStart(7),
        row.messagesPerMemberPerPeriod.toFixed(2).padStart(18),
        row.meanProbeMessageBytes.toFixed(0).padStart(15),
        row.meanSyncMessageBytes.toFixed(0).padStart(14),
        String(row.steps).padStart(6),
        Math.round(row.stepsPerSecond).toString().padStart(9),
      ].join('  '),
    );
  }
  printDetection(config, print);
  return rows;
}

/** Crash one member and time until every other member holds it dead, against the derived bound. */
function printDetection(config: SwimConfig, print: (line: string) => void): void {
  const P = config.protocolPeriodUs;
  print('crash detection (simulated time, 50 seeds each): crash to dead-everywhere vs the bound 2(n - 1)P + T_max');
  print('members  bound s  mean s  worst s');
  for (const members of [5, 16, 32]) {
    const ids = Array.from({ length: members }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
    const tMaxUs = suspicionBounds(config.suspicionMultiplier, config.suspicionMaxMultiplier, config.suspicionConfirmations, P, members).maxUs;
    const boundUs = 2 * (members - 1) * P + tMaxUs;
    let sumUs = 0;
    let worstUs = 0;
    const seeds = 50;
    for (let seed = 1; seed <= seeds; seed++) {
      const router = new SwimRouter({ ids, config, seed, delayUsMin: 1_000, delayUsMax: 50_000 });
      router.joinAll(0);
      const crashUs = 20 * P + ((seed * 7919) % P);
      router.runUntil(crashUs);
      router.crash('n01');
      router.runUntil(crashUs + boundUs);
      let lastUs = 0;
      for (const id of ids.slice(1)) {
        const since = router.member(id).deadSince('n01');
        lastUs = Math.max(lastUs, since === null ? Number.POSITIVE_INFINITY : since - crashUs);
      }
      sumUs += lastUs;
      worstUs = Math.max(worstUs, lastUs);
    }
    print(
      [
        String(members).padStart(7),
        (boundUs / 1e6).toFixed(1).padStart(7),
        (sumUs / seeds / 1e6).toFixed(2).padStart(6),
        (worstUs / 1e6).toFixed(2).padStart(7),
      ].join('  '),
    );
  }
}

interface RunFigures {
  messages: number;
  steps: number;
  elapsedMs: number;
  probeBytes: number;
  probeCount: number;
  syncBytes: number;
  syncCount: number;
}

function runOnce(config: SwimConfig, members: number, periods: number, measureSizes: boolean): RunFigures {
  const ids = Array.from({ length: members }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
  const router = new SwimRouter({ ids, config, seed: 7, delayUsMin: 1_000, delayUsMax: 50_000 });
  const figures: RunFigures = { messages: 0, steps: 0, elapsedMs: 0, probeBytes: 0, probeCount: 0, syncBytes: 0, syncCount: 0 };
  router.joinAll(0);
  // Past the join burst, where every member exchanges whole tables with every other once.
  router.runUntil(10 * config.protocolPeriodUs);
  if (measureSizes) {
    router.onSend = (message) => {
      const bytes = JSON.stringify(message).length;
      if (message.type === 'sync') {
        figures.syncBytes += bytes;
        figures.syncCount += 1;
      } else {
        figures.probeBytes += bytes;
        figures.probeCount += 1;
      }
    };
  }
  const sentBefore = total(router.sentByType);
  const stepsBefore = router.steps;
  const startMs = performance.now(); // wall-clock-ok
  router.runUntil((10 + periods) * config.protocolPeriodUs);
  figures.elapsedMs = performance.now() - startMs; // wall-clock-ok
  figures.messages = total(router.sentByType) - sentBefore;
  figures.steps = router.steps - stepsBefore;
  return figures;
}

function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const v of counts.values()) sum += v;
  return sum;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runMembershipBench();
}
