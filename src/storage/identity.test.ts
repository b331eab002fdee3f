// The identity file: written once, durably, before any Raft state; read back at recovery; a
// damaged one fails closed (who the node is cannot be known, so it must not act as anyone).

import { describe, expect, it } from 'vitest';
import { IDENTITY_PATH, IDENTITY_TMP_PATH } from './layout';
import { startOn } from './testing/fixtures';

describe('the identity file', () => {
  it('a fresh disk has none; once written (tmp, fsync, rename, directory fsync) every later recovery reads it', () => {
    const { disk, driver } = startOn();
    expect(driver.recovered).not.toBeNull();
    expect(driver.identity).toBeNull();
    const before = driver.ops.length;
    driver.writeIdentity('n3#k2x9q0');
    expect(driver.identityWritten).toBe('n3#k2x9q0');
    expect(driver.ops.slice(before).map((op) => op.op)).toEqual(['create', 'write', 'fsync', 'rename', 'fsyncDir']);
    expect(disk.files.has(IDENTITY_TMP_PATH)).toBe(false);
    expect(startOn(disk).driver.identity).toBe('n3#k2x9q0');
  });

  it('a temporary file left by a crash mid-write is replaced; a damaged identity file fails closed naming it', () => {
    const { disk } = startOn();
    disk.files.set(IDENTITY_TMP_PATH, new Uint8Array([1, 2, 3]));
    const again = startOn(disk).driver;
    again.writeIdentity('n1');
    expect(again.identityWritten).toBe('n1');
    const bytes = disk.files.get(IDENTITY_PATH)!;
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    const damaged = startOn(disk).driver;
    expect(damaged.recovered).toBeNull();
    expect(damaged.failClosed).toMatch(/^identity: /);
  });
});
