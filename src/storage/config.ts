// The storage engine's knobs and their validation. A config comes from code (the node's
// composition, a scenario), so the validator returns messages naming the field at fault rather
// than throwing; RaftStorage asserts that it was given a valid one. Must never throw on a bad
// config: that is the caller's mistake, reported as a value.

export interface StorageConfig {
  /** Rotate to a new WAL segment when a write would take the current one past this size. */
  readonly segmentBytesMax: number;
  /** One group commit (one fsync) covers at most this many entries (at least one request). */
  readonly groupCommitEntriesMax: number;
  /** Entries are packed into WAL records of about this many payload bytes (one entry at least). */
  readonly recordBytesTarget: number;
  /**
   * Planted bug: recovery checks only a frame's header checksum, not its payload's, so a torn or
   * corrupted record whose header survived is replayed as if it were intact. Absent: false.
   */
  readonly skipPayloadChecksum?: boolean;
}

export const DEFAULT_STORAGE_CONFIG: StorageConfig = Object.freeze({
  segmentBytesMax: 4 << 20,
  groupCommitEntriesMax: 4096,
  recordBytesTarget: 64 << 10,
});

/** Persist requests waiting behind the one in flight: the Raft core's pipeline keeps far fewer. */
export const QUEUED_REQUESTS_MAX = 1 << 16;
/** Requests in one group commit, whatever their size. */
export const ROUND_REQUESTS_MAX = 4096;

export function storageConfigProblems(config: StorageConfig, prefix = 'storage'): string[] {
  const problems: string[] = [];
  const positive = (name: 'segmentBytesMax' | 'groupCommitEntriesMax' | 'recordBytesTarget', max: number): void => {
    const value = config[name];
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      problems.push(`${prefix}.${name}: ${value} must be an integer in [1, ${max}]`);
    }
  };
  positive('segmentBytesMax', 1 << 30);
  positive('groupCommitEntriesMax', 1 << 20);
  positive('recordBytesTarget', 1 << 26);
  return problems;
}
