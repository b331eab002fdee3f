// The contract between a process of the system under test (a cache node, a client) and the host
// that runs it. A process is a deterministic state machine: the host feeds it one input at a
// time and executes the effects it returns, in order. The process does no I/O of its own, reads
// time only from its inputs (its own local clock, which the host may skew) and randomness only
// from the generator it was built with.
//
// In simulation the host is sim/process; a real host (TCP, a file system) could run the same
// process unchanged. Nothing here may import sim/.

/** A process's name in the cluster, e.g. "n1" or "c3". */
export type NodeId = string;

/** A process: inputs in, effects out. Never throws on bad network input; asserts on its own bugs. */
export interface Process<M, X = never, O = never> {
  step(input: HostInput<M, X>): HostEffect<M, O>[];
}

// ---------------------------------------------------------------------------------------------
// Inputs

export type HostInput<M, X = never> = HostInputKind<M, X> & {
  /**
   * The host's monotonic clock (CLOCK_MONOTONIC): it runs at the local oscillator's rate, drift
   * included, but never steps when the wall clock (nowUs) is set forward or backward. Durations
   * that safety depends on (a leader lease) are timed on it. A host without one may omit it; the
   * process then falls back to nowUs and loses that protection.
   */
  readonly monoUs?: number;
};

type HostInputKind<M, X> =
  /** The process was (re)built and should read its durable state from disk. */
  | { readonly kind: 'start'; readonly nowUs: number }
  /** A timer set with setTimer reached its local deadline. */
  | { readonly kind: 'timer'; readonly name: string; readonly nowUs: number }
  /** A message from another process, delivered by the network. */
  | { readonly kind: 'message'; readonly from: NodeId; readonly message: M; readonly nowUs: number }
  /** A disk operation this process issued has completed (or failed). */
  | { readonly kind: 'disk'; readonly opId: number; readonly result: DiskResult; readonly nowUs: number }
  /** A request from the environment (for a client process: the workload invoking an operation). */
  | { readonly kind: 'external'; readonly request: X; readonly nowUs: number };

// ---------------------------------------------------------------------------------------------
// Effects

export type HostEffect<M, O = never> =
  | { readonly kind: 'send'; readonly to: NodeId; readonly message: M }
  /** Set (or replace) the timer of this name to fire when the local clock reads atLocalUs. */
  | { readonly kind: 'setTimer'; readonly name: string; readonly atLocalUs: number }
  | { readonly kind: 'cancelTimer'; readonly name: string }
  /** Issue a disk operation; its completion comes back as a 'disk' input with the same opId. */
  | { readonly kind: 'disk'; readonly opId: number; readonly op: DiskOp }
  /** An answer to the environment (for a client process: an operation completed). */
  | { readonly kind: 'output'; readonly output: O }
  /** A fact worth recording in the trace (role changed, commit advanced, ...). Never affects behaviour. */
  | { readonly kind: 'note'; readonly event: string; readonly fields: NoteFields }
  /**
   * The process stops itself. 'restart': it crashed on purpose (an fsync failed) and the host
   * rebuilds it from its disk after the restart delay. 'fail-closed': its durable state is
   * damaged and it must stay down; a human must intervene.
   */
  | { readonly kind: 'halt'; readonly mode: 'restart' | 'fail-closed'; readonly reason: string };

export type NoteValue = string | number | boolean | null;
export type NoteFields = Readonly<Record<string, NoteValue>>;

// ---------------------------------------------------------------------------------------------
// The file system a process sees. Paths are '/'-separated, e.g. "wal/00000001.seg"; a directory
// exists implicitly when a file is under it. Creating, renaming or deleting a file is durable
// only after the directory holding it is fsync'd; file contents only after the file is fsync'd.

export type DiskOp =
  /** Create an empty file. EEXIST if it exists. */
  | { readonly op: 'create'; readonly path: string }
  /** Write bytes at an offset (extending the file if needed). ENOENT if the file does not exist. */
  | { readonly op: 'write'; readonly path: string; readonly offset: number; readonly data: Uint8Array }
  /** Write bytes at the end of the file; the result carries the offset they were written at. */
  | { readonly op: 'append'; readonly path: string; readonly data: Uint8Array }
  /** Read length bytes from offset (fewer at end of file). */
  | { readonly op: 'read'; readonly path: string; readonly offset: number; readonly length: number }
  /** Read the whole file. */
  | { readonly op: 'readAll'; readonly path: string }
  | { readonly op: 'truncate'; readonly path: string; readonly size: number }
  /** Make the file's written contents durable. */
  | { readonly op: 'fsync'; readonly path: string }
  /** Make the creations, renames and deletions of files directly in this directory durable. */
  | { readonly op: 'fsyncDir'; readonly dir: string }
  /** Atomically replace `to` with `from` (in the page cache; durable after fsyncDir). */
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly path: string }
  /** The names of the files directly in a directory, sorted. */
  | { readonly op: 'list'; readonly dir: string }
  /** The file's size in bytes. */
  | { readonly op: 'stat'; readonly path: string };

export type DiskErrorCode = 'EIO' | 'ENOSPC' | 'ENOENT' | 'EEXIST' | 'EINVAL';

export type DiskResult =
  | {
      readonly ok: true;
      /** For read and readAll. */
      readonly data?: Uint8Array;
      /** For stat, and the new size after write or append. */
      readonly size?: number;
      /** For append: the offset the data was written at. */
      readonly offset?: number;
      /** For list. */
      readonly names?: readonly string[];
    }
  | { readonly ok: false; readonly code: DiskErrorCode; readonly detail: string };
