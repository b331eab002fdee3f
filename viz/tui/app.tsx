// The terminal UI as an Ink component: keys in, the screen of screen.ts out. Holds the cursor
// state and the play timer (wall-clock pacing of a replay is presentation, not simulation); it
// must never change the artifact or compute state any other way than through ClusterReplay.

import { useEffect, useMemo, useReducer } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { RunArtifact } from '../artifact/artifact';
import { collectMarks } from '../artifact/describe';
import { buildOperations } from '../artifact/operations';
import { ClusterReplay } from '../artifact/state';
import { initialCursor, PLAY_TICK_MS, reduceCursor, type CursorAction } from './cursor';
import { displayedNodes, renderScreen, type Tone } from './screen';

export interface AppProps {
  readonly run: RunArtifact;
  /** Screen size; defaults to the terminal's, at most its size and at least 80x24. */
  readonly width?: number;
  readonly height?: number;
}

export function App({ run, width, height }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const replay = useMemo(() => new ClusterReplay(run), [run]);
  const marks = useMemo(() => collectMarks(run.trace), [run]);
  const operations = useMemo(() => buildOperations(run), [run]);
  const [cursor, dispatch] = useReducer((s: ReturnType<typeof initialCursor>, a: CursorAction) => reduceCursor(s, a, marks), initialCursor(run.trace.length, displayedNodes(replay.at(-1)).length));

  useEffect(() => {
    if (!cursor.playing) return undefined;
    const timer = setInterval(() => dispatch({ kind: 'tick' }), PLAY_TICK_MS);
    return () => clearInterval(timer);
  }, [cursor.playing]);

  useInput((input, key) => {
    const action = actionFor(input, key);
    if (action === 'quit') exit();
    else if (action !== null) dispatch(action);
  });

  const state = useMemo(() => replay.at(cursor.position), [replay, cursor.position]);
  const columns = width ?? Math.max(80, stdout.columns ?? 80);
  const rows = height ?? Math.max(24, (stdout.rows ?? 24) - 1);
  const lines = renderScreen({ run, state, cursor, operations, width: columns, height: rows });
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} {...toneProps(l.tone)} wrap="truncate">
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

interface KeyInfo {
  readonly leftArrow: boolean;
  readonly rightArrow: boolean;
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly escape: boolean;
  readonly ctrl: boolean;
}

/** What a key means; null for keys that mean nothing. */
export function actionFor(input: string, key: KeyInfo): CursorAction | 'quit' | null {
  if (key.rightArrow) return { kind: 'step', by: 1 };
  if (key.leftArrow) return { kind: 'step', by: -1 };
  if (key.downArrow) return { kind: 'step', by: 100 };
  if (key.upArrow) return { kind: 'step', by: -100 };
  if (key.escape || input === 'q' || (key.ctrl && input === 'c')) return 'quit';
  switch (input) {
    case 'l': return { kind: 'step', by: 1 };
    case 'h': return { kind: 'step', by: -1 };
    case 'f': return { kind: 'next', mark: 'fault' };
    case 'F': return { kind: 'previous', mark: 'fault' };
    case 'r': return { kind: 'next', mark: 'role' };
    case 'R': return { kind: 'previous', mark: 'role' };
    case 'v': return { kind: 'next', mark: 'violation' };
    case 'V': return { kind: 'firstViolation' };
    case 'g': return { kind: 'home' };
    case 'G': return { kind: 'end' };
    case ' ':
    case 'p': return { kind: 'togglePlay' };
    case '+':
    case '=': return { kind: 'faster' };
    case '-': return { kind: 'slower' };
    default:
      if (/^[1-9]$/.test(input)) return { kind: 'select', node: Number(input) - 1 };
      return null;
  }
}

function toneProps(tone: Tone): { color?: string; bold?: boolean; dimColor?: boolean; inverse?: boolean } {
  switch (tone) {
    case 'title': return { bold: true };
    case 'dim': return { dimColor: true };
    case 'alert': return { color: 'red', bold: true };
    case 'leader': return { color: 'green' };
    case 'down': return { color: 'yellow' };
    case 'plain': return {};
  }
}
