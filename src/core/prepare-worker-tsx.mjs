// The reindex worker's entry when Factdesk runs from its TypeScript sources (tests, npm run dev):
// a worker thread does not get tsx's loader from the command line, so it registers it, then loads
// the worker itself. From dist/, prepare-worker.js is started directly and this file is not used.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
