// Configuration validation: a bad configuration is a value listing every problem, each naming
// its field; the defaults are valid.

import { describe, expect, it } from 'vitest';
import { defaultRaftConfig, leaseDurationUs, validateRaftConfig } from './config';

function fields(raw: unknown): string[] {
  const r = validateRaftConfig(raw);
  return r.ok ? [] : r.errors.map((e) => e.field);
}

describe('validateRaftConfig', () => {
  it('accepts the defaults', () => {
    const r = validateRaftConfig(defaultRaftConfig(['n1', 'n2', 'n3']));
    expect(r.ok).toBe(true);
  });

  it('rejects a non-object', () => {
    expect(validateRaftConfig(null)).toEqual({ ok: false, errors: [{ field: '(root)', message: 'must be an object' }] });
  });

  it('requires the heartbeat to be well below the election timeout', () => {
    const r = validateRaftConfig({ ...defaultRaftConfig(['n1']), heartbeatIntervalUs: 60_000 });
    expect(r).toEqual({ ok: false, errors: [{ field: 'heartbeatIntervalUs', message: 'must be at most a third of electionTimeoutMinUs (150000), got 60000' }] });
  });

  it('requires the maximum election timeout above the minimum', () => {
    expect(fields({ ...defaultRaftConfig(['n1']), electionTimeoutMaxUs: 150_000 })).toEqual(['electionTimeoutMaxUs']);
  });

  it('requires the drift bound in [0, 1)', () => {
    expect(fields({ ...defaultRaftConfig(['n1']), clockDriftBound: 1 })).toEqual(['clockDriftBound']);
    expect(fields({ ...defaultRaftConfig(['n1']), clockDriftBound: -0.1 })).toEqual(['clockDriftBound']);
    expect(fields({ ...defaultRaftConfig(['n1']), clockDriftBound: 0 })).toEqual([]);
  });

  it('requires every bound to be a positive integer and names each one', () => {
    expect(fields({ ...defaultRaftConfig(['n1']), inflightAppendsMax: 0, appendEntriesMax: 1.5, pendingReadsMax: '9' })).toEqual(['appendEntriesMax', 'inflightAppendsMax', 'pendingReadsMax']);
  });

  it('rejects duplicate or overlapping membership and unknown bug switches', () => {
    expect(fields({ ...defaultRaftConfig(['n1', 'n1']) })).toEqual(['initialVoters']);
    expect(fields({ ...defaultRaftConfig(['n1']), initialLearners: ['n1'] })).toEqual(['initialLearners']);
    const withUnknown = { ...defaultRaftConfig(['n1']), bugs: { ...defaultRaftConfig(['n1']).bugs, typo: true } };
    expect(validateRaftConfig(withUnknown)).toEqual({ ok: false, errors: [{ field: 'bugs.typo', message: 'is not a known planted bug' }] });
  });
});

describe('leaseDurationUs', () => {
  it('is the minimum election timeout shortened by the drift bound', () => {
    expect(leaseDurationUs(defaultRaftConfig(['n1'], { electionTimeoutMinUs: 200_000, clockDriftBound: 0.25 }))).toBe(150_000);
  });
});
