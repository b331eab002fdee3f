// Small helpers shared by the disk's tests: build a disk from a partial config, run an operation
// and insist on success or on a given error, turn text into bytes and back. Test-only: product
// code must never import this file.

import { expect } from 'vitest';
import type { DiskErrorCode, DiskOp, DiskResult } from '../../src/host/contract';
import { Rng } from '../rng/streams';
import { validateDiskConfig } from './config';
import { SimDisk } from './disk';
import type { DiskExecution } from './disk';

/** A disk with no latency jitter unless asked, and the given overrides of the default config. */
export function makeDisk(overrides: unknown = {}, seed = 'disk-test'): SimDisk {
  const checked = validateDiskConfig(overrides);
  if (!checked.ok) throw new Error(`bad test config: ${checked.errors.join('; ')}`);
  return new SimDisk(checked.config, new Rng(seed));
}

export type OkResult = Extract<DiskResult, { ok: true }>;

/** Runs an op that must succeed and returns its result. */
export function ok(disk: SimDisk, op: DiskOp): OkResult {
  const { result } = disk.execute(op);
  if (!result.ok) throw new Error(`${op.op} failed: ${result.code} ${result.detail}`);
  return result;
}

/** Runs an op that must fail with `code` and returns the whole execution. */
export function fails(disk: SimDisk, op: DiskOp, code: DiskErrorCode): DiskExecution {
  const execution = disk.execute(op);
  expect(execution.result.ok ? 'ok' : execution.result.code).toBe(code);
  return execution;
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(data: Uint8Array | undefined): string {
  if (data === undefined) throw new Error('no data');
  return new TextDecoder().decode(data);
}

/** The whole file as the page cache shows it. */
export function readAll(disk: SimDisk, path: string): Uint8Array {
  const data = ok(disk, { op: 'readAll', path }).data;
  if (data === undefined) throw new Error(`readAll ${path} returned no data`);
  return data;
}

/** Creates `path` with `content`, fsyncs it and its directory: everything durable. */
export function durableFile(disk: SimDisk, path: string, content: string, dir = ''): void {
  ok(disk, { op: 'create', path });
  if (content.length > 0) ok(disk, { op: 'append', path, data: bytes(content) });
  ok(disk, { op: 'fsync', path });
  ok(disk, { op: 'fsyncDir', dir });
}

export const LOSE_ALL = { keepUnsynced: 0, tearUnsynced: 0 } as const;
export const KEEP_ALL = { keepUnsynced: 1, tearUnsynced: 0 } as const;
export const TEAR_ALL = { keepUnsynced: 0, tearUnsynced: 1 } as const;
