import { describe, expect, it } from 'vitest';
import { MemorySink } from '../trace/trace';
import { buildDemoWorld } from '../testing/demo-world';
import { SimDisk } from '../disk/disk';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import { applySchedule, formatSchedule, validateSchedule, type FaultSchedule } from './schedule';

const members = ['n1', 'n2', 'n3'];

describe('fault schedule validation', () => {
  it('accepts every kind of fault and keeps them as given', () => {
    const raw = [
      { atUs: 0, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n1' } } },
      { atUs: 10, fault: { kind: 'heal' } },
      { atUs: 20, fault: { kind: 'crash', node: 'n2' } },
      { atUs: 30, fault: { kind: 'start', node: 'n2' } },
      { atUs: 40, fault: { kind: 'pause', node: 'n3' } },
      { atUs: 50, fault: { kind: 'resume', node: 'n3' } },
      { atUs: 60, fault: { kind: 'clock-jump', node: 'n1', deltaUs: -5_000 } },
      { atUs: 70, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 200 } },
      { atUs: 80, fault: { kind: 'disk-fault', node: 'n1', fault: { kind: 'fsync-eio', path: 'wal/1' } } },
      { atUs: 90, fault: { kind: 'wipe-disk', node: 'n1' } },
      { atUs: 95, fault: { kind: 'transfer-leadership' } },
      { atUs: 99, fault: { kind: 'shutdown', node: 'n2', drainUs: 300_000 } },
      { atUs: 100, fault: { kind: 'isolate-leader' } },
      { atUs: 101, fault: { kind: 'crash-leader', downUs: 500_000 } },
      { atUs: 102, fault: { kind: 'clock-drift-leader', driftPpm: -50_000 } },
      { atUs: 103, fault: { kind: 'clock-jump-leader', deltaUs: -250_000 } },
    ];
    const r = validateSchedule(raw, members);
    expect(r).toEqual({ ok: true, schedule: raw });
  });

  it('names the field of every problem', () => {
    const r = validateSchedule(
      [
        { atUs: -1, fault: { kind: 'crash', node: 'n9' } },
        { atUs: 5, fault: { kind: 'partition', spec: { shape: 'groups', groups: [['n1'], ['n7']] } } },
        { atUs: 6, fault: { kind: 'explode' } },
        { atUs: 7, fault: { kind: 'clock-drift', node: 'n1', driftPpm: 9_000_000 } },
        { atUs: 8, fault: { kind: 'disk-fault', node: 'n1', fault: { kind: 'gremlins' } } },
        { fault: { kind: 'heal' } },
      ],
      members,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'schedule[0].atUs: -1 is negative; a duration is >= 0 microseconds',
      'schedule[0].fault.node: unknown node the string "n9" (members: n1, n2, n3)',
      'schedule[1].fault.spec: groups[1]: unknown node "n7" (members: n1, n2, n3)',
      'schedule[2].fault.kind: unknown fault the string "explode" (known: partition, heal, link-loss, link-loss-end, clock-jump, clock-drift, disk-fault, crash, start, pause, resume, wipe-disk, transfer-leadership, shutdown, change-membership, isolate-leader, crash-leader, clock-drift-leader, clock-jump-leader, isolate-next-leader, blackout-next-election)',
      'schedule[3].fault.driftPpm: 9000000 is not an integer in [-500000, 500000]',
      'schedule[4].fault.fault.kind: unknown disk fault the string "gremlins" (known: fsync-eio, enospc, bit-flip, misdirected-write)',
      'schedule[5].atUs: missing',
    ]);
  });

  it('link-loss: a probability in (0, 1] on every link or on named directed links, ended by link-loss-end; bad values name the field', () => {
    const good = [
      { atUs: 0, fault: { kind: 'link-loss', probability: 0.1 } },
      { atUs: 5, fault: { kind: 'link-loss', probability: 1, links: [{ from: 'n1', to: 'n2' }, { from: 'c1', to: 'n3' }] } },
      { atUs: 9, fault: { kind: 'link-loss-end' } },
    ];
    expect(validateSchedule(good, members, 'schedule', ['c1'])).toEqual({ ok: true, schedule: good });
    const bad = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'link-loss', probability: 0 } },
        { atUs: 1, fault: { kind: 'link-loss', probability: 1.5 } },
        { atUs: 2, fault: { kind: 'link-loss' } },
        { atUs: 3, fault: { kind: 'link-loss', probability: 0.2, links: [{ from: 'n1', to: 'n9' }, { from: 'n2', to: 'n2' }] } },
        { atUs: 4, fault: { kind: 'link-loss', probability: 0.2, links: [] } },
        { atUs: 5, fault: { kind: 'link-loss', probability: 0.2, links: [{ from: 'n1', to: 'n2', loss: 1 }] } },
        { atUs: 6, fault: { kind: 'link-loss-end', probability: 0 } },
      ],
      members,
    );
    expect(bad).toEqual({
      ok: false,
      errors: [
        'schedule[0].fault.probability: 0 is outside (0, 1] (end a loss with link-loss-end)',
        'schedule[1].fault.probability: 1.5 is outside (0, 1] (end a loss with link-loss-end)',
        'schedule[2].fault.probability: missing',
        'schedule[3].fault.links[0].to: unknown process the string "n9" (known: n1, n2, n3)',
        'schedule[3].fault.links[1]: a link joins two processes, got n2 to itself',
        'schedule[4].fault.links: expected a non-empty array of {from, to}, got an empty array',
        'schedule[5].fault.links[0].loss: unknown field (known: from, to)',
        'schedule[6].fault.probability: unknown field (known: kind)',
      ],
    });
  });

  it('refuses a schedule out of time order and one that is not a list', () => {
    expect(validateSchedule([{ atUs: 5, fault: { kind: 'heal' } }, { atUs: 1, fault: { kind: 'heal' } }], members)).toEqual({
      ok: false,
      errors: ['schedule[1].atUs: faults must be in time order (1 < 5)'],
    });
    expect(validateSchedule({}, members)).toEqual({ ok: false, errors: ['schedule: expected an array of {atUs, fault}, got an object'] });
  });
});

describe('applying a schedule to the world', () => {
  it('link-loss drops messages on its links only, counted as lost, until link-loss-end', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 1, nodes: 3, traceSinks: [sink], makeDisk: (_id, rng) => new SimDisk(DEFAULT_DISK_CONFIG, rng) });
    applySchedule(world, [
      { atUs: 100_000, fault: { kind: 'link-loss', probability: 1, links: [{ from: 'n1', to: 'n2' }] } },
      { atUs: 1_100_000, fault: { kind: 'link-loss-end' } },
    ]);
    const delivered = (from: string, to: string, fromUs: number, toUs: number): number =>
      sink.records.filter((r) => r.kind === 'deliver' && r.node === to && r.fields.from === from && r.trueUs > fromUs && r.trueUs < toUs).length;
    world.runUntil(2_100_000);
    expect(delivered('n1', 'n2', 200_000, 1_100_000)).toBe(0);
    expect(delivered('n2', 'n1', 200_000, 1_100_000)).toBeGreaterThan(0);
    expect(delivered('n1', 'n3', 200_000, 1_100_000)).toBeGreaterThan(0);
    expect(delivered('n1', 'n2', 1_200_000, 2_100_000)).toBeGreaterThan(0);
    expect(world.network.stats.lostRandom).toBeGreaterThan(0);
    expect(sink.records.filter((r) => r.kind === 'fault').map((r) => r.fields.fault)).toEqual(['link-loss', 'link-loss-end']);
    expect(formatSchedule([{ atUs: 100_000, fault: { kind: 'link-loss', probability: 0.07 } }])).toBe('    0.100 s  lose 7% of messages on every link');
  });

  it('injects each fault at its time, skips the ones that make no sense then, and prints one line each', () => {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 1, nodes: 3, traceSinks: [sink], makeDisk: (_id, rng) => new SimDisk(DEFAULT_DISK_CONFIG, rng) });
    const schedule: FaultSchedule = [
      { atUs: 100_000, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n1' } } },
      { atUs: 150_000, fault: { kind: 'crash', node: 'n2' } },
      { atUs: 160_000, fault: { kind: 'crash', node: 'n2' } },
      { atUs: 200_000, fault: { kind: 'heal' } },
      { atUs: 250_000, fault: { kind: 'start', node: 'n2' } },
      { atUs: 260_000, fault: { kind: 'disk-fault', node: 'n3', fault: { kind: 'fsync-eio' } } },
    ];
    applySchedule(world, schedule);
    world.runUntil(400_000);
    const at = (kind: string) => sink.records.filter((r) => r.kind === kind).map((r) => r.trueUs);
    expect(at('partition')).toEqual([100_000]);
    expect(at('heal')).toEqual([200_000]);
    expect(sink.records.filter((r) => r.kind === 'crash' && r.node === 'n2').map((r) => r.trueUs)).toEqual([150_000]);
    expect(sink.records.find((r) => r.kind === 'fault' && r.fields.skipped === 'crash n2')?.fields.why).toBe('already down');
    expect(world.status('n2')).toBe('up');
    expect(sink.records.some((r) => r.kind === 'halt' && r.node === 'n3')).toBe(true);
    expect(formatSchedule(schedule).split('\n')).toEqual([
      '    0.100 s  partition isolate n1',
      '    0.150 s  crash n2',
      '    0.160 s  crash n2',
      '    0.200 s  heal the network',
      '    0.250 s  start n2',
      '    0.260 s  n3 disk: fsync-eio',
    ]);
  });

  it('clock-drift-leader: a drift in range, no node named; a missing or out-of-range drift or a stray field names the field', () => {
    const r = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'clock-drift-leader' } },
        { atUs: 1, fault: { kind: 'clock-drift-leader', driftPpm: 600_000 } },
        { atUs: 2, fault: { kind: 'clock-drift-leader', driftPpm: 'slow' } },
        { atUs: 3, fault: { kind: 'clock-drift-leader', driftPpm: 10, node: 'n1' } },
      ],
      members,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(4);
    expect(r.errors[0]).toBe('schedule[0].fault.driftPpm: missing');
    expect(r.errors[1]).toBe('schedule[1].fault.driftPpm: 600000 is not an integer in [-500000, 500000]');
    expect(r.errors[2]).toMatch(/^schedule\[2\]\.fault\.driftPpm: expected a number/);
    expect(r.errors[3]).toMatch(/^schedule\[3\]\.fault/);
    expect(r.errors[3]).toContain('node');
  });

  it('a fault missing a number it needs is an error naming the field, never dropped in silence', () => {
    const r = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'clock-drift', node: 'n1' } },
        { atUs: 1, fault: { kind: 'clock-jump', node: 'n1' } },
        { atUs: 2, fault: { kind: 'crash-leader' } },
        { atUs: 3, fault: { kind: 'shutdown', node: 'n2' } },
        { atUs: 4, fault: { kind: 'link-loss' } },
      ],
      members,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'schedule[0].fault.driftPpm: missing',
      'schedule[1].fault.deltaUs: missing',
      'schedule[2].fault.downUs: missing',
      'schedule[3].fault.drainUs: missing',
      'schedule[4].fault.probability: missing',
    ]);
  });

  /** A three-node world whose leader, as the nemesis sees it, is n2, then n3 from 120 ms, then nobody from noLeaderAtUs. */
  function leaderWorld(noLeaderAtUs: number) {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 1, nodes: 3, traceSinks: [sink], makeDisk: (_id, rng) => new SimDisk(DEFAULT_DISK_CONFIG, rng) });
    let leader: string | null = 'n2';
    world.setLeaderProbe(() => (leader === null ? null : { id: leader, term: 1, lastIndex: 0 }));
    world.at(120_000, () => (leader = 'n3'));
    world.at(noLeaderAtUs, () => (leader = null));
    return { world, sink };
  }

  it('clock-drift-leader drifts the clock of whoever leads when it fires, records whom, and is skipped with no leader', () => {
    const { world, sink } = leaderWorld(250_000);
    applySchedule(world, [
      { atUs: 100_000, fault: { kind: 'clock-drift-leader', driftPpm: -50_000 } },
      { atUs: 200_000, fault: { kind: 'clock-drift-leader', driftPpm: 40_000 } },
      { atUs: 300_000, fault: { kind: 'clock-drift-leader', driftPpm: 10_000 } },
    ]);
    world.runUntil(400_000);
    const drifts = sink.records.filter((r) => r.kind === 'clock').map((r) => [r.trueUs, r.node, r.fields.driftPpm]);
    expect(drifts).toEqual([[100_000, 'n2', -50_000], [200_000, 'n3', 40_000]]);
    const resolved = sink.records.filter((r) => r.kind === 'fault' && r.fields.resolved !== undefined).map((r) => [r.trueUs, r.fields.leader]);
    expect(resolved).toEqual([[100_000, 'n2'], [200_000, 'n3']]);
    expect(sink.records.find((r) => r.kind === 'fault' && r.trueUs === 300_000)?.fields).toEqual({ skipped: "the leader's clock drifts 10000 ppm", why: 'no leader' });
  });

  it('clock-jump-leader steps the wall clock of whoever leads when it fires, records whom, and is skipped with no leader; its step is validated', () => {
    const { world, sink } = leaderWorld(250_000);
    applySchedule(world, [
      { atUs: 100_000, fault: { kind: 'clock-jump-leader', deltaUs: -300_000 } },
      { atUs: 200_000, fault: { kind: 'clock-jump-leader', deltaUs: 40_000 } },
      { atUs: 300_000, fault: { kind: 'clock-jump-leader', deltaUs: -1 } },
    ]);
    world.runUntil(400_000);
    const jumps = sink.records.filter((r) => r.kind === 'clock').map((r) => [r.trueUs, r.node, r.fields.jumpUs, r.fields.offsetUs]);
    expect(jumps).toEqual([[100_000, 'n2', -300_000, -300_000], [200_000, 'n3', 40_000, 40_000]]);
    expect(sink.records.filter((r) => r.kind === 'fault' && r.fields.resolved !== undefined).map((r) => [r.trueUs, r.fields.leader])).toEqual([[100_000, 'n2'], [200_000, 'n3']]);
    expect(sink.records.find((r) => r.kind === 'fault' && r.trueUs === 300_000)?.fields).toEqual({ skipped: "the leader's clock jumps -1 µs", why: 'no leader' });
    const bad = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'clock-jump-leader' } },
        { atUs: 1, fault: { kind: 'clock-jump-leader', deltaUs: 0.5 } },
        { atUs: 2, fault: { kind: 'clock-jump-leader', deltaUs: 10, node: 'n1' } },
      ],
      members,
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.split(':')[0])).toEqual(['schedule[0].fault.deltaUs', 'schedule[1].fault.deltaUs', 'schedule[2].fault.node']);
  });

  it('resolves faults aimed at the leader when they fire, records whom, and skips them with no leader', () => {
    const { world, sink } = leaderWorld(300_000);
    const schedule: FaultSchedule = [
      { atUs: 50_000, fault: { kind: 'isolate-leader' } },
      { atUs: 100_000, fault: { kind: 'heal' } },
      { atUs: 150_000, fault: { kind: 'crash-leader', downUs: 100_000 } },
      { atUs: 320_000, fault: { kind: 'isolate-leader' } },
    ];
    applySchedule(world, schedule);
    world.runUntil(400_000);
    expect(sink.records.filter((r) => r.kind === 'partition').map((r) => r.trueUs)).toEqual([50_000]);
    const resolved = sink.records.filter((r) => r.kind === 'fault' && r.fields.resolved !== undefined).map((r) => [r.trueUs, r.fields.leader]);
    expect(resolved).toEqual([[50_000, 'n2'], [150_000, 'n3']]);
    expect(sink.records.find((r) => r.kind === 'fault' && r.fields.skipped === 'isolate the leader')?.fields.why).toBe('no leader');
    expect(sink.records.filter((r) => r.node === 'n3' && r.trueUs > 0 && (r.kind === 'crash' || r.kind === 'start')).map((r) => [r.kind, r.trueUs])).toEqual([['crash', 150_000], ['start', 250_000]]);
  });
});

describe('faults aimed at the leader and its successors', () => {
  const five = ['n1', 'n2', 'n3', 'n4', 'n5'];

  it('validates followers (the cut-off side stays a minority) and isolate-next-leader, naming the field', () => {
    const good = [
      { atUs: 0, fault: { kind: 'isolate-leader', followers: 1 } },
      { atUs: 1, fault: { kind: 'isolate-leader', followers: 0, clients: ['c1'] } },
      { atUs: 2, fault: { kind: 'isolate-next-leader', nth: 2, trigger: 'append', afterUs: 0, withinUs: 3_000_000, followers: 1 } },
      { atUs: 3, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'elected', afterUs: 40_000, withinUs: 40_000 } },
    ];
    expect(validateSchedule(good, five, 'schedule', ['c1'])).toEqual({ ok: true, schedule: good });
    const bad = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'isolate-leader', followers: 2 } },
        { atUs: 1, fault: { kind: 'isolate-leader', followers: 1.5 } },
        { atUs: 2, fault: { kind: 'isolate-next-leader', nth: 0, trigger: 'append', afterUs: 0, withinUs: 1 } },
        { atUs: 3, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'soon', afterUs: 0, withinUs: 1 } },
        { atUs: 4, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'elected', afterUs: 0 } },
        { atUs: 5, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'elected', afterUs: 50, withinUs: 10 } },
        { atUs: 6, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'elected', afterUs: 0, withinUs: 10, followers: 3 } },
      ],
      five,
    );
    expect(bad).toEqual({
      ok: false,
      errors: [
        'schedule[0].fault.followers: 2 is not an integer in [0, 1]',
        'schedule[1].fault.followers: 1.5 is not an integer in [0, 1]',
        'schedule[2].fault.nth: 0 is not an integer in [1, 8]',
        'schedule[3].fault.trigger: expected one of elected, append, got the string "soon"',
        'schedule[4].fault.withinUs: missing',
        'schedule[5].fault.afterUs: 50 exceeds withinUs 10 (the cut must fall within the fault\'s time)',
        'schedule[6].fault.followers: 3 is not an integer in [0, 1]',
      ],
    });
    // Three servers leave no room for a follower beside the leader.
    expect(validateSchedule([{ atUs: 0, fault: { kind: 'isolate-leader', followers: 1 } }], members)).toEqual({ ok: false, errors: ['schedule[0].fault.followers: 1 is not an integer in [0, 0]'] });
    expect(formatSchedule(good as FaultSchedule).split('\n')).toEqual([
      '    0.000 s  isolate the leader with 1 follower',
      '    0.000 s  isolate the leader with {c1}',
      '    0.000 s  isolate the 2nd next leader at its first append with 1 follower',
      '    0.000 s  isolate the next leader 40 ms after its election',
    ]);
  });

  /** A five-server world whose "leader" is scripted: [from true time, id, term, last index]. */
  function scripted(script: readonly (readonly [number, string | null, number, number])[]) {
    const sink = new MemorySink();
    const world = buildDemoWorld({ seed: 1, nodes: 5, traceSinks: [sink] });
    let now: { id: string; term: number; lastIndex: number } | null = null;
    world.setLeaderProbe(() => now);
    for (const [atUs, id, term, lastIndex] of script) world.at(atUs, () => (now = id === null ? null : { id, term, lastIndex }));
    const partitions = () => sink.records.filter((r) => r.kind === 'partition').map((r) => [r.trueUs, r.fields.groups]);
    const faults = () => sink.records.filter((r) => r.kind === 'fault').map((r): [number, Readonly<Record<string, unknown>>] => [r.trueUs, r.fields]);
    return { world, sink, partitions, faults };
  }

  it('isolate-leader takes along the nearest followers before the leader that it can reach', () => {
    const { world, partitions } = scripted([[0, 'n3', 1, 10]]);
    applySchedule(world, [
      { atUs: 10, fault: { kind: 'isolate-leader', followers: 1 } },
      { atUs: 20, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n2' } } },
      { atUs: 30, fault: { kind: 'isolate-leader', followers: 1 } },
      { atUs: 40, fault: { kind: 'heal' } },
    ]);
    world.runUntil(50);
    // n2 first; once n2 is cut off from n3, n1 (the next one before it, round the ring).
    expect(partitions()).toEqual([[10, 'n1 n4 n5 | n2 n3'], [20, 'n1 n3 n4 n5 | n2'], [30, 'n1 n3 | n2 n4 n5']]);
  });

  it('isolate-next-leader counts new leaders by term and cuts the nth at its election plus afterUs, or at its first append at once', () => {
    const { world, partitions, faults } = scripted([
      [0, 'n1', 1, 10],
      [100_000, 'n2', 2, 10],
      [150_000, 'n2', 2, 11], // n2's first append
      [200_000, 'n1', 1, 12], // n1 again, but in an old term: not a new leader
      [300_000, 'n4', 3, 12],
    ]);
    applySchedule(world, [
      { atUs: 50_000, fault: { kind: 'isolate-next-leader', nth: 2, trigger: 'elected', afterUs: 10_000, withinUs: 1_000_000 } },
      { atUs: 50_000, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'append', afterUs: 0, withinUs: 1_000_000, followers: 1 } },
    ]);
    world.runUntil(1_000_000);
    expect(partitions()).toEqual([[150_000, 'n1 n2 | n3 n4 n5'], [310_000, 'n1 n2 n3 n5 | n4']]);
    expect(faults().filter(([, f]) => f.triggered !== undefined)).toEqual([
      [150_000, { triggered: 'isolate the next leader at its first append with 1 follower', leader: 'n2', term: 2, index: 11 }],
      [300_000, { triggered: 'isolate the 2nd next leader 10 ms after its election', leader: 'n4', term: 3 }],
    ]);
  });

  it('blackout-next-election: validated naming the field, described, and read back as written', () => {
    const good = [
      { atUs: 0, fault: { kind: 'blackout-next-election', afterUs: 2_000, withinUs: 1_500_000, downUs: 300_000 } },
      { atUs: 1, fault: { kind: 'blackout-next-election', afterUs: 0, withinUs: 10, downUs: 1 } },
    ];
    expect(validateSchedule(good, five)).toEqual({ ok: true, schedule: good });
    expect(formatSchedule(good as FaultSchedule).split('\n')).toEqual([
      "    0.000 s  cut the power to every server 2 ms after the next leader's election (down 300 ms)",
      "    0.000 s  cut the power to every server at the next leader's election (down 0.001 ms)",
    ]);
    const bad = validateSchedule(
      [
        { atUs: 0, fault: { kind: 'blackout-next-election', afterUs: 0, withinUs: 10 } },
        { atUs: 1, fault: { kind: 'blackout-next-election', afterUs: 50, withinUs: 10, downUs: 1 } },
        { atUs: 2, fault: { kind: 'blackout-next-election', afterUs: -1, withinUs: 10, downUs: 1 } },
        { atUs: 3, fault: { kind: 'blackout-next-election', afterUs: 0, withinUs: 10, downUs: 1, node: 'n1' } },
      ],
      five,
    );
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? [] : bad.errors;
    expect(errors[0]).toBe('schedule[0].fault.downUs: missing');
    expect(errors[1]).toBe("schedule[1].fault.afterUs: 50 exceeds withinUs 10 (the cut must fall within the fault's time)");
    expect(errors[2]).toMatch(/^schedule\[2\]\.fault\.afterUs: /);
    expect(errors[3]).toMatch(/^schedule\[3\]\.fault.*node/);
    expect(errors).toHaveLength(4);
  });

  it('blackout-next-election cuts the power to every up server afterUs after the next election and starts those again downUs later', () => {
    const { world, sink, faults } = scripted([
      [0, 'n1', 1, 10],
      [100_000, 'n2', 2, 10],
    ]);
    applySchedule(world, [
      // n5 is down before the cut and stays down: the blackout starts only what it stopped.
      { atUs: 10_000, fault: { kind: 'crash', node: 'n5' } },
      { atUs: 20_000, fault: { kind: 'blackout-next-election', afterUs: 3_000, withinUs: 1_000_000, downUs: 200_000 } },
    ]);
    world.runUntil(1_000_000);
    const lifecycle = sink.records.filter((r) => r.trueUs > 0 && (r.kind === 'crash' || r.kind === 'start')).map((r) => [r.trueUs, r.node, r.kind]);
    expect(lifecycle).toEqual([
      [10_000, 'n5', 'crash'],
      ...['n1', 'n2', 'n3', 'n4'].map((id) => [103_000, id, 'crash']),
      ...['n1', 'n2', 'n3', 'n4'].map((id) => [303_000, id, 'start']),
    ]);
    expect(faults().filter(([, f]) => f.triggered !== undefined)).toEqual([
      [100_000, { triggered: "cut the power to every server 3 ms after the next leader's election (down 200 ms)", leader: 'n2', term: 2 }],
    ]);
  });

  it('isolate-next-leader gives up, recorded, when its leader is not elected or does not append in time, or loses the lead first', () => {
    const { world, partitions, faults } = scripted([
      [0, 'n1', 1, 10],
      [100_000, 'n2', 2, 10],
      [200_000, null, 0, 0],
    ]);
    applySchedule(world, [
      { atUs: 10_000, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'append', afterUs: 0, withinUs: 1_000_000 } },
      { atUs: 10_000, fault: { kind: 'isolate-next-leader', nth: 2, trigger: 'elected', afterUs: 100_000, withinUs: 500_000 } },
      { atUs: 250_000, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'elected', afterUs: 0, withinUs: 100_000 } },
    ]);
    world.runUntil(2_000_000);
    expect(partitions()).toEqual([]);
    expect(faults().filter(([, f]) => f.skipped !== undefined).map(([, f]) => f.why)).toEqual([
      'n2 no longer leads in term 2', // at 200 ms
      'no 1st new leader in time', // at 350 ms
      'no 2nd new leader in time', // at 410 ms: 500 ms after it fired, less the 100 ms a cut would come later
    ]);
  });
});
