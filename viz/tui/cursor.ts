// The terminal UI's cursor over the trace as a pure reducer: step, jump to the next mark, jump to
// the first violation, play and pause at a speed, pick a node. Kept free of React and of timers
// so the keys' meaning is proved without a terminal; the clock that drives play lives in app.tsx.

import { nextAfter, previousBefore, type Marks } from '../artifact/describe';

export interface CursorState {
  /** Position of the current record (-1: before the first). */
  readonly position: number;
  readonly length: number;
  readonly playing: boolean;
  /** Index into SPEEDS. */
  readonly speed: number;
  /** The node whose details are shown, by index into the node list. */
  readonly selected: number;
  readonly nodeCount: number;
  /** A one-line answer to the last key (e.g. "no later violation"). */
  readonly message: string | null;
}

export type CursorAction =
  | { readonly kind: 'step'; readonly by: number }
  | { readonly kind: 'next'; readonly mark: keyof Marks }
  | { readonly kind: 'previous'; readonly mark: keyof Marks }
  | { readonly kind: 'firstViolation' }
  | { readonly kind: 'home' }
  | { readonly kind: 'end' }
  | { readonly kind: 'togglePlay' }
  | { readonly kind: 'faster' }
  | { readonly kind: 'slower' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'select'; readonly node: number };

/** Records advanced per play tick (a tick is PLAY_TICK_MS of wall time). */
export const SPEEDS: readonly number[] = [1, 5, 20, 100, 500];
export const PLAY_TICK_MS = 100;

export function initialCursor(length: number, nodeCount: number): CursorState {
  return { position: length > 0 ? 0 : -1, length, playing: false, speed: 1, selected: 0, nodeCount, message: null };
}

export function reduceCursor(state: CursorState, action: CursorAction, marks: Marks): CursorState {
  const last = state.length - 1;
  const clamp = (p: number): number => Math.max(0, Math.min(last, p));
  const to = (p: number | null, missing: string): CursorState => (p === null ? { ...state, message: missing } : { ...state, position: p, message: null });
  switch (action.kind) {
    case 'step':
      return { ...state, position: clamp(state.position + action.by), message: null };
    case 'next':
      return to(nextAfter(marks[action.mark], state.position), `no later ${markWord(action.mark)}`);
    case 'previous':
      return to(previousBefore(marks[action.mark], state.position), `no earlier ${markWord(action.mark)}`);
    case 'firstViolation':
      return to(marks.violation[0] ?? null, 'this run has no violation in its trace');
    case 'home':
      return { ...state, position: clamp(0), message: null };
    case 'end':
      return { ...state, position: clamp(last), message: null };
    case 'togglePlay':
      return { ...state, playing: !state.playing && state.position < last, message: null };
    case 'faster':
      return { ...state, speed: Math.min(SPEEDS.length - 1, state.speed + 1) };
    case 'slower':
      return { ...state, speed: Math.max(0, state.speed - 1) };
    case 'tick': {
      if (!state.playing) return state;
      const position = clamp(state.position + (SPEEDS[state.speed] as number));
      return { ...state, position, playing: position < last };
    }
    case 'select':
      return action.node >= 0 && action.node < state.nodeCount ? { ...state, selected: action.node } : state;
  }
}

function markWord(mark: keyof Marks): string {
  return mark === 'fault' ? 'fault' : mark === 'role' ? 'role change' : 'violation';
}
