// A worker thread's entry when Factdesk runs from its TypeScript sources (tests, npm run dev): a
// worker does not get tsx's loader from the command line, so it registers it, then loads the
// worker's own file, named by workerEntry() in workerData. From dist/, the worker's .js file is
// started directly and this file is not used.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- workerData is untyped; workerEntry() sets entry to a file URL
await import(String(workerData.entry));
