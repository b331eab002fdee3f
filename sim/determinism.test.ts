// Determinism, proven: the rules no code may break (a source guard), and the same seed giving the
// same trace for random worlds and fault schedules, in one process and across two.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HashSink } from './trace/trace';
import { buildDemoWorld, demoNodeIds } from './testing/demo-world';
import { DEFAULT_LINK } from './net/link';
import type { PartitionSpec } from './net/partitions';

const ROOT = join(import.meta.dirname, '..');
const GUARDED = ['src', 'sim', 'checkers', 'scenarios'];

/**
 * What may not appear in the simulated world. Real time and real randomness, and the things whose
 * order or result depends on the machine: directory listing order, the locale, the environment.
 * A deliberate use in CLI or benchmark code carries the marker comment `wall-clock-ok`.
 */
const FORBIDDEN: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /Math\.random/, why: 'real randomness' },
  { pattern: /\bDate\.now|\bnew Date\b|\bDate\(/, why: 'real time' },
  { pattern: /performance\.now|process\.hrtime/, why: 'real time' },
  { pattern: /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, why: 'real timers' },
  { pattern: /crypto\.(random|getRandomValues)|randomBytes|randomUUID/, why: 'real randomness' },
  { pattern: /localeCompare|toLocale\w*String|\bIntl\./, why: 'locale-dependent order or text' },
  { pattern: /readdirSync\((?![^\n]*\.sort\()/, why: 'directory order is the file system\'s: sort it' },
];

/** The code of a line without its comment: prose may name what code may not call. */
function codeOf(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return '';
  const comment = line.indexOf('//');
  return comment >= 0 ? line.slice(0, comment) : line;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'testdata') out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

describe('determinism guard', () => {
  it('no source file in src/, sim/, checkers/ or scenarios/ reads real time, real randomness or machine order', () => {
    const offences: string[] = [];
    for (const folder of GUARDED) {
      let files: string[] = [];
      try {
        files = sourceFiles(join(ROOT, folder));
      } catch {
        continue; // the folder does not exist yet
      }
      for (const file of files) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.includes('wall-clock-ok')) return;
            const code = codeOf(line);
            for (const { pattern, why } of FORBIDDEN) if (pattern.test(code)) offences.push(`${file.slice(ROOT.length + 1)}:${i + 1}: ${why}: ${line.trim()}`);
          });
      }
    }
    expect(offences).toEqual([]);
  });

  it('the guard itself catches each forbidden pattern', () => {
    const samples = ['Math.random()', 'Date.now()', 'new Date()', 'performance.now()', 'setTimeout(f, 1)', 'crypto.randomUUID()', 'a.localeCompare(b)', 'readdirSync(dir)'];
    for (const sample of samples) expect(FORBIDDEN.some(({ pattern }) => pattern.test(sample))).toBe(true);
    expect(FORBIDDEN.some(({ pattern }) => pattern.test('readdirSync(dir).sort()'))).toBe(false);
  });
});

// A random world: size, link faults, clocks, and a schedule of faults at random times.
type Action =
  | { at: number; kind: 'crash' | 'start' | 'pause' | 'resume'; node: number }
  | { at: number; kind: 'partition'; minority: number }
  | { at: number; kind: 'heal' }
  | { at: number; kind: 'jump'; node: number; deltaUs: number };

const worldArb = fc.record({
  seed: fc.nat({ max: 1_000_000 }),
  nodes: fc.integer({ min: 2, max: 6 }),
  loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
  dup: fc.double({ min: 0, max: 0.2, noNaN: true }),
  reorder: fc.double({ min: 0, max: 0.3, noNaN: true }),
  drifts: fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 6, maxLength: 6 }),
  actions: fc.array(
    fc.oneof(
      fc.record({ at: fc.nat({ max: 400_000 }), kind: fc.constantFrom('crash' as const, 'start' as const, 'pause' as const, 'resume' as const), node: fc.nat({ max: 5 }) }),
      fc.record({ at: fc.nat({ max: 400_000 }), kind: fc.constant('partition' as const), minority: fc.nat({ max: 5 }) }),
      fc.record({ at: fc.nat({ max: 400_000 }), kind: fc.constant('heal' as const) }),
      fc.record({ at: fc.nat({ max: 400_000 }), kind: fc.constant('jump' as const), node: fc.nat({ max: 5 }), deltaUs: fc.integer({ min: -200_000, max: 200_000 }) }),
    ),
    { maxLength: 12 },
  ),
});

type RandomWorld = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function runRandomWorld(w: RandomWorld): string {
  const ids = demoNodeIds(w.nodes);
  const hash = new HashSink();
  const world = buildDemoWorld({
    seed: w.seed,
    nodes: w.nodes,
    network: { defaultLink: { ...DEFAULT_LINK, lossProbability: w.loss, duplicateProbability: w.dup, reorderProbability: w.reorder }, links: [] },
    clocks: ids.map((_, i) => ({ offsetUs: i * 1_000, driftPpm: w.drifts[i] ?? 0 })),
    traceSinks: [hash],
  });
  for (const a of w.actions as Action[]) {
    world.at(a.at, () => {
      const node = 'node' in a ? ids[a.node % ids.length]! : '';
      switch (a.kind) {
        case 'crash':
          return world.crash(node, 'nemesis');
        case 'start':
          if (world.status(node) === 'down') world.start(node);
          return;
        case 'pause':
          return world.pause(node);
        case 'resume':
          return world.resume(node);
        case 'partition': {
          const minority = Math.max(1, a.minority % Math.ceil(ids.length / 2));
          if (minority * 2 >= ids.length) return;
          const spec: PartitionSpec = { shape: 'majority-minority', minority: ids.slice(0, minority) };
          world.partition(spec);
          return;
        }
        case 'heal':
          return world.heal();
        case 'jump':
          return world.jumpClock(node, a.deltaUs);
      }
    });
  }
  world.runUntil(500_000);
  world.close();
  return `${hash.records}:${hash.digest()}`;
}

describe('same seed, same bytes', () => {
  it('random world configurations and fault schedules give the same trace hash when run twice', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        expect(runRandomWorld(w)).toBe(runRandomWorld(w));
      }),
      { numRuns: 40 },
    );
  });

  it('two separate processes running the same seed print the same trace hash', () => {
    const script = join(ROOT, 'sim/testing/demo-run.ts');
    const run = (seed: string): string => execFileSync(process.execPath, ['--import', 'tsx', script, seed], { cwd: ROOT, encoding: 'utf8' }).trim();
    const first = run('17');
    expect(first).toMatch(/^\d+ [0-9a-f]{16}$/);
    expect(run('17')).toBe(first);
    expect(run('18')).not.toBe(first);
  });
});
