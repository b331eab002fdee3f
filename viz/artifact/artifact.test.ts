// Proves the artifact loader: real runs load, and every kind of malformed or wrong-version input
// becomes a message naming the problem (never a throw).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseArtifact, validateArtifact } from './artifact';
import { fixture } from '../testing/cached';

describe('parseArtifact', () => {
  it('accepts a real simulator artifact with a checker verdict', () => {
    const result = parseArtifact(JSON.stringify(fixture()));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.run.trace.length).toBeGreaterThan(1000);
  });

  it('names invalid JSON', () => {
    const result = parseArtifact('{"format": "loom-run/1",', 'bad.json');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toMatch(/^bad\.json is not valid JSON/);
  });

  it('names a wrong format version', () => {
    const result = validateArtifact({ ...fixture(), format: 'loom-run/2' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('"loom-run/2"');
  });

  it('names a file that is not an artifact at all', () => {
    for (const value of [[], 'x', 3, null, { hello: 1 }]) {
      const result = validateArtifact(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/not a Loom run artifact/);
    }
  });

  it('names the trace record that breaks the order of time', () => {
    const run = fixture();
    const trace = run.trace.map((r) => ({ ...r }));
    (trace[10] as { trueUs: number }).trueUs = -5;
    const result = validateArtifact({ ...run, trace });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('trace[10]');
  });

  it('names a history event of an unknown type', () => {
    const run = fixture();
    const history = run.history.map((e, i) => (i === 3 ? { ...e, type: 'maybe' } : e));
    const result = validateArtifact({ ...run, history });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('history[3]');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseArtifact(JSON.stringify(value));
        return result.ok === false && result.error.length > 0;
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a damaged artifact object (fields replaced by arbitrary values)', () => {
    const run = fixture();
    const keys = ['format', 'seed', 'scenario', 'schedule', 'summary', 'verdicts', 'history', 'trace'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const result = validateArtifact({ ...run, trace: run.trace.slice(0, 50), [key]: value });
        return typeof result.ok === 'boolean';
      }),
      { numRuns: 200 },
    );
  });
});
