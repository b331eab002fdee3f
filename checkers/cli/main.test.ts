// The `npm run check` command: exit codes 0 / 1 / 2 / 3, readable explanations, --json output,
// and error messages (with line numbers) for bad usage and malformed input, never a stack trace.
// Most cases call main() with injected files and clock; two spawn the real command.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitBadInput, exitLinearizable, exitNotLinearizable, exitUnknown, main } from './main';

const fixtures = fileURLToPath(new URL('../testdata/porcupine/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs main with in-memory files (falling back to the real fixtures) and a clock that advances 1 s per reading. */
function runCli(argv: string[], files: Record<string, string> = {}): Run {
  const out: string[] = [];
  const err: string[] = [];
  let clockMs = 0;
  const code = main(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: (path) => {
      const text = files[path];
      if (text !== undefined) return text;
      return readFileSync(path, 'utf8');
    },
    nowMs: () => (clockMs += 1000),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('verdicts and exit codes', () => {
  it('exits 0 for a linearizable history', () => {
    const run = runCli([`${fixtures}jepsen/etcd_002.log`, '--format', 'jepsen-log', '--model', 'cas-register']);
    expect(run.code).toBe(exitLinearizable);
    expect(run.out).toContain('linearizable');
  });

  it('exits 1 and explains a violation: the part, the last consistent state, the operation and its concurrent ones', () => {
    const run = runCli([`${fixtures}kv/c10-bad.txt`, '--format', 'jepsen-edn', '--model', 'kv']);
    expect(run.code).toBe(exitNotLinearizable);
    expect(run.out).toContain('NOT linearizable');
    expect(run.out).toMatch(/part \d+ \(key "\d+"\): not linearizable/);
    expect(run.out).toContain('last consistent state:');
    expect(run.out).toContain('cannot be placed:');
    expect(run.out).toContain('concurrent with it');
  });

  it('exits 3 when the timeout passes before the search finishes', () => {
    const run = runCli([`${fixtures}kv/c10-ok.txt`, '--format', 'jepsen-edn', '--model', 'kv', '--no-partition', '--timeout', '1s']);
    expect(run.code).toBe(exitUnknown);
    expect(run.out).toContain('unknown');
  });

  it('prints the result JSON with --json', () => {
    const run = runCli([`${fixtures}jepsen/etcd_000.log`, '--format', 'jepsen-log', '--model', 'cas-register', '--json']);
    expect(run.code).toBe(exitNotLinearizable);
    const result = JSON.parse(run.out) as { verdict: string; parts: { stuck?: unknown; longestPrefix?: unknown[] }[] };
    expect(result.verdict).toBe('illegal');
    expect(result.parts[0]!.stuck).toBeDefined();
    expect(result.parts[0]!.longestPrefix!.length).toBeGreaterThan(0);
  });

  it('finds an empty history linearizable', () => {
    expect(runCli(['empty.json', '--model', 'register'], { 'empty.json': '[]' }).code).toBe(exitLinearizable);
  });

  it('configures the model with --initial', () => {
    const history = '{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :read, :value 5}';
    expect(runCli(['h.edn', '--model', 'register'], { 'h.edn': history }).code).toBe(exitNotLinearizable);
    expect(runCli(['h.edn', '--model', 'register', '--initial', '5'], { 'h.edn': history }).code).toBe(exitLinearizable);
  });
});

describe('bad usage and bad input exit 2 with a message', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['no file', ['--model', 'kv'], {}, /no history file/],
    ['no model', ['h.edn'], { 'h.edn': '' }, /--model is required/],
    ['an unknown model', ['h.edn', '--model', 'btree'], { 'h.edn': '' }, /unknown model "btree"/],
    ['an unknown format', ['h.txt', '--format', 'csv', '--model', 'kv'], { 'h.txt': '' }, /unknown format "csv"/],
    ['a format it cannot infer', ['h.txt', '--model', 'kv'], { 'h.txt': '' }, /--format is required/],
    ['an unknown option', ['h.edn', '--model', 'kv', '--fast'], { 'h.edn': '' }, /unknown option --fast/],
    ['an unreadable timeout', ['h.edn', '--model', 'kv', '--timeout', 'soon'], { 'h.edn': '' }, /--timeout/],
    ['an unreadable --initial', ['h.edn', '--model', 'register', '--initial', '[1'], { 'h.edn': '' }, /--initial/],
    ['an --initial of the wrong shape', ['h.edn', '--model', 'counter', '--initial', '"x"'], { 'h.edn': '' }, /--initial for counter must be an integer/],
    ['a missing file', ['/nonexistent/h.edn', '--model', 'kv'], {}, /cannot read \/nonexistent\/h.edn: no such file/],
    ['an EDN syntax error', ['h.edn', '--model', 'kv'], { 'h.edn': '{:process 0, :type :invoke, :f :get, :key "a"}\n{:process 0 :type' }, /h\.edn:2: /],
    ['an :ok with no :invoke', ['h.edn', '--model', 'register'], { 'h.edn': '\n\n{:process 3, :type :ok, :f :read, :value 1}' }, /h\.edn:3: .*no :invoke/],
    ['a function the model does not know', ['h.edn', '--model', 'register'], { 'h.edn': '{:process 0, :type :invoke, :f :cas, :value [1 2]}' }, /h\.edn:1: unknown function :cas/],
    ['a process invoking twice', ['h.json', '--model', 'register'], { 'h.json': '[{"process":1,"type":"invoke","f":"read"},\n{"process":1,"type":"invoke","f":"read"}]' }, /h\.json:2: .*has not completed/],
    ['a malformed log line', ['h.log', '--model', 'cas-register'], { 'h.log': 'INFO  jepsen.util - 0\t:invoke\t:write\t[1' }, /h\.log:1: cannot read the value/],
  ];
  it.each(cases)('rejects %s', (_name, argv, files, message) => {
    const run = runCli(argv, files);
    expect(run.code).toBe(exitBadInput);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});

describe('the real command', () => {
  const command = (args: string[]) =>
    spawnSync('npx', ['tsx', 'checkers/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('exits 1 on a non-linearizable history', () => {
    const run = command([`${fixtures}jepsen/etcd_001.log`, '--format', 'jepsen-log', '--model', 'cas-register']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('NOT linearizable');
  });

  it('exits 2 on malformed input with a message and no stack trace', () => {
    const run = command([`${fixtures}kv/c01-ok.txt`, '--format', 'json', '--model', 'kv']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('invalid JSON');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
