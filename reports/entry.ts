// The report's script in the browser: reads the run inlined in the page, validates it and draws
// the views. Bundled with d3 into the one HTML file; it must never fetch anything.

import { validateArtifact } from '../viz/artifact/artifact';
import { mountViews, showError } from '../viz/draw/views';

function start(): void {
  const root = document.getElementById('app');
  if (root === null) return;
  const data = document.getElementById('loom-run');
  let raw: unknown;
  try {
    raw = JSON.parse(data?.textContent ?? '');
  } catch (error) {
    showError(root, `The run data in this report is not valid JSON (${(error as Error).message}).`);
    return;
  }
  const loaded = validateArtifact(raw, 'the report\'s run');
  if (!loaded.ok) {
    showError(root, loaded.error);
    return;
  }
  try {
    mountViews(root, loaded.run);
  } catch (error) {
    showError(root, `Drawing the run failed: ${(error as Error).message}`);
  }
  document.body.setAttribute('data-ready', 'true');
}

start();
