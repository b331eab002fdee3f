import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';
import { parseDurationUs } from './args';

async function sim(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'loom-cli-'));

describe('npm run sim: usage', () => {
  it.each([
    [['--seed', '1'], '--scenario is required'],
    [['--seed', '1', '--scenario', 'nope'], '--scenario: unknown scenario "nope" (known: partition, message-loss, crash, clock-skew, pause, disk, bit-rot, snapshot, snapshot-lag, leader-transfer, membership, leader-faults, stale-leader, power-loss, election-blackout, leader-churn, lease-drift, leader-clock-step, random, swim)'],
    [['--scenario', 'partition'], '--seed N or --seeds A..B is required'],
    [['--seed', '-3', '--scenario', 'partition'], '--seed: "-3" is not an integer'],
    [['--seed', '1', '--scenario', 'partition', '--nodes', '12'], '--nodes: "12" is not an integer in [1, 9] (up to 64 with --system swim)'],
    [['--seed', '1', '--scenario', 'partition', '--duration', '30 parsecs'], '--duration: "30 parsecs" is not a duration'],
    [['--seeds', '9..3', '--scenario', 'partition'], '--seeds: "9..3" is not a range A..B with A <= B'],
    [['--seed', '1', '--scenario', 'partition', '--verbose'], 'unknown argument "--verbose"'],
    [['--seed'], '--seed needs a value'],
    [['--seed', '1', '--scenario', 'crash', '--bug', 'gremlins'], '--bug: unknown bug "gremlins" (known: figure8-commit,'],
    [['--seed', '1', '--scenario', 'crash', '--system', 'swim', '--bug', 'figure8-commit'], '--bug: planted bugs live in the Raft node'],
    [['--seed', '1', '--scenario', 'crash', '--system', 'etcd'], '--system: unknown system "etcd" (known: cache, raft, swim, demo)'],
  ])('%j exits 2 naming the problem', async (argv, message) => {
    const r = await sim(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an --out that cannot be written exits 2 naming it, before any seed runs, in a run and in a sweep', async () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    for (const argv of [['--seed', '1'], ['--seeds', '1..3', '--workers', '2']]) {
      const r = await sim(...argv, '--scenario', 'crash', '--system', 'demo', '--duration', '2s', '--out', join(file, 'runs'));
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--out: cannot write artifacts to ${join(file, 'runs')}: ENOTDIR`);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    }
  });

  it('reads durations in every unit it documents', async () => {
    expect(parseDurationUs('30s')).toBe(30_000_000);
    expect(parseDurationUs('500ms')).toBe(500_000);
    expect(parseDurationUs('2m')).toBe(120_000_000);
    expect(parseDurationUs('1.5s')).toBe(1_500_000);
    expect(parseDurationUs('250us')).toBe(250);
    expect(parseDurationUs('fast')).toBeNull();
  });

  it('--list names every scenario, and --list --json is machine-readable', async () => {
    const r = await sim('--list');
    expect(r.code).toBe(0);
    for (const name of ['partition', 'crash', 'clock-skew', 'pause', 'disk', 'random']) expect(r.out).toContain(name);
    const j = JSON.parse((await sim('--list', '--json')).out) as { scenarios: { name: string; description: string }[]; bugs: { name: string; description: string; caughtBy: string[] }[] };
    expect(j.bugs.map((b) => b.name)).toContain('figure8-commit');
    for (const b of j.bugs) for (const s of b.caughtBy) expect(j.scenarios.map((x) => x.name)).toContain(s);
    expect(j.scenarios.map((s) => s.name)).toEqual(['partition', 'message-loss', 'crash', 'clock-skew', 'pause', 'disk', 'bit-rot', 'snapshot', 'snapshot-lag', 'leader-transfer', 'membership', 'leader-faults', 'stale-leader', 'power-loss', 'election-blackout', 'leader-churn', 'lease-drift', 'leader-clock-step', 'random', 'swim']);
    expect(j.scenarios.every((s) => s.description.length > 10)).toBe(true);
  });

  it('--shrink on a run that passes says there is nothing to shrink; --shrink with --seeds is refused', async () => {
    const r = await sim('--seed', '3', '--scenario', 'crash', '--duration', '6s', '--system', 'demo', '--out', tmp(), '--shrink');
    expect(r.code).toBe(0);
    expect(r.out).toContain('seed 3 passes every check: nothing to shrink');
    const s = await sim('--seeds', '1..2', '--scenario', 'crash', '--shrink');
    expect(s.code).toBe(2);
    expect(s.err).toContain('--shrink works on one failing run');
  });

  it('a bad --config or --schedule file exits 2 with the field named', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ network: { defaultLink: { lossProbability: 2 } }, disk: { latency: { baseUs: -1 } } }));
    const r = await sim('--seed', '1', '--scenario', 'partition', '--config', join(dir, 'config.json'), '--out', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('config.network.defaultLink.lossProbability: 2 is outside [0, 1]');
    expect(r.err).toContain('config.disk.latency.baseUs: -1 is negative');
    writeFileSync(join(dir, 'schedule.json'), JSON.stringify([{ atUs: 1000, fault: { kind: 'partition', spec: { shape: 'isolate', node: 'n8' } } }]));
    const s = await sim('--seed', '1', '--scenario', 'partition', '--schedule', join(dir, 'schedule.json'), '--out', dir);
    expect(s.code).toBe(2);
    expect(s.err).toContain('schedule[0].fault.spec: node: unknown node "n8"');
    writeFileSync(join(dir, 'aimed.json'), JSON.stringify([{ atUs: 1000, fault: { kind: 'isolate-next-leader', nth: 1, trigger: 'append', afterUs: 0, withinUs: 1_000_000, followers: 2 } }]));
    const aimed = await sim('--seed', '1', '--scenario', 'leader-churn', '--schedule', join(dir, 'aimed.json'), '--out', dir);
    expect(aimed.code).toBe(2);
    expect(aimed.err).toContain('schedule[0].fault.followers: 2 is not an integer in [0, 1]');
    const missing = await sim('--seed', '1', '--scenario', 'partition', '--schedule', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });
});

describe('npm run sim: runs', () => {
  it('the same seed writes the same artifact, byte for byte, and replaying its schedule gives the same trace', async () => {
    const a = tmp();
    const b = tmp();
    const first = await sim('--seed', '42', '--scenario', 'random', '--duration', '12s', '--out', a);
    expect(first.code).toBe(0);
    expect(first.out).toContain('check raft-invariants');
    expect(first.out).toContain('check liveness');
    const second = await sim('--seed', '42', '--scenario', 'random', '--duration', '12s', '--out', b);
    expect(second.code).toBe(0);
    const artifact = readFileSync(join(a, 'random-42', 'run.json'), 'utf8');
    expect(readFileSync(join(b, 'random-42', 'run.json'), 'utf8')).toBe(artifact);
    const parsed = JSON.parse(artifact) as { format: string; schedule: unknown[]; summary: { traceHash: string }; trace: unknown[] };
    expect(parsed.format).toBe('loom-run/1');
    expect(parsed.trace.length).toBeGreaterThan(1000);
    // Give the stored schedule back: the run is the same.
    const replay = await sim('--seed', '42', '--scenario', 'random', '--duration', '12s', '--out', tmp(), '--schedule', join(a, 'random-42', 'run.json'), '--json');
    expect((JSON.parse(replay.out) as { summary: { traceHash: string } }).summary.traceHash).toBe(parsed.summary.traceHash);
  });

  it('a sweep runs each seed and counts the failures, in this process or on worker processes, with the same verdicts', async () => {
    for (const system of ['raft', 'demo']) {
      const r = await sim('--seeds', '1..3', '--scenario', 'crash', '--duration', '8s', '--out', tmp(), '--system', system);
      expect(r.code).toBe(0);
      expect(r.out).toContain('3 seeds, 0 failing');
    }
    const a = tmp();
    const b = tmp();
    const one = await sim('--seeds', '1..4', '--scenario', 'partition', '--duration', '8s', '--out', a, '--system', 'raft', '--keep-all');
    const two = await sim('--seeds', '1..4', '--scenario', 'partition', '--duration', '8s', '--out', b, '--system', 'raft', '--workers', '2', '--keep-all');
    expect(two.code).toBe(one.code);
    expect(two.out).toContain('4 seeds, 0 failing');
    for (const seed of [1, 2, 3, 4]) expect(readFileSync(join(b, `partition-${seed}`, 'run.json'), 'utf8')).toBe(readFileSync(join(a, `partition-${seed}`, 'run.json'), 'utf8'));
  });

  it('a sweep writes the artifacts of the seeds that did not pass only, unless --keep-all; --keep-all needs --seeds', async () => {
    const dir = tmp();
    // Measured: of seeds 6..8 at 30 s with this bug, 6 and 8 fail and 7 passes.
    const r = await sim('--seeds', '6..8', '--scenario', 'power-loss', '--out', dir, '--bug', 'ack-append-before-durable', '--workers', '2');
    expect(r.code).toBe(1);
    const failing = [...r.out.matchAll(/^FAIL seed (\d+)/gm)].map((m) => Number(m[1]));
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.length).toBeLessThan(3);
    for (const seed of [6, 7, 8]) expect(existsSync(join(dir, `power-loss-${seed}`, 'run.json'))).toBe(failing.includes(seed));
    for (const seed of failing) expect(r.out).toContain(`  artifact ${join(dir, `power-loss-${seed}`, 'run.json')}`);
    const single = await sim('--seed', '1', '--scenario', 'crash', '--keep-all');
    expect(single.code).toBe(2);
    expect(single.err).toContain('--keep-all applies to a sweep');
  });
});
