// A sweep's worker process when esbuild is not at hand to bundle it: it is started without the
// CLI's TypeScript loader, so register tsx here, then load the worker from its TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
