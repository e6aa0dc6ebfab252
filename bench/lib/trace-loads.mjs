// Preload (node --import) that records every module URL loaded and prints them at exit.
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => process.stderr.write(`GANTRY_BENCH_LOADED ${JSON.stringify(loaded)}\n`));
