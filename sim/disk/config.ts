// The simulated disk's configuration: capacity, latency per operation, fault rates and what a
// crash does to unsynced writes, plus the validator that turns user input (a scenario file, a
// CLI flag) into a config or a list of messages, each naming the field at fault. Must never
// throw on bad input: a wrong config is the user's mistake, so it comes back as a value.

import { durationUs, probability, readNumber, readObject } from '../config/fields';

export interface DiskLatencyConfig {
  /** Every operation waits this long. */
  readonly baseUs: number;
  /** Plus a uniform draw in [0, jitterUs]. */
  readonly jitterUs: number;
  /** fsync and fsyncDir wait this much more. */
  readonly fsyncUs: number;
}

/** Probabilities in [0, 1], drawn once per operation of the kind they apply to. */
export interface DiskFaultRates {
  /** fsync fails with EIO and the file's dirty writes are dropped. */
  readonly fsyncEio: number;
  /** write or append fails with ENOSPC although space remains. */
  readonly enospc: number;
  /** read or readAll returns its data with one bit flipped (the stored bytes are intact). */
  readonly bitFlipOnRead: number;
  /** write or append reaches the durable image at another offset of the file. */
  readonly misdirectedWrite: number;
}

/** What a crash does to each unsynced write: kept whole, torn (a prefix kept), else lost. */
export interface DiskCrashConfig {
  readonly keepUnsynced: number;
  readonly tearUnsynced: number;
}

export interface DiskConfig {
  /** A write that would make the files visible in the page cache exceed this fails with ENOSPC. */
  readonly capacityBytes: number;
  readonly latency: DiskLatencyConfig;
  readonly faults: DiskFaultRates;
  readonly crash: DiskCrashConfig;
}

/** No faults, a gigabyte, and latencies in the range of a fast SSD. */
export const DEFAULT_DISK_CONFIG: DiskConfig = Object.freeze({
  capacityBytes: 1 << 30,
  latency: Object.freeze({ baseUs: 20, jitterUs: 10, fsyncUs: 200 }),
  faults: Object.freeze({ fsyncEio: 0, enospc: 0, bitFlipOnRead: 0, misdirectedWrite: 0 }),
  crash: Object.freeze({ keepUnsynced: 0, tearUnsynced: 0 }),
});

export type DiskConfigValidation = { ok: true; config: DiskConfig } | { ok: false; errors: string[] };

/**
 * Checks a config from outside the program. Fields left out take their DEFAULT_DISK_CONFIG
 * value, so `{ faults: { fsyncEio: 0.01 } }` is a complete config; unknown fields are refused
 * (a typo must not silently mean "no faults"). Every message starts with the field's path,
 * e.g. "disk.faults.fsyncEio: 1.5 is outside [0, 1]".
 */
export function validateDiskConfig(raw: unknown, fieldPrefix = 'disk'): DiskConfigValidation {
  const errors: string[] = [];
  const top = readObject(raw ?? {}, fieldPrefix, TOP_FIELDS, errors);
  if (top === null) return { ok: false, errors };

  const capacityBytes = readNumber(top, 'capacityBytes', DEFAULT_DISK_CONFIG.capacityBytes, fieldPrefix, errors, capacity);

  const latencyName = `${fieldPrefix}.latency`;
  const latencyRaw = readObject(top['latency'] ?? {}, latencyName, LATENCY_FIELDS, errors) ?? {};
  const latencyDefault = DEFAULT_DISK_CONFIG.latency;
  const latency: DiskLatencyConfig = {
    baseUs: readNumber(latencyRaw, 'baseUs', latencyDefault.baseUs, latencyName, errors, durationUs),
    jitterUs: readNumber(latencyRaw, 'jitterUs', latencyDefault.jitterUs, latencyName, errors, durationUs),
    fsyncUs: readNumber(latencyRaw, 'fsyncUs', latencyDefault.fsyncUs, latencyName, errors, durationUs),
  };

  const faultsName = `${fieldPrefix}.faults`;
  const faultsRaw = readObject(top['faults'] ?? {}, faultsName, FAULT_FIELDS, errors) ?? {};
  const faultsDefault = DEFAULT_DISK_CONFIG.faults;
  const faults: DiskFaultRates = {
    fsyncEio: readNumber(faultsRaw, 'fsyncEio', faultsDefault.fsyncEio, faultsName, errors, probability),
    enospc: readNumber(faultsRaw, 'enospc', faultsDefault.enospc, faultsName, errors, probability),
    bitFlipOnRead: readNumber(faultsRaw, 'bitFlipOnRead', faultsDefault.bitFlipOnRead, faultsName, errors, probability),
    misdirectedWrite: readNumber(faultsRaw, 'misdirectedWrite', faultsDefault.misdirectedWrite, faultsName, errors, probability),
  };

  const crashName = `${fieldPrefix}.crash`;
  const crashRaw = readObject(top['crash'] ?? {}, crashName, CRASH_FIELDS, errors) ?? {};
  const crashDefault = DEFAULT_DISK_CONFIG.crash;
  const crash: DiskCrashConfig = {
    keepUnsynced: readNumber(crashRaw, 'keepUnsynced', crashDefault.keepUnsynced, crashName, errors, probability),
    tearUnsynced: readNumber(crashRaw, 'tearUnsynced', crashDefault.tearUnsynced, crashName, errors, probability),
  };
  const crashProblem = crashSplitProblem(crash);
  if (crashProblem !== null) errors.push(`${crashName}: ${crashProblem}`);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { capacityBytes, latency, faults, crash } };
}

/** Why a crash split is impossible (its parts must be probabilities summing to at most 1), or null. */
export function crashSplitProblem(crash: DiskCrashConfig): string | null {
  const sum = crash.keepUnsynced + crash.tearUnsynced;
  if (!(sum <= 1)) {
    return `keepUnsynced + tearUnsynced = ${sum} exceeds 1 (the rest is the chance an unsynced write is lost)`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

const TOP_FIELDS = ['capacityBytes', 'latency', 'faults', 'crash'] as const;
const LATENCY_FIELDS = ['baseUs', 'jitterUs', 'fsyncUs'] as const;
const FAULT_FIELDS = ['fsyncEio', 'enospc', 'bitFlipOnRead', 'misdirectedWrite'] as const;
const CRASH_FIELDS = ['keepUnsynced', 'tearUnsynced'] as const;

/** A file's bytes live in one Uint8Array, so a disk larger than this could not be filled anyway. */
const CAPACITY_BYTES_MAX = 2 ** 32;

function capacity(value: number): string | null {
  if (!Number.isSafeInteger(value)) return `${value} is not a whole number of bytes`;
  if (value <= 0) return `${value} must be greater than 0`;
  if (value > CAPACITY_BYTES_MAX) return `${value} is above ${CAPACITY_BYTES_MAX} (4 GiB): the simulated disk lives in memory`;
  return null;
}
