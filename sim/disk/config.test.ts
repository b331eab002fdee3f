// Proves the disk config validator: defaults fill what is left out, and every bad field is
// refused with a message that starts with the field's path.

import { describe, expect, it } from 'vitest';
import { DEFAULT_DISK_CONFIG, validateDiskConfig } from './config';

function errorsOf(raw: unknown): string[] {
  const checked = validateDiskConfig(raw);
  return checked.ok ? [] : checked.errors;
}

describe('validateDiskConfig', () => {
  it('accepts the default config unchanged', () => {
    expect(validateDiskConfig(DEFAULT_DISK_CONFIG)).toEqual({ ok: true, config: DEFAULT_DISK_CONFIG });
  });

  it('fills every field left out from the default', () => {
    const checked = validateDiskConfig({ faults: { fsyncEio: 0.25 } });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.config.faults).toEqual({ ...DEFAULT_DISK_CONFIG.faults, fsyncEio: 0.25 });
    expect(checked.config.latency).toEqual(DEFAULT_DISK_CONFIG.latency);
    expect(checked.config.capacityBytes).toBe(DEFAULT_DISK_CONFIG.capacityBytes);
  });

  it('refuses a probability above 1 naming the field', () => {
    expect(errorsOf({ faults: { fsyncEio: 1.5 } })).toEqual(['disk.faults.fsyncEio: 1.5 is outside [0, 1]']);
  });

  it('refuses a negative probability and NaN in every fault and crash field', () => {
    for (const field of ['fsyncEio', 'enospc', 'bitFlipOnRead', 'misdirectedWrite']) {
      expect(errorsOf({ faults: { [field]: -0.1 } })).toEqual([`disk.faults.${field}: -0.1 is outside [0, 1]`]);
      expect(errorsOf({ faults: { [field]: Number.NaN } })).toEqual([`disk.faults.${field}: NaN is outside [0, 1]`]);
    }
    for (const field of ['keepUnsynced', 'tearUnsynced']) {
      expect(errorsOf({ crash: { [field]: 2 } })).toEqual([`disk.crash.${field}: 2 is outside [0, 1]`]);
    }
  });

  it('refuses a negative latency naming the field', () => {
    expect(errorsOf({ latency: { jitterUs: -5 } })).toEqual([
      'disk.latency.jitterUs: -5 is negative; a duration is >= 0 microseconds',
    ]);
  });

  it('refuses fractional, infinite and absurdly large latencies', () => {
    expect(errorsOf({ latency: { baseUs: 1.5 } })).toEqual(['disk.latency.baseUs: 1.5 is not a whole number of microseconds']);
    expect(errorsOf({ latency: { fsyncUs: Infinity } })[0]).toMatch(/^disk\.latency\.fsyncUs: Infinity is not a finite/);
    expect(errorsOf({ latency: { fsyncUs: 1e12 } })[0]).toMatch(/^disk\.latency\.fsyncUs: .*check the unit/);
  });

  it('refuses a crash split whose parts sum above 1', () => {
    expect(errorsOf({ crash: { keepUnsynced: 0.7, tearUnsynced: 0.5 } })).toEqual([
      'disk.crash: keepUnsynced + tearUnsynced = 1.2 exceeds 1 (the rest is the chance an unsynced write is lost)',
    ]);
  });

  it('refuses a zero, fractional or oversized capacity', () => {
    expect(errorsOf({ capacityBytes: 0 })).toEqual(['disk.capacityBytes: 0 must be greater than 0']);
    expect(errorsOf({ capacityBytes: 10.5 })).toEqual(['disk.capacityBytes: 10.5 is not a whole number of bytes']);
    expect(errorsOf({ capacityBytes: 2 ** 40 })[0]).toMatch(/^disk\.capacityBytes: .* lives in memory$/);
  });

  it('refuses unknown fields so that a typo is not silently ignored', () => {
    expect(errorsOf({ faults: { fsynEio: 0.1 } })).toEqual([
      'disk.faults.fsynEio: unknown field (known: fsyncEio, enospc, bitFlipOnRead, misdirectedWrite)',
    ]);
    expect(errorsOf({ speed: 1 })[0]).toMatch(/^disk\.speed: unknown field/);
  });

  it('refuses values of the wrong type naming what was given', () => {
    expect(errorsOf({ latency: { baseUs: '20' } })).toEqual(['disk.latency.baseUs: expected a number, got the string "20"']);
    expect(errorsOf({ faults: [] })).toEqual(['disk.faults: expected an object, got an array']);
    expect(errorsOf(42)).toEqual(['disk: expected an object, got number 42']);
  });

  it('reports every bad field at once, in a fixed order', () => {
    const errors = errorsOf({ capacityBytes: -1, latency: { baseUs: -1 }, faults: { enospc: 3 }, crash: { tearUnsynced: 9 } });
    expect(errors.map((error) => error.split(':')[0])).toEqual([
      'disk.capacityBytes',
      'disk.latency.baseUs',
      'disk.faults.enospc',
      'disk.crash.tearUnsynced',
    ]);
  });

  it('uses the caller’s prefix in messages', () => {
    const checked = validateDiskConfig({ faults: { enospc: 2 } }, 'nodes.n1.disk');
    expect(checked.ok ? [] : checked.errors).toEqual(['nodes.n1.disk.faults.enospc: 2 is outside [0, 1]']);
  });
});
