// A reference checker that tries every order: the obviously correct, exponential definition of
// linearizability, used only to test the real search on small histories (up to about 8
// operations). It shares nothing with search.ts: no memo cache, no entry list, no state sets
// (it branches on each successor state), and it handles never-returned operations by letting
// them be left out rather than by the search's "no effect" fallback. Must never be used on large
// histories: it asserts a size bound.

import { assert } from './assert';
import type { Model, Operation } from './types';

/** The most operations the reference accepts. */
export const bruteForceOpsMax = 12;

/** Whether some order of the operations respects real time and is legal for the model. */
export function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): boolean {
  assert(ops.length <= bruteForceOpsMax, `the brute-force reference handles at most ${bruteForceOpsMax} operations`);
  const end = (op: Operation<I, O>): number => (op.return === null ? Number.POSITIVE_INFINITY : op.return);
  // mustPrecede[x] = the operations that returned strictly before x was called.
  const mustPrecede = ops.map((x) => ops.map((y, k) => (end(y) < x.call ? k : -1)).filter((k) => k >= 0));
  const placed = new Array<boolean>(ops.length).fill(false);

  const search = (state: S, remainingCompleted: number): boolean => {
    // Done when every operation that returned is placed: never-returned ones may never take effect.
    if (remainingCompleted === 0) return true;
    for (let x = 0; x < ops.length; x++) {
      if (placed[x]) continue;
      if (!mustPrecede[x]!.every((y) => placed[y])) continue;
      const op = ops[x]!;
      for (const next of model.step(state, op.input, op.output)) {
        placed[x] = true;
        const found = search(next, remainingCompleted - (op.return === null ? 0 : 1));
        placed[x] = false;
        if (found) return true;
      }
    }
    return false;
  };
  return search(model.init(), ops.filter((op) => op.return !== null).length);
}
