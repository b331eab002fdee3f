import { describe, expect, it } from 'vitest';
import { HashSink, MemorySink, type TraceRecord } from './trace/trace';
import { buildDemoWorld } from './testing/demo-world';
import { DEFAULT_LINK } from './net/link';
import { SimDisk } from './disk/disk';
import { DEFAULT_DISK_CONFIG } from './disk/config';

function recordsOf(sink: MemorySink, kind: TraceRecord['kind'], node?: string): TraceRecord[] {
  return sink.records.filter((r) => r.kind === kind && (node === undefined || r.node === node));
}

describe('World: time and timers', () => {
  it('fires a timer when the LOCAL clock reaches its deadline: a fast clock ticks more often in true time', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({
      seed: 1,
      nodes: 2,
      jitterUs: 0,
      clocks: [
        { offsetUs: 0, driftPpm: 0 },
        { offsetUs: 3_000_000, driftPpm: 250_000 },
      ],
      traceSinks: [sink],
    });
    world.runUntil(1_000_000);
    const ticks1 = recordsOf(sink, 'timer', 'n1').length;
    const ticks2 = recordsOf(sink, 'timer', 'n2').length;
    expect(ticks1).toBe(100); // 10 ms ticks over 1 s
    expect(ticks2).toBe(125); // its clock runs 25% fast
    for (const r of recordsOf(sink, 'timer', 'n2')) expect(r.localUs).toBe(world.clockOf('n2').localAt(r.trueUs));
  });

  it('a backward clock jump delays pending timers and a forward jump brings them due at once', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 2, nodes: 2, jitterUs: 0, traceSinks: [sink] });
    world.runUntil(95_000); // n1's next tick is due at local 100 000
    world.jumpClock('n1', -50_000);
    world.runUntil(140_000);
    expect(recordsOf(sink, 'timer', 'n1').filter((r) => r.trueUs > 95_000)).toEqual([]);
    world.runUntil(150_000);
    expect(recordsOf(sink, 'timer', 'n1').filter((r) => r.trueUs > 95_000).map((r) => r.trueUs)).toEqual([150_000]);
    world.jumpClock('n1', 1_000_000);
    world.runUntil(150_000);
    expect(recordsOf(sink, 'timer', 'n1').filter((r) => r.trueUs > 150_000 - 1).length).toBe(2);
  });

  it('the monotonic clock runs at the local clock\'s rate but never jumps', () => {
    const world = buildDemoWorld({ seed: 3, nodes: 1, jitterUs: 0, traceSinks: [] });
    world.runUntil(100_000);
    world.jumpClock('n1', -2_000_000);
    world.setClockDrift('n1', 100_000);
    world.runUntil(200_000);
    expect(world.localTime('n1')).toBe(100_000 - 2_000_000 + 110_000);
    expect(world.monotonicTime('n1')).toBe(100_000 + 110_000);
  });
});

describe('World: processes', () => {
  it('a paused process receives nothing and fires no timers; on resume what arrived and what is due happens', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 3, nodes: 3, traceSinks: [sink] });
    world.runUntil(50_000);
    world.pause('n2');
    const pausedAt = world.now;
    world.runUntil(500_000);
    const during = sink.records.filter((r) => r.node === 'n2' && r.trueUs > pausedAt && (r.kind === 'deliver' || r.kind === 'timer'));
    expect(during).toEqual([]);
    world.resume('n2');
    world.runUntil(500_000);
    const resumed = sink.records.filter((r) => r.node === 'n2' && r.trueUs === 500_000);
    expect(resumed.filter((r) => r.kind === 'deliver').length).toBeGreaterThan(50); // pings held for 450 ms
    expect(resumed.filter((r) => r.kind === 'timer').length).toBe(1); // the overdue tick fires once
  });

  it('a message to a crashed node is lost, and a restarted node is a fresh instance', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 4, nodes: 3, traceSinks: [sink] });
    world.runUntil(100_000);
    world.crash('n3', 'test');
    expect(world.status('n3')).toBe('down');
    world.runUntil(200_000);
    expect(recordsOf(sink, 'drop', 'n3').filter((r) => r.fields.reason === 'down').length).toBeGreaterThan(0);
    expect(recordsOf(sink, 'timer', 'n3').filter((r) => r.trueUs > 100_000)).toEqual([]);
    world.start('n3');
    const outputs: number[] = [];
    world.onOutput((node, out) => node === 'n3' && outputs.push(out.pongsSeen));
    world.external('n3', { type: 'read' });
    expect(outputs).toEqual([0]); // nothing survives in memory
    world.runUntil(300_000);
    expect(recordsOf(sink, 'timer', 'n3').filter((r) => r.trueUs > 200_000).length).toBeGreaterThan(5);
  });

  it('a partition drops messages between the sides until it heals; a one-way cut works in one direction', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 5, nodes: 3, traceSinks: [sink] });
    expect(world.partition({ shape: 'isolate', node: 'n1' })).toEqual({ ok: true });
    world.runUntil(200_000);
    const delivered = recordsOf(sink, 'deliver');
    expect(delivered.filter((r) => r.node === 'n1' || r.fields.from === 'n1')).toEqual([]);
    expect(delivered.filter((r) => r.node === 'n2' && r.fields.from === 'n3').length).toBeGreaterThan(0);
    world.heal();
    world.partition({ shape: 'one-way', from: ['n1'], to: ['n2'] });
    const healedAt = world.now;
    world.runUntil(400_000);
    const after = recordsOf(sink, 'deliver').filter((r) => r.trueUs > healedAt + 50_000);
    expect(after.filter((r) => r.node === 'n2' && r.fields.from === 'n1')).toEqual([]);
    expect(after.filter((r) => r.node === 'n1' && r.fields.from === 'n2').length).toBeGreaterThan(0);
    expect(world.partition({ shape: 'isolate', node: 'n7' })).toEqual({ ok: false, error: 'partition.node: unknown node "n7" (members: n1, n2, n3)' });
  });

  it('message loss and duplication show up in the trace as drops and extra deliveries', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 6, nodes: 3, network: { defaultLink: { ...DEFAULT_LINK, lossProbability: 0.2, duplicateProbability: 0.2 }, links: [] }, traceSinks: [sink] });
    world.runUntil(1_000_000);
    const sends = recordsOf(sink, 'send').length;
    const drops = recordsOf(sink, 'drop').filter((r) => r.fields.reason === 'loss').length;
    const delivers = recordsOf(sink, 'deliver').length;
    expect(drops / sends).toBeGreaterThan(0.15);
    expect(drops / sends).toBeLessThan(0.25);
    expect(world.network.stats.duplicated).toBeGreaterThan(0);
    expect(delivers).toBeGreaterThan(sends - drops - 20); // duplicates make up for in-flight messages
  });

  it('runs one step at a time and reports idleness', () => {
    const world = buildDemoWorld({ seed: 7, nodes: 2 });
    const before = world.steps;
    expect(world.step()).toBe(true);
    expect(world.steps).toBe(before + 1);
    world.crash('n1', 'test');
    world.crash('n2', 'test');
    expect(world.runUntilIdle(1_000_000)).toBeLessThan(100); // only stale events are left
    expect(world.step()).toBe(false);
  });
});

describe('World: determinism', () => {
  it('the same seed gives the same trace hash; another seed gives another', () => {
    const run = (seed: number): string => {
      const hash = new HashSink();
      const world = buildDemoWorld({ seed, nodes: 5, network: { defaultLink: { ...DEFAULT_LINK, lossProbability: 0.05, duplicateProbability: 0.05, reorderProbability: 0.1 }, links: [] }, traceSinks: [hash] });
      world.runUntil(300_000);
      world.partition({ shape: 'bridge', left: ['n1', 'n2'], right: ['n4', 'n5'], bridge: 'n3' });
      world.pause('n4');
      world.runUntil(600_000);
      world.resume('n4');
      world.heal();
      world.runUntil(900_000);
      world.close();
      return hash.digest();
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });
});

describe('World: disks', () => {
  const withDisk = (seed: number, sink: MemorySink) =>
    buildDemoWorld({ seed, nodes: 3, traceSinks: [sink], makeDisk: (_id, rng) => new SimDisk({ ...DEFAULT_DISK_CONFIG, crash: { keepUnsynced: 0, tearUnsynced: 0 } }, rng) });

  it('a restarted process recovers exactly what it had fsync\'d and reported durable', () => {
    const sink = new MemorySink();
    const world = withDisk(8, sink);
    world.runUntil(300_000);
    const durable = recordsOf(sink, 'note', 'n1').filter((r) => r.fields.event === 'durable');
    expect(durable.length).toBeGreaterThan(10);
    world.crash('n1', 'test');
    const lastDurable = recordsOf(sink, 'note', 'n1').filter((r) => r.fields.event === 'durable').at(-1)!.fields.bytes as number;
    world.start('n1');
    world.runUntil(400_000);
    const recovered = recordsOf(sink, 'note', 'n1').filter((r) => r.fields.event === 'recovered').at(-1)!;
    // Writes still waiting for their fsync at the crash may be lost (this disk loses them all),
    // but nothing reported durable may be.
    expect(recovered.fields.bytes).toBeGreaterThanOrEqual(lastDurable);
  });

  it('disk completions reach the process in issue order, after their latency', () => {
    const sink = new MemorySink();
    const world = withDisk(9, sink);
    world.runUntil(200_000);
    const n2 = recordsOf(sink, 'disk', 'n2');
    const appends = n2.filter((r) => r.fields.op === 'append').length;
    const fsyncs = n2.filter((r) => r.fields.op === 'fsync').length;
    expect(Math.abs(appends - fsyncs)).toBeLessThanOrEqual(1); // append, fsync, append, fsync...
    n2.slice(1).forEach((r, i) => expect(r.trueUs).toBeGreaterThanOrEqual(n2[i]!.trueUs));
  });

  it('an armed fsync EIO makes the demo halt and restart itself, and the trace says so', () => {
    const sink = new MemorySink();
    const world = withDisk(10, sink);
    world.runUntil(100_000);
    world.armDiskFault('n2', { kind: 'fsync-eio' });
    world.runUntil(400_000);
    const halt = recordsOf(sink, 'halt', 'n2');
    expect(halt).toHaveLength(1);
    expect(halt[0]!.fields.reason).toBe('fsync EIO');
    expect(recordsOf(sink, 'fault', 'n2').some((r) => r.fields.fault === 'fsync-eio')).toBe(true);
    expect(recordsOf(sink, 'start', 'n2').map((r) => r.trueUs)).toEqual([0, halt[0]!.trueUs + 50_000]);
    expect(world.status('n2')).toBe('up');
  });
});
