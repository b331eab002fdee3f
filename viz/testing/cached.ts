// One fixture artifact per test process, built on first use (a simulator run takes a second), so
// the tests of every view share it. Test tooling only.

import type { RunArtifact } from '../artifact/artifact';
import { buildFixture, HOSTILE_FIXTURE } from './fixtures';

let failing: RunArtifact | null = null;
let hostile: RunArtifact | null = null;

/** The failing run: partition seed 7 with the c01-bad kv history and the checker's verdict. */
export function fixture(): RunArtifact {
  failing ??= buildFixture();
  return failing;
}

/** The same kind of run whose failing key is a script tag. */
export function hostileFixture(): RunArtifact {
  hostile ??= buildFixture(HOSTILE_FIXTURE);
  return hostile;
}
