// Where storage keeps things on the node's disk: the file names and the parsing of them. This
// module owns the layout; every other module asks it for paths.
//
//   identity                   the node's Raft id, written once before any Raft state: one frame
//   identity.tmp               the identity while it is written; renamed over identity
//   meta                       the hard state (term, vote, commit index) as of its last term or
//                              vote change: one frame
//   meta.tmp                   the next hard state while it is written; renamed over meta
//   wal/<firstLsn:16>.seg      WAL segments, named by the sequence number of their first record;
//                              a segment header frame, then append and commit records with
//                              consecutive LSNs (a commit record: the commit index, when only it
//                              moved; recovery takes the newer of it and meta's)
//   snap/<index:16>-<term:16>.snap   a snapshot: one frame holding the image and its metadata
//   snap/<index:16>-<term:16>.tmp    a snapshot being written; renamed to .snap once synced
//
// Numbers are zero-padded decimal so the sorted listing is the numeric order. Must never decide
// anything about contents: names only.

export const IDENTITY_PATH = 'identity';
export const IDENTITY_TMP_PATH = 'identity.tmp';
export const META_PATH = 'meta';
export const META_TMP_PATH = 'meta.tmp';
export const ROOT_DIR = '';
export const WAL_DIR = 'wal';
export const SNAP_DIR = 'snap';

const NUMBER_DIGITS = 16;

export function segmentPath(firstLsn: number): string {
  return `${WAL_DIR}/${pad(firstLsn)}.seg`;
}

/** The first LSN a segment name carries, or null if the name is not a segment's. */
export function parseSegmentName(name: string): number | null {
  const match = /^(\d{16})\.seg$/.exec(name);
  if (match === null) return null;
  const lsn = Number(match[1]);
  return Number.isSafeInteger(lsn) && lsn >= 1 ? lsn : null;
}

export function snapshotPath(lastIndex: number, lastTerm: number): string {
  return `${SNAP_DIR}/${pad(lastIndex)}-${pad(lastTerm)}.snap`;
}

export function snapshotTmpPath(lastIndex: number, lastTerm: number): string {
  return `${SNAP_DIR}/${pad(lastIndex)}-${pad(lastTerm)}.tmp`;
}

export interface SnapshotName {
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** True for a finished snapshot (.snap), false for one that was being written (.tmp). */
  readonly complete: boolean;
}

export function parseSnapshotName(name: string): SnapshotName | null {
  const match = /^(\d{16})-(\d{16})\.(snap|tmp)$/.exec(name);
  if (match === null) return null;
  const lastIndex = Number(match[1]);
  const lastTerm = Number(match[2]);
  if (!Number.isSafeInteger(lastIndex) || !Number.isSafeInteger(lastTerm)) return null;
  return { lastIndex, lastTerm, complete: match[3] === 'snap' };
}

export function inDir(dir: string, name: string): string {
  return dir === ROOT_DIR ? name : `${dir}/${name}`;
}

function pad(value: number): string {
  return String(value).padStart(NUMBER_DIGITS, '0');
}
