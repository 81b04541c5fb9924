// Starts the API build found in the directory given as argument (it holds dist/ and package.json).
// The bench launches the API through this file rather than `node <dir>/dist/main.js` so that its command line
// does not contain "dist/main": on this shared machine a colleague's `pkill -f dist/main`, aimed at their own
// server, would otherwise stop the one being measured.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

await import(pathToFileURL(join(process.argv[2], 'dist', 'main.js')).href);
