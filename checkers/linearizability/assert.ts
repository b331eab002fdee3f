// The checker's own tiny assertion helper. checkers/ imports nothing from src/, so it cannot use
// src/util/assert. A failing assertion is a bug in the checker, never a problem with the input:
// bad input is reported as a value with a message (see formats/ and events.ts).

export class CheckerAssertionError extends Error {
  override name = 'CheckerAssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckerAssertionError(message);
}

/** Marks a branch the type system says is unreachable (exhaustive switch over a union). */
export function unreachable(value: never, what: string): never {
  throw new CheckerAssertionError(`unreachable: unexpected ${what}: ${JSON.stringify(value)}`);
}
