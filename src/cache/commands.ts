// The operations of the replicated cache, as plain data: writes (which go through the Raft log),
// reads (served by the leader after ReadIndex or under its lease, never through the log), and
// their results. The structures are LoomCache's: Map, Queue, Topic and AtomicLong, each named, so
// one cache holds many of each.

/** A write: applied on every replica in log order. */
export type WriteCommand =
  | { readonly op: 'map.put'; readonly name: string; readonly key: string; readonly value: string }
  | { readonly op: 'map.delete'; readonly name: string; readonly key: string }
  | { readonly op: 'map.putIfAbsent'; readonly name: string; readonly key: string; readonly value: string }
  | { readonly op: 'map.cas'; readonly name: string; readonly key: string; readonly expected: string | null; readonly value: string }
  | { readonly op: 'queue.offer'; readonly name: string; readonly value: string }
  | { readonly op: 'queue.poll'; readonly name: string }
  | { readonly op: 'topic.publish'; readonly name: string; readonly message: string }
  | { readonly op: 'long.set'; readonly name: string; readonly value: number }
  | { readonly op: 'long.incrementAndGet'; readonly name: string; readonly delta: number }
  | { readonly op: 'long.compareAndSet'; readonly name: string; readonly expected: number; readonly value: number };

/** A read: answered from the leader's state machine once it is safe (ReadIndex or lease). */
export type ReadQuery =
  | { readonly op: 'map.get'; readonly name: string; readonly key: string }
  | { readonly op: 'queue.peek'; readonly name: string }
  | { readonly op: 'queue.size'; readonly name: string }
  /** Messages of a topic from sequence number `from` on (at most `max`): how a subscriber receives them, in commit order. */
  | { readonly op: 'topic.read'; readonly name: string; readonly from: number; readonly max: number }
  | { readonly op: 'long.get'; readonly name: string };

export type CacheOp = WriteCommand | ReadQuery;

export type CacheResult =
  /** A value or its absence (map.get, map.put's previous value, map.delete's removed value, queue.poll/peek). */
  | { readonly kind: 'value'; readonly value: string | null }
  /** Whether a conditional operation took effect (putIfAbsent, cas, compareAndSet). */
  | { readonly kind: 'applied'; readonly applied: boolean; readonly current: string | null }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'messages'; readonly first: number; readonly messages: readonly string[] }
  /** The request could not be applied: the reason is a fact about the request, not a crash. */
  | { readonly kind: 'error'; readonly code: 'SESSION_EXPIRED' | 'STALE_SERIAL' | 'LIMIT' | 'BAD_COMMAND'; readonly message: string };

export function isWrite(op: CacheOp): op is WriteCommand {
  return !(op.op === 'map.get' || op.op === 'queue.peek' || op.op === 'queue.size' || op.op === 'topic.read' || op.op === 'long.get');
}

/** One line for the trace and the history viewer, e.g. `map.put users/k1 = "v"`. */
export function describeOp(op: CacheOp): string {
  switch (op.op) {
    case 'map.put':
    case 'map.putIfAbsent':
      return `${op.op} ${op.name}/${op.key} = ${JSON.stringify(op.value)}`;
    case 'map.cas':
      return `map.cas ${op.name}/${op.key} ${JSON.stringify(op.expected)} -> ${JSON.stringify(op.value)}`;
    case 'map.delete':
    case 'map.get':
      return `${op.op} ${op.name}/${op.key}`;
    case 'queue.offer':
      return `queue.offer ${op.name} ${JSON.stringify(op.value)}`;
    case 'topic.publish':
      return `topic.publish ${op.name} ${JSON.stringify(op.message)}`;
    case 'topic.read':
      return `topic.read ${op.name} from ${op.from}`;
    case 'long.set':
      return `long.set ${op.name} = ${op.value}`;
    case 'long.incrementAndGet':
      return `long.incrementAndGet ${op.name} +${op.delta}`;
    case 'long.compareAndSet':
      return `long.compareAndSet ${op.name} ${op.expected} -> ${op.value}`;
    default:
      return `${op.op} ${op.name}`;
  }
}
