// The topic check: a topic is a log that every subscriber reads in commit order. From the history
// of publishes (each answered with its sequence number) and reads (each answered with a run of
// messages from a first sequence number), it checks that all observations agree on the message at
// every sequence number, that a publish is seen where it was acknowledged, and that a read sees
// every publish acknowledged before the read began (a read returns the log as of some moment
// during its call). Reads only see a retained window, so "sees" means "unless older than the
// read's first message". Imports nothing of the rest of the workbench.

export interface TopicEvent {
  readonly index: number;
  readonly process: string;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly f: string;
  readonly value: unknown;
}

export interface TopicViolation {
  readonly message: string;
  readonly events: readonly number[];
}

/** At most this many violations are reported. */
const VIOLATIONS_MAX = 20;

export function checkTopicOrder(events: readonly TopicEvent[]): TopicViolation[] {
  const violations: TopicViolation[] = [];
  const seen = new Map<number, { message: string; event: number }>();
  const report = (message: string, at: readonly number[]): void => {
    if (violations.length < VIOLATIONS_MAX) violations.push({ message, events: at });
  };
  const observe = (seq: number, message: string, event: number): void => {
    const before = seen.get(seq);
    if (before === undefined) seen.set(seq, { message, event });
    else if (before.message !== message) report(`sequence ${seq} is ${JSON.stringify(before.message)} in event ${before.event} but ${JSON.stringify(message)} in event ${event}`, [before.event, event]);
  };
  /** Each open call, with the highest sequence number acknowledged before it began. */
  const invokes = new Map<string, { call: TopicEvent; mustSee: { seq: number; at: number } }>();
  let highestAcked = { seq: 0, at: -1 };
  for (const e of events) {
    if (e.type === 'invoke') {
      invokes.set(e.process, { call: e, mustSee: highestAcked });
      continue;
    }
    const open = invokes.get(e.process);
    invokes.delete(e.process);
    if (open === undefined || e.type !== 'ok') continue;
    if (e.f === 'publish') {
      const seq = e.value as number;
      observe(seq, open.call.value as string, e.index);
      if (seq > highestAcked.seq) highestAcked = { seq, at: e.index };
    } else if (e.f === 'read-topic') {
      const { first, messages } = e.value as { first: number; messages: string[] };
      messages.forEach((m, i) => observe(first + i, m, e.index));
      const lastSeen = first + messages.length - 1;
      // Every publish acknowledged before this read was invoked must be visible to it.
      const must = open.mustSee;
      if (must.seq > lastSeen) report(`a read (event ${e.index}) saw up to sequence ${lastSeen}, missing sequence ${must.seq} acknowledged before it began (event ${must.at})`, [must.at, e.index]);
    }
  }
  return violations;
}
