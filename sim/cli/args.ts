// The command line of `npm run sim`, parsed into a typed command or a usage error that names the
// flag at fault. Parsing never throws and never exits: main.ts decides what to print.

import { findScenario, SCENARIOS } from '../../scenarios/registry';
import { findBug, PLANTED_BUGS } from '../runner/bugs';

export interface RunCommand {
  readonly kind: 'run';
  readonly scenario: string;
  /** One seed, or an inclusive range for a sweep. */
  readonly seeds: { readonly first: number; readonly last: number };
  readonly nodes: number;
  readonly durationUs: number;
  readonly outDir: string;
  readonly scheduleFile: string | null;
  readonly configFile: string | null;
  readonly json: boolean;
  /** The cluster to run: the Raft replicas, or the demo processes that exercise the world alone. */
  readonly system: SystemName;
  /** A planted bug to switch on (see --list), or null. */
  readonly bug: string | null;
  /** Worker processes for a sweep (1: run in this process). */
  readonly workers: number;
  /** Minimise the fault schedule of a failing run. */
  readonly shrink: boolean;
  /** A sweep writes every seed's artifact, not only those of seeds that failed or were undecided. */
  readonly keepAll: boolean;
}

export const SYSTEMS = ['cache', 'raft', 'swim', 'demo'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export type Command = RunCommand | { readonly kind: 'list'; readonly json: boolean } | { readonly kind: 'help' };

export type Parsed = { ok: true; command: Command } | { ok: false; error: string };

export const USAGE = `usage:
  npm run sim -- --seed N --scenario NAME [--nodes 5] [--duration 30s] [--out runs] [--schedule FILE] [--config FILE] [--system cache|raft|swim|demo] [--bug NAME] [--shrink] [--json]
  npm run sim -- --seeds A..B --scenario NAME [--workers N] [--keep-all] [...]   a sweep over seeds A to B
                                                          (artifacts of failing and undecided seeds only, unless --keep-all)
  npm run sim -- --list [--json]                          the scenarios
exit: 0 every check passed, 1 a check failed, 3 a check could not decide, 2 bad usage or input`;

/** Raft clusters stay small; SWIM is run with up to this many members. */
const NODES_MAX = 9;
const SWIM_NODES_MAX = 64;
const WORKERS_MAX = 64;
const SEED_MAX = 2 ** 32 - 1;
const DURATION_US_MAX = 3_600_000_000;

export function parseArgs(argv: readonly string[]): Parsed {
  const flags = new Map<string, string | true>();
  const VALUE_FLAGS = ['--seed', '--seeds', '--scenario', '--nodes', '--duration', '--out', '--schedule', '--config', '--system', '--bug', '--workers'];
  const BOOLEAN_FLAGS = ['--list', '--json', '--help', '--shrink', '--keep-all'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.includes(name)) {
      if (eq > 0) return { ok: false, error: `${name} takes no value` };
      flags.set(name, true);
    } else if (VALUE_FLAGS.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('--')) return { ok: false, error: `${name} needs a value` };
      if (flags.has(name)) return { ok: false, error: `${name} given twice` };
      flags.set(name, value);
    } else {
      return { ok: false, error: `unknown argument "${arg}"` };
    }
  }
  if (flags.has('--help')) return { ok: true, command: { kind: 'help' } };
  const json = flags.has('--json');
  if (flags.has('--list')) return { ok: true, command: { kind: 'list', json } };

  const scenario = flags.get('--scenario');
  if (typeof scenario !== 'string') return { ok: false, error: '--scenario is required (see --list)' };
  if (!findScenario(scenario)) return { ok: false, error: `--scenario: unknown scenario "${scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})` };

  const seed = flags.get('--seed');
  const range = flags.get('--seeds');
  if (seed !== undefined && range !== undefined) return { ok: false, error: '--seed and --seeds cannot both be given' };
  let seeds: { first: number; last: number };
  if (typeof seed === 'string') {
    const n = parseInteger(seed, 0, SEED_MAX);
    if (n === null) return { ok: false, error: `--seed: "${seed}" is not an integer in [0, ${SEED_MAX}]` };
    seeds = { first: n, last: n };
  } else if (typeof range === 'string') {
    const m = /^(\d+)\.\.(\d+)$/.exec(range);
    const first = m ? parseInteger(m[1] as string, 0, SEED_MAX) : null;
    const last = m ? parseInteger(m[2] as string, 0, SEED_MAX) : null;
    if (first === null || last === null || first > last) return { ok: false, error: `--seeds: "${range}" is not a range A..B with A <= B` };
    seeds = { first, last };
  } else {
    return { ok: false, error: '--seed N or --seeds A..B is required' };
  }


  const durationText = flags.get('--duration');
  const durationUs = typeof durationText === 'string' ? parseDurationUs(durationText) : 30_000_000;
  if (durationUs === null || durationUs <= 0 || durationUs > DURATION_US_MAX) {
    return { ok: false, error: `--duration: "${String(durationText)}" is not a duration like 30s, 500ms or 2m (at most 1 h)` };
  }

  const system = flags.get('--system') ?? 'cache';
  if (!(SYSTEMS as readonly unknown[]).includes(system)) return { ok: false, error: `--system: unknown system "${String(system)}" (known: ${SYSTEMS.join(', ')})` };

  const bug = flags.get('--bug');
  if (typeof bug === 'string') {
    if (!findBug(bug)) return { ok: false, error: `--bug: unknown bug "${bug}" (known: ${PLANTED_BUGS.map((b) => b.name).join(', ')})` };
    if (system !== 'cache' && system !== 'raft') return { ok: false, error: `--bug: planted bugs live in the Raft node; use --system cache or raft, not ${String(system)}` };
    const found = findBug(bug);
    if (system !== 'cache' && (found?.client !== undefined || found?.storage !== undefined)) return { ok: false, error: `--bug: ${bug} lives in the cache client or storage; use --system cache, not ${String(system)}` };
  }

  if (flags.has('--shrink') && seeds.first !== seeds.last) return { ok: false, error: '--shrink works on one failing run: give --seed N, not --seeds' };
  if (flags.has('--keep-all') && range === undefined) return { ok: false, error: '--keep-all applies to a sweep (--seeds A..B); a single run always writes its artifact' };

  const workersText = flags.get('--workers');
  const workers = typeof workersText === 'string' ? parseInteger(workersText, 1, WORKERS_MAX) : 1;
  if (workers === null) return { ok: false, error: `--workers: "${String(workersText)}" is not an integer in [1, ${WORKERS_MAX}]` };

  const nodesMax = system === 'swim' ? SWIM_NODES_MAX : NODES_MAX;
  const nodesText = flags.get('--nodes');
  const nodes = typeof nodesText === 'string' ? parseInteger(nodesText, 1, nodesMax) : 5;
  if (nodes === null) return { ok: false, error: `--nodes: "${String(nodesText)}" is not an integer in [1, ${nodesMax}]${system === 'swim' ? '' : ' (up to 64 with --system swim)'}` };

  const text = (name: string): string | null => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : null;
  };
  return {
    ok: true,
    command: { kind: 'run', scenario, seeds, nodes, durationUs, outDir: text('--out') ?? 'runs', scheduleFile: text('--schedule'), configFile: text('--config'), json, system: system as SystemName, bug: typeof bug === 'string' ? bug : null, workers, shrink: flags.has('--shrink'), keepAll: flags.has('--keep-all') },
  };
}

/** "30s", "500ms", "2m", "1500us", "1.5s" as integer microseconds, or null. */
export function parseDurationUs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m)$/.exec(text.trim());
  if (!m) return null;
  const scale = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000 }[m[2] as 'us' | 'µs' | 'ms' | 's' | 'm'];
  const value = Math.round(Number(m[1]) * scale);
  return Number.isSafeInteger(value) ? value : null;
}

function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}
