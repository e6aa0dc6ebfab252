// Entry point bundled by ncc into dist/cli/index.js.
import { main } from './cli';

process.exitCode = await main(process.argv.slice(2));
