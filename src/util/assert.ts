// Assertions for conditions the code itself guarantees. A failing assertion is a bug in this
// program, never a user's mistake: user errors are values with messages (see sim/cli).
// Tiger Style: assert pre-conditions, post-conditions and invariants, one fact per call.

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Marks a branch the type system says is unreachable (exhaustive switch over a union). */
export function unreachable(value: never, what: string): never {
  throw new AssertionError(`unreachable: unexpected ${what}: ${JSON.stringify(value)}`);
}

export function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new AssertionError(`${name} must be a safe integer, got ${value}`);
}
