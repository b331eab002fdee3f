// The public types of porcupine-ts: what a model is, what an operation is, how a search is
// bounded and what a result looks like. Types only: this file must never hold behaviour, so that
// every other module (search, formats, models, CLI) can depend on it without cycles.

/** Who issued an operation: a Jepsen process number or any name. */
export type ClientId = number | string;

/**
 * A sequential specification. The checker treats states as immutable values: step must return new
 * states and never mutate the one it was given.
 *
 * - `step` returns every state the operation may lead to from `state` given the output observed;
 *   an empty array means the operation is illegal there. Several states make the model
 *   non-deterministic; the search then tracks the set of states reachable.
 * - `output` is `undefined` when the operation never returned (Jepsen `:info`, or pending at the
 *   end of the history): the outcome is unknown, so step should accept any outcome. If step still
 *   returns no state for such an operation, the checker treats it as not having taken effect.
 * - `hash` (a 32-bit integer) and `equal` let the search recognise a state it has seen. Without
 *   `hash` all states share one bucket; without `equal`, `Object.is` is used (correct, but then
 *   only identical state objects are recognised).
 * - `partition` splits the history into independent parts (P-compositionality, e.g. per key). It
 *   must return the operation objects it was given, each exactly once.
 */
export interface Model<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  init(): S;
  step(state: S, input: I, output: O | undefined): readonly S[];
  equal?(a: S, b: S): boolean;
  hash?(state: S): number;
  partition?(operations: readonly Operation<I, O>[]): Operation<I, O>[][];
  /**
   * The operations (indices into `operations`, one part) that never returned and whose effect no
   * other operation can tell apart from their being linearized last, e.g. an enqueue with an
   * unknown outcome whose value no dequeue returned. The search then tries them only after
   * everything else instead of at every point after their call: the verdict is the same, but an
   * indeterminate write no longer multiplies the states of the rest of the history. Leave an
   * operation out when in doubt; the property tests check this hook against a brute-force search
   * that ignores it.
   */
  linearizableLast?(operations: readonly Operation<I, O>[]): ReadonlySet<number>;
  /**
   * The operations (indices into `operations`, one part) that returned and that can always be
   * taken to take effect at the last instant before their return: any linearization placing one
   * earlier stays valid with it moved there. E.g. an enqueue whose value no dequeue returned (it
   * sits behind everything dequeued, so moving it later changes no result). The search then tries
   * each only at the end of its interval instead of at every point of it: the verdict is the same,
   * but values nobody observed no longer multiply the orders the search explores. Leave an
   * operation out when in doubt; the property tests check this hook against a brute-force search.
   */
  linearizableAtReturn?(operations: readonly Operation<I, O>[]): ReadonlySet<number>;
  /**
   * Optional pruning for one part: a test that a state just reached by linearizing `op` can never
   * be completed into a linearization of the part, judged from the part's other operations (e.g. a
   * queue value that must be dequeued before one already ahead of it). The search drops such a
   * state at once instead of finding the dead end much later, after trying every order of what
   * came between. It must never name a state from which a linearization exists: the verdict stays
   * the same (the property tests check it against a brute-force search that ignores it).
   */
  deadEnd?(operations: readonly Operation<I, O>[]): ((state: S, op: Operation<I, O>) => boolean) | null;
  /** A short label for one part returned by partition, e.g. `key "3"`. */
  describePart?(operations: readonly Operation<I, O>[]): string;
  describeOperation(input: I, output: O | undefined): string;
  describeState(state: S): string;
}

/**
 * One operation as an interval. `call` and `return` are times in any unit (integers or not), or
 * positions in an event sequence. `return: null` means the operation never returned: it may take
 * effect at any time after its call, or never, and its `output` is undefined.
 */
export interface Operation<I = unknown, O = unknown> {
  readonly client: ClientId;
  readonly input: I;
  readonly output?: O;
  readonly call: number;
  readonly return: number | null;
}

/** A call or return event; a call with no return event is an operation that never returned. */
export type CallReturnEvent<I = unknown, O = unknown> =
  | { readonly kind: 'call'; readonly id: number; readonly client: ClientId; readonly value: I }
  | { readonly kind: 'return'; readonly id: number; readonly client: ClientId; readonly value: O };

/** Bounds on one check. Hitting any of them gives `unknown`, never a wrong verdict. */
export interface CheckOptions {
  /** Total search steps over all parts (a deterministic budget). */
  readonly maxSteps?: number;
  /** Polled every few thousand steps; returning true stops the check (a wall-clock timeout). */
  readonly shouldStop?: () => boolean;
  /** The most memo-cache entries all parts together may hold (a bound on memory). Default 2 million, fewer for very long parts (see defaultMemoryLimitEntries). */
  readonly memoryLimitEntries?: number;
  /** Check the whole history as one part even if the model can partition it. */
  readonly noPartition?: boolean;
  /** Stop at the first part found illegal (the others are reported unfinished). Default true. */
  readonly stopAtFirstIllegal?: boolean;
  /** Record each operation's longest partial linearization, reported for illegal parts. Default true. */
  readonly explain?: boolean;
}

export type Verdict = 'ok' | 'illegal' | 'unknown';

/** The self-describing result the CLI prints with --json and the viewers draw. */
export interface CheckResult {
  readonly verdict: Verdict;
  readonly model: string;
  /** Why the verdict is unknown (a budget was exhausted), when it is. */
  readonly reason?: string;
  readonly operationCount: number;
  readonly steps: number;
  readonly parts: PartResult[];
}

export interface PartResult {
  readonly index: number;
  readonly label: string;
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly steps: number;
  /** The part's operations in call order; `id` is the operation's index in the checked input. */
  readonly operations: OperationView[];
  /** For an illegal part: the longest sequence of its operations that could be linearized. */
  readonly longestPrefix?: LinearizationStep[];
  /** For an illegal part: distinct partial linearizations, longest first (each operation's longest). */
  readonly partialLinearizations?: LinearizationStep[][];
  /** For an illegal part: the operation that could not be placed after the longest prefix. */
  readonly stuck?: StuckView;
}

export interface OperationView {
  readonly id: number;
  readonly client: ClientId;
  readonly call: number;
  readonly return: number | null;
  readonly description: string;
}

export interface LinearizationStep {
  /** An operation id (see OperationView.id). */
  readonly op: number;
  /** The states after this operation, described (several when the model is non-deterministic). */
  readonly statesAfter: string[];
}

export interface StuckView {
  /** The operation whose return was reached before it could be linearized. */
  readonly op: number;
  /** The states after the longest prefix, described. */
  readonly statesBefore: string[];
  /** Operations of the part whose intervals overlap the stuck operation's (in the prefix or not). */
  readonly concurrent: number[];
}
