// The client's retries: a retried write keeps its session and serial, so the state machine can
// recognise it and apply it once; with the planted bug retryWithoutDedup every attempt takes a new serial.

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../raft/testing/random';
import { CacheClient, DEFAULT_CLIENT_CONFIG } from './client';
import type { ClientRequest } from '../cache/protocol';

function serialsOfAttempts(retryWithoutDedup: boolean): [string, number][] {
  const client = new CacheClient('c1', { ...DEFAULT_CLIENT_CONFIG, servers: ['n1', 'n2', 'n3'], retryWithoutDedup }, new SeededRandom(7));
  client.step({ kind: 'start', nowUs: 0 });
  const sent: ClientRequest[] = [];
  const collect = (effects: ReturnType<CacheClient['step']>): void => {
    for (const e of effects) if (e.kind === 'send' && e.message.type === 'client.request') sent.push(e.message);
  };
  collect(client.step({ kind: 'external', request: { opId: 1, op: { op: 'map.put', name: 'm', key: 'k', value: 'v' } }, nowUs: 0 }));
  // The attempt times out, the back-off passes, the retry goes out.
  collect(client.step({ kind: 'timer', name: 'attempt', nowUs: 1_000_000 }));
  collect(client.step({ kind: 'timer', name: 'backoff', nowUs: 1_200_000 }));
  return sent.map((r) => [r.sessionId, r.serial]);
}

describe('client retries', () => {
  it('a retried write carries the same session and serial', () => {
    const attempts = serialsOfAttempts(false);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]).toEqual(attempts[0]);
  });

  it('with retryWithoutDedup the retry takes a new serial in the same session', () => {
    const [first, second] = serialsOfAttempts(true);
    expect(second?.[0]).toBe(first?.[0]);
    expect(second?.[1]).toBe((first?.[1] ?? 0) + 1);
  });
});
