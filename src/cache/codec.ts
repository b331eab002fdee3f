// The cache's wire and log format: a request envelope (session, serial, the leader's stamp and the
// command) and each result, in a compact binary form with one tag byte per variant. Version 1.
// Decoding never trusts its input (see binary.ts).

import { unreachable } from '../util/assert';
import { BinaryReader, BinaryWriter, DecodeError } from './binary';
import type { CacheOp, CacheResult, WriteCommand } from './commands';

/** A write as it is stored in the Raft log. */
export interface Envelope {
  readonly sessionId: string;
  /** Per-session, increasing: a retried request carries the same serial. */
  readonly serial: number;
  /** The proposing leader's clock when it accepted the request: the state machine's notion of time. */
  readonly stampUs: number;
  readonly command: WriteCommand;
}

export const CODEC_VERSION = 1;

const OP_TAGS: readonly CacheOp['op'][] = [
  'map.put',
  'map.delete',
  'map.putIfAbsent',
  'map.cas',
  'queue.offer',
  'queue.poll',
  'topic.publish',
  'long.set',
  'long.incrementAndGet',
  'long.compareAndSet',
  'map.get',
  'queue.peek',
  'queue.size',
  'topic.read',
  'long.get',
];

export function encodeOp(op: CacheOp, w: BinaryWriter = new BinaryWriter()): BinaryWriter {
  w.byte(OP_TAGS.indexOf(op.op)).string(op.name);
  switch (op.op) {
    case 'map.put':
    case 'map.putIfAbsent':
      return w.string(op.key).string(op.value);
    case 'map.delete':
    case 'map.get':
      return w.string(op.key);
    case 'map.cas':
      return w.string(op.key).optionalString(op.expected).string(op.value);
    case 'queue.offer':
      return w.string(op.value);
    case 'topic.publish':
      return w.string(op.message);
    case 'topic.read':
      return w.uvarint(op.from).uvarint(op.max);
    case 'long.set':
      return w.varint(op.value);
    case 'long.incrementAndGet':
      return w.varint(op.delta);
    case 'long.compareAndSet':
      return w.varint(op.expected).varint(op.value);
    case 'queue.poll':
    case 'queue.peek':
    case 'queue.size':
    case 'long.get':
      return w;
    default:
      return unreachable(op, 'cache op');
  }
}

export function decodeOp(r: BinaryReader): CacheOp {
  const tag = r.byte();
  const op = OP_TAGS[tag];
  if (op === undefined) throw new DecodeError(`unknown operation tag ${tag}`);
  const name = r.string(1024);
  switch (op) {
    case 'map.put':
    case 'map.putIfAbsent':
      return { op, name, key: r.string(1024), value: r.string() };
    case 'map.delete':
    case 'map.get':
      return { op, name, key: r.string(1024) };
    case 'map.cas':
      return { op, name, key: r.string(1024), expected: r.optionalString(), value: r.string() };
    case 'queue.offer':
      return { op, name, value: r.string() };
    case 'topic.publish':
      return { op, name, message: r.string() };
    case 'topic.read':
      return { op, name, from: r.uvarint(), max: r.uvarint() };
    case 'long.set':
      return { op, name, value: r.varint() };
    case 'long.incrementAndGet':
      return { op, name, delta: r.varint() };
    case 'long.compareAndSet':
      return { op, name, expected: r.varint(), value: r.varint() };
    case 'queue.poll':
    case 'queue.peek':
    case 'queue.size':
    case 'long.get':
      return { op, name };
  }
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  const w = new BinaryWriter().byte(CODEC_VERSION).string(e.sessionId).uvarint(e.serial).uvarint(e.stampUs);
  return encodeOp(e.command, w).finish();
}

export function decodeEnvelope(data: Uint8Array): Envelope {
  const r = new BinaryReader(data);
  const version = r.byte();
  if (version !== CODEC_VERSION) throw new DecodeError(`unknown envelope version ${version}`);
  const sessionId = r.string(256);
  const serial = r.uvarint();
  const stampUs = r.uvarint();
  const command = decodeOp(r);
  r.end();
  if (command.op === 'map.get' || command.op === 'queue.peek' || command.op === 'queue.size' || command.op === 'topic.read' || command.op === 'long.get') {
    throw new DecodeError(`a read (${command.op}) cannot be a log entry`);
  }
  return { sessionId, serial, stampUs, command };
}

const RESULT_TAGS = ['value', 'applied', 'number', 'messages', 'error'] as const;
const ERROR_CODES = ['SESSION_EXPIRED', 'STALE_SERIAL', 'LIMIT', 'BAD_COMMAND'] as const;

export function encodeResult(result: CacheResult): Uint8Array {
  const w = new BinaryWriter().byte(RESULT_TAGS.indexOf(result.kind));
  switch (result.kind) {
    case 'value':
      return w.optionalString(result.value).finish();
    case 'applied':
      return w.byte(result.applied ? 1 : 0).optionalString(result.current).finish();
    case 'number':
      return w.varint(result.value).finish();
    case 'messages':
      w.uvarint(result.first).uvarint(result.messages.length);
      for (const m of result.messages) w.string(m);
      return w.finish();
    case 'error':
      return w.byte(ERROR_CODES.indexOf(result.code)).string(result.message).finish();
  }
}

export function decodeResult(data: Uint8Array): CacheResult {
  const r = new BinaryReader(data);
  const tag = RESULT_TAGS[r.byte()];
  let result: CacheResult;
  switch (tag) {
    case 'value':
      result = { kind: 'value', value: r.optionalString() };
      break;
    case 'applied': {
      const applied = r.byte() === 1;
      result = { kind: 'applied', applied, current: r.optionalString() };
      break;
    }
    case 'number':
      result = { kind: 'number', value: r.varint() };
      break;
    case 'messages': {
      const first = r.uvarint();
      const count = r.uvarint();
      if (count > r.remaining) throw new DecodeError(`${count} messages cannot fit in ${r.remaining} bytes`);
      const messages: string[] = [];
      for (let i = 0; i < count; i++) messages.push(r.string());
      result = { kind: 'messages', first, messages };
      break;
    }
    case 'error': {
      const code = ERROR_CODES[r.byte()];
      if (code === undefined) throw new DecodeError('unknown error code');
      result = { kind: 'error', code, message: r.string() };
      break;
    }
    default:
      throw new DecodeError('unknown result tag');
  }
  r.end();
  return result;
}
