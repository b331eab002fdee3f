// The cache's data: named Maps, Queues, Topics and AtomicLongs, and how each write and read acts
// on them. Deterministic and bounded: every structure has a size limit that answers LIMIT rather
// than growing without bound, and the snapshot encodes everything in sorted order so that two
// replicas with equal contents produce equal images.

import { assert } from '../util/assert';
import { BinaryReader, BinaryWriter, DecodeError } from './binary';
import type { CacheResult, ReadQuery, WriteCommand } from './commands';

export interface StoreLimits {
  readonly entriesPerMapMax: number;
  readonly queueLengthMax: number;
  /** A topic keeps this many of its newest messages; older ones are gone for late subscribers. */
  readonly topicRetainedMax: number;
  readonly valueBytesMax: number;
  readonly structuresMax: number;
  readonly topicReadMax: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  entriesPerMapMax: 100_000,
  queueLengthMax: 100_000,
  topicRetainedMax: 10_000,
  valueBytesMax: 1 << 20,
  structuresMax: 10_000,
  topicReadMax: 1_000,
};

interface Topic {
  /** Sequence number of messages[0]; sequence numbers start at 1 and never repeat. */
  first: number;
  messages: string[];
}

export class CacheStore {
  private readonly maps = new Map<string, Map<string, string>>();
  private readonly queues = new Map<string, string[]>();
  private readonly topics = new Map<string, Topic>();
  private readonly longs = new Map<string, number>();

  constructor(private readonly limits: StoreLimits = DEFAULT_STORE_LIMITS) {}

  write(cmd: WriteCommand): CacheResult {
    if ('value' in cmd && typeof cmd.value === 'string' && cmd.value.length > this.limits.valueBytesMax) return limit(`value longer than ${this.limits.valueBytesMax}`);
    switch (cmd.op) {
      case 'map.put': {
        const map = this.mapFor(cmd.name);
        if (map === null) return limit('too many structures');
        const previous = map.get(cmd.key) ?? null;
        if (previous === null && map.size >= this.limits.entriesPerMapMax) return limit(`map ${cmd.name} is full`);
        map.set(cmd.key, cmd.value);
        return { kind: 'value', value: previous };
      }
      case 'map.delete': {
        const map = this.maps.get(cmd.name);
        const previous = map?.get(cmd.key) ?? null;
        map?.delete(cmd.key);
        return { kind: 'value', value: previous };
      }
      case 'map.putIfAbsent': {
        const map = this.mapFor(cmd.name);
        if (map === null) return limit('too many structures');
        const current = map.get(cmd.key) ?? null;
        if (current !== null) return { kind: 'applied', applied: false, current };
        if (map.size >= this.limits.entriesPerMapMax) return limit(`map ${cmd.name} is full`);
        map.set(cmd.key, cmd.value);
        return { kind: 'applied', applied: true, current: cmd.value };
      }
      case 'map.cas': {
        const map = this.mapFor(cmd.name);
        if (map === null) return limit('too many structures');
        const current = map.get(cmd.key) ?? null;
        if (current !== cmd.expected) return { kind: 'applied', applied: false, current };
        if (current === null && map.size >= this.limits.entriesPerMapMax) return limit(`map ${cmd.name} is full`);
        map.set(cmd.key, cmd.value);
        return { kind: 'applied', applied: true, current: cmd.value };
      }
      case 'queue.offer': {
        const queue = this.queueFor(cmd.name);
        if (queue === null) return limit('too many structures');
        if (queue.length >= this.limits.queueLengthMax) return { kind: 'applied', applied: false, current: null };
        queue.push(cmd.value);
        return { kind: 'applied', applied: true, current: cmd.value };
      }
      case 'queue.poll': {
        const queue = this.queues.get(cmd.name);
        // shift() is O(n) but n is bounded by queueLengthMax; clarity wins here.
        return { kind: 'value', value: queue?.shift() ?? null };
      }
      case 'topic.publish': {
        const topic = this.topicFor(cmd.name);
        if (topic === null) return limit('too many structures');
        topic.messages.push(cmd.message);
        if (topic.messages.length > this.limits.topicRetainedMax) {
          topic.messages.shift();
          topic.first++;
        }
        return { kind: 'number', value: topic.first + topic.messages.length - 1 };
      }
      case 'long.set':
        if (!this.longs.has(cmd.name) && this.structures() >= this.limits.structuresMax) return limit('too many structures');
        this.longs.set(cmd.name, cmd.value);
        return { kind: 'number', value: cmd.value };
      case 'long.incrementAndGet': {
        if (!this.longs.has(cmd.name) && this.structures() >= this.limits.structuresMax) return limit('too many structures');
        const next = (this.longs.get(cmd.name) ?? 0) + cmd.delta;
        if (!Number.isSafeInteger(next)) return limit('counter overflow');
        this.longs.set(cmd.name, next);
        return { kind: 'number', value: next };
      }
      case 'long.compareAndSet': {
        const current = this.longs.get(cmd.name) ?? 0;
        if (current !== cmd.expected) return { kind: 'applied', applied: false, current: String(current) };
        if (!this.longs.has(cmd.name) && this.structures() >= this.limits.structuresMax) return limit('too many structures');
        this.longs.set(cmd.name, cmd.value);
        return { kind: 'applied', applied: true, current: String(cmd.value) };
      }
    }
  }

  read(q: ReadQuery): CacheResult {
    switch (q.op) {
      case 'map.get':
        return { kind: 'value', value: this.maps.get(q.name)?.get(q.key) ?? null };
      case 'queue.peek':
        return { kind: 'value', value: this.queues.get(q.name)?.[0] ?? null };
      case 'queue.size':
        return { kind: 'number', value: this.queues.get(q.name)?.length ?? 0 };
      case 'topic.read': {
        const topic = this.topics.get(q.name);
        if (topic === undefined) return { kind: 'messages', first: Math.max(q.from, 1), messages: [] };
        const from = Math.max(q.from, topic.first);
        const count = Math.min(q.max, this.limits.topicReadMax);
        return { kind: 'messages', first: from, messages: topic.messages.slice(from - topic.first, from - topic.first + count) };
      }
      case 'long.get':
        return { kind: 'number', value: this.longs.get(q.name) ?? 0 };
    }
  }

  encode(w: BinaryWriter): void {
    const sorted = <T>(m: Map<string, T>): [string, T][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const maps = sorted(this.maps);
    w.uvarint(maps.length);
    for (const [name, map] of maps) {
      w.string(name);
      const entries = sorted(map);
      w.uvarint(entries.length);
      for (const [k, v] of entries) w.string(k).string(v);
    }
    const queues = sorted(this.queues);
    w.uvarint(queues.length);
    for (const [name, queue] of queues) {
      w.string(name).uvarint(queue.length);
      for (const v of queue) w.string(v);
    }
    const topics = sorted(this.topics);
    w.uvarint(topics.length);
    for (const [name, topic] of topics) {
      w.string(name).uvarint(topic.first).uvarint(topic.messages.length);
      for (const m of topic.messages) w.string(m);
    }
    const longs = sorted(this.longs);
    w.uvarint(longs.length);
    for (const [name, value] of longs) w.string(name).varint(value);
  }

  /** Replaces the contents with a snapshot's. Throws DecodeError on a malformed image. */
  decode(r: BinaryReader): void {
    this.maps.clear();
    this.queues.clear();
    this.topics.clear();
    this.longs.clear();
    const count = (): number => {
      const n = r.uvarint();
      if (n > r.remaining) throw new DecodeError(`count ${n} exceeds the ${r.remaining} bytes left`);
      return n;
    };
    for (let i = count(); i > 0; i--) {
      const map = new Map<string, string>();
      this.maps.set(r.string(), map);
      for (let j = count(); j > 0; j--) map.set(r.string(), r.string());
    }
    for (let i = count(); i > 0; i--) {
      const name = r.string();
      const queue: string[] = [];
      for (let j = count(); j > 0; j--) queue.push(r.string());
      this.queues.set(name, queue);
    }
    for (let i = count(); i > 0; i--) {
      const name = r.string();
      const first = r.uvarint();
      const messages: string[] = [];
      for (let j = count(); j > 0; j--) messages.push(r.string());
      this.topics.set(name, { first, messages });
    }
    for (let i = count(); i > 0; i--) this.longs.set(r.string(), r.varint());
    assert(this.structures() <= this.limits.structuresMax * 4, 'snapshot holds more structures than any replica could create');
  }

  private structures(): number {
    return this.maps.size + this.queues.size + this.topics.size + this.longs.size;
  }

  private mapFor(name: string): Map<string, string> | null {
    const existing = this.maps.get(name);
    if (existing !== undefined) return existing;
    if (this.structures() >= this.limits.structuresMax) return null;
    const map = new Map<string, string>();
    this.maps.set(name, map);
    return map;
  }

  private queueFor(name: string): string[] | null {
    const existing = this.queues.get(name);
    if (existing !== undefined) return existing;
    if (this.structures() >= this.limits.structuresMax) return null;
    const queue: string[] = [];
    this.queues.set(name, queue);
    return queue;
  }

  private topicFor(name: string): Topic | null {
    const existing = this.topics.get(name);
    if (existing !== undefined) return existing;
    if (this.structures() >= this.limits.structuresMax) return null;
    const topic: Topic = { first: 1, messages: [] };
    this.topics.set(name, topic);
    return topic;
  }
}

function limit(message: string): CacheResult {
  return { kind: 'error', code: 'LIMIT', message };
}
