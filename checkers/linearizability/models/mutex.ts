// A mutex: acquire succeeds only when the lock is free, release only when it is held. The state
// is whether the lock is held. An acquire or release whose outcome is unknown may not have
// happened; the checker then keeps the state as it was. Must never mutate a state.

import type { Adapter, HistoryEvent } from '../history';
import type { Model } from '../types';

export type MutexInput = { readonly f: 'acquire' | 'release' };

export function mutexModel(initiallyHeld = false): Model<boolean, MutexInput, true> {
  return {
    name: 'mutex',
    init: () => initiallyHeld,
    step(held, input, output) {
      if (input.f === 'acquire') return held ? (output === undefined ? [held] : []) : [true];
      return held ? [false] : output === undefined ? [held] : [];
    },
    equal: (a, b) => a === b,
    hash: (held) => (held ? 1 : 2),
    describeOperation: (input, output) => `${input.f}()${output === undefined ? ' -> ?' : ''}`,
    describeState: (held) => (held ? 'held' : 'free'),
  };
}

export const mutexAdapter: Adapter<MutexInput, true> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f !== 'acquire' && invoke.f !== 'release') {
    return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :acquire, :release)` };
  }
  return { kind: 'op', input: { f: invoke.f }, output: completion === null ? undefined : true };
};
