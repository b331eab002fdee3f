// Worker threads do not inherit the CLI's TypeScript loader: register tsx here, then load the
// worker itself from its TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
