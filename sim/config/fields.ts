// Reading configuration that comes from outside the program (a JSON file, a CLI flag, a stored
// fault schedule) into typed values, collecting one message per problem, each starting with the
// path of the field at fault ("network.defaultLink.lossProbability: 1.5 is outside [0, 1]").
// Never throws on bad input: a wrong config is the user's mistake and comes back as a value.

/** A check of one value: a message saying what is wrong with it, or null. */
export type Rule = (value: number) => string | null;

/** Latencies above a day are surely a unit mistake (milliseconds or nanoseconds given as µs). */
export const DURATION_US_MAX = 86_400_000_000;

/**
 * The object at `name`, or null (with a message) if it is not one. Keys outside `known` are
 * refused: a typo must not silently mean "use the default".
 */
export function readObject(raw: unknown, name: string, known: readonly string[], errors: string[]): Record<string, unknown> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(`${name}: expected an object, got ${describeValue(raw)}`);
    return null;
  }
  const record = raw as Record<string, unknown>;
  // Sorted so the messages come out in the same order whatever order the keys were written in.
  for (const key of Object.keys(record).sort()) {
    if (!known.includes(key)) errors.push(`${name}.${key}: unknown field (known: ${known.join(', ')})`);
  }
  return record;
}

/** record[key] as a number obeying `rule`, or `fallback` when absent (or wrong, with a message). */
export function readNumber(record: Record<string, unknown>, key: string, fallback: number, prefix: string, errors: string[], rule: Rule): number {
  const value = record[key];
  if (value === undefined) return fallback;
  const name = `${prefix}.${key}`;
  if (typeof value !== 'number') {
    errors.push(`${name}: expected a number, got ${describeValue(value)}`);
    return fallback;
  }
  const problem = rule(value);
  if (problem !== null) {
    errors.push(`${name}: ${problem}`);
    return fallback;
  }
  return value;
}

export function probability(value: number): string | null {
  if (Number.isNaN(value) || value < 0 || value > 1) return `${value} is outside [0, 1]`;
  return null;
}

export function durationUs(value: number): string | null {
  if (!Number.isFinite(value)) return `${value} is not a finite number of microseconds`;
  if (value < 0) return `${value} is negative; a duration is >= 0 microseconds`;
  if (!Number.isInteger(value)) return `${value} is not a whole number of microseconds`;
  if (value > DURATION_US_MAX) return `${value} is more than a day in microseconds (${DURATION_US_MAX}); check the unit`;
  return null;
}

/** A rule for integers in [min, max]. */
export function integerIn(min: number, max: number): Rule {
  return (value) => (Number.isSafeInteger(value) && value >= min && value <= max ? null : `${value} is not an integer in [${min}, ${max}]`);
}

/** A short, safe description of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
