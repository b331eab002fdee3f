// Binary codecs for what storage keeps: log entries, configurations, the hard state (term, vote,
// commit index) and snapshot images with their metadata. Each encoded body starts with a format
// version byte so a later format can be told apart from damage. Decoders take untrusted bytes
// and return values with messages, never throw; encoders assert on values the core could never
// produce. Must never know about files or frames (see frame.ts) and never read a clock.

import type { Configuration, EntryKind, LogEntry, NodeId, SnapshotMeta } from '../raft/types';
import { assert } from '../util/assert';
import { ByteReader, ByteWriter, DecodeError } from './bytes';

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The hard state: what persistState writes and the metadata file holds. */
export interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly commitIndex: number;
}

/** A snapshot file's content: the image, its metadata, and where the WAL's valid log begins. */
export interface SnapshotImage {
  readonly meta: SnapshotMeta;
  /**
   * WAL records with a sequence number below this belong to a log the snapshot replaced
   * (saveSnapshot with retainLog false) and are skipped on replay. 1 when nothing was replaced.
   */
  readonly logStartLsn: number;
  readonly data: Uint8Array;
}

/** The body of one WAL append record: an optional truncation, then entries. */
export interface AppendBody {
  /** Delete every entry with index >= truncateFrom first; null: none. */
  readonly truncateFrom: number | null;
  readonly entries: readonly LogEntry[];
}

/** The body of one WAL commit record: the commit index, durable once the record is. */
export interface CommitBody {
  readonly commitIndex: number;
}

export const HARD_STATE_VERSION = 1;
export const COMMIT_VERSION = 1;
/** A commit body's size: version, commit index. */
export const COMMIT_BODY_BYTES = 1 + 8;
export const SNAPSHOT_VERSION = 1;
export const APPEND_VERSION = 1;
/** An append body's bytes before its entries: version, truncation point, entry count. */
export const APPEND_BODY_HEADER_BYTES = 1 + 8 + 4;
/** A configuration lists at most this many members per list: more is damage. */
export const CONFIG_MEMBERS_MAX = 1024;
/** An append record holds at most this many entries: more is damage. */
export const APPEND_ENTRIES_MAX = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Encoders

export function encodeHardState(state: HardState, out = new ByteWriter(64)): Uint8Array {
  out.u8(HARD_STATE_VERSION);
  out.u64(state.term);
  writeOptionalString(out, state.votedFor);
  out.u64(state.commitIndex);
  return out.finish();
}

export function encodeSnapshotImage(image: SnapshotImage): Uint8Array {
  const out = new ByteWriter(image.data.length + 128);
  out.u8(SNAPSHOT_VERSION);
  out.u64(image.meta.lastIndex);
  out.u64(image.meta.lastTerm);
  writeConfig(out, image.meta.config);
  out.u64(image.logStartLsn);
  out.bytes(image.data);
  return out.finish();
}

/** Appends an append record body to `out` (the WAL writes many into one buffer). */
export function writeAppendBody(out: ByteWriter, body: AppendBody): void {
  assert(body.entries.length <= APPEND_ENTRIES_MAX, 'append body: too many entries for one record');
  out.u8(APPEND_VERSION);
  out.u64(body.truncateFrom ?? 0);
  out.u32(body.entries.length);
  for (const entry of body.entries) writeEntry(out, entry);
}

/** Appends a commit record body to `out`. */
export function writeCommitBody(out: ByteWriter, body: CommitBody): void {
  assert(Number.isSafeInteger(body.commitIndex) && body.commitIndex >= 1, 'commit body: a commit index from 1');
  out.u8(COMMIT_VERSION);
  out.u64(body.commitIndex);
}

export function encodeAppendBody(body: AppendBody): Uint8Array {
  const out = new ByteWriter(64);
  writeAppendBody(out, body);
  return out.finish();
}

/** The exact size writeEntry produces, so records can be packed to a byte budget without encoding twice. */
export function entryEncodedBytes(entry: LogEntry): number {
  let size = 8 + 8 + 1 + 4 + entry.data.length;
  if (entry.config !== null) size += configEncodedBytes(entry.config);
  return size;
}

export function writeEntry(out: ByteWriter, entry: LogEntry): void {
  assert(entry.index >= 1, 'entry: index starts at 1');
  assert((entry.kind === 'config') === (entry.config !== null), 'entry: config is set iff the kind is config');
  out.u64(entry.index);
  out.u64(entry.term);
  out.u8(KIND_CODES[entry.kind]);
  out.bytes(entry.data);
  if (entry.config !== null) writeConfig(out, entry.config);
}

// ---------------------------------------------------------------------------------------------
// Decoders

export function decodeHardState(bytes: Uint8Array): Decoded<HardState> {
  return decoding('hard state', bytes, (r) => {
    expectVersion(r, HARD_STATE_VERSION);
    const term = r.u64();
    const votedFor = readOptionalString(r);
    const commitIndex = r.u64();
    r.expectEnd();
    return { term, votedFor, commitIndex };
  });
}

export function decodeSnapshotImage(bytes: Uint8Array): Decoded<SnapshotImage> {
  return decoding('snapshot', bytes, (r) => {
    expectVersion(r, SNAPSHOT_VERSION);
    const lastIndex = r.u64();
    const lastTerm = r.u64();
    const config = readConfig(r);
    const logStartLsn = r.u64();
    if (logStartLsn < 1) throw new DecodeError('log start sequence number 0');
    const data = r.bytes();
    r.expectEnd();
    return { meta: { lastIndex, lastTerm, config }, logStartLsn, data };
  });
}

export function decodeAppendBody(bytes: Uint8Array, start = 0, end = bytes.length): Decoded<AppendBody> {
  return decoding('append record', bytes, (r) => {
    expectVersion(r, APPEND_VERSION);
    const truncateRaw = r.u64();
    const count = r.u32();
    if (count > APPEND_ENTRIES_MAX) throw new DecodeError(`${count} entries exceeds ${APPEND_ENTRIES_MAX}`);
    const entries: LogEntry[] = [];
    for (let i = 0; i < count; i++) entries.push(readEntry(r));
    r.expectEnd();
    return { truncateFrom: truncateRaw === 0 ? null : truncateRaw, entries };
  }, start, end);
}

export function decodeCommitBody(bytes: Uint8Array, start = 0, end = bytes.length): Decoded<CommitBody> {
  return decoding('commit record', bytes, (r) => {
    expectVersion(r, COMMIT_VERSION);
    const commitIndex = r.u64();
    if (commitIndex < 1) throw new DecodeError('commit index 0');
    r.expectEnd();
    return { commitIndex };
  }, start, end);
}

// ---------------------------------------------------------------------------------------------
// Helpers

const KIND_CODES: Readonly<Record<EntryKind, number>> = { command: 1, noop: 2, config: 3 };
const KINDS_BY_CODE: readonly (EntryKind | undefined)[] = [undefined, 'command', 'noop', 'config'];

function decoding<T>(what: string, bytes: Uint8Array, body: (r: ByteReader) => T, start = 0, end = bytes.length): Decoded<T> {
  try {
    return { ok: true, value: body(new ByteReader(bytes, start, end)) };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, reason: `${what}: ${error.message}` };
    throw error;
  }
}

function expectVersion(r: ByteReader, version: number): void {
  const found = r.u8();
  if (found !== version) throw new DecodeError(`unknown format version ${found} (this build reads ${version})`);
}

function readEntry(r: ByteReader): LogEntry {
  const index = r.u64();
  const term = r.u64();
  const code = r.u8();
  const kind = KINDS_BY_CODE[code];
  if (kind === undefined) throw new DecodeError(`entry: unknown kind code ${code}`);
  if (index < 1) throw new DecodeError('entry: index 0');
  const data = r.bytes();
  const config = kind === 'config' ? readConfig(r) : null;
  return { index, term, kind, data, config };
}

function writeConfig(out: ByteWriter, config: Configuration): void {
  writeMembers(out, config.voters);
  out.u8(config.votersOld === null ? 0 : 1);
  if (config.votersOld !== null) writeMembers(out, config.votersOld);
  writeMembers(out, config.learners);
}

function configEncodedBytes(config: Configuration): number {
  const members = (ids: readonly NodeId[]): number => 2 + ids.reduce((sum, id) => sum + 2 + utf8Bytes(id), 0);
  return members(config.voters) + 1 + (config.votersOld === null ? 0 : members(config.votersOld)) + members(config.learners);
}

function readConfig(r: ByteReader): Configuration {
  const voters = readMembers(r);
  const jointFlag = r.u8();
  if (jointFlag > 1) throw new DecodeError(`configuration: joint flag ${jointFlag}`);
  const votersOld = jointFlag === 1 ? readMembers(r) : null;
  const learners = readMembers(r);
  return { voters, votersOld, learners };
}

function writeMembers(out: ByteWriter, ids: readonly NodeId[]): void {
  assert(ids.length <= CONFIG_MEMBERS_MAX, 'configuration: too many members to encode');
  out.u16(ids.length);
  for (const id of ids) out.string(id);
}

function readMembers(r: ByteReader): NodeId[] {
  const count = r.u16();
  if (count > CONFIG_MEMBERS_MAX) throw new DecodeError(`configuration: ${count} members exceeds ${CONFIG_MEMBERS_MAX}`);
  const ids: NodeId[] = [];
  for (let i = 0; i < count; i++) ids.push(r.string());
  return ids;
}

function writeOptionalString(out: ByteWriter, text: string | null): void {
  out.u8(text === null ? 0 : 1);
  if (text !== null) out.string(text);
}

function readOptionalString(r: ByteReader): string | null {
  const flag = r.u8();
  if (flag > 1) throw new DecodeError(`optional string: flag ${flag}`);
  return flag === 1 ? r.string() : null;
}

function utf8Bytes(text: string): number {
  // Node ids are ASCII in practice; count exactly anyway so packing never misjudges a record.
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
