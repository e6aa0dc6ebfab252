// Build: copy the service into dist/ with build-info.json, stamped with the source date (not the clock).
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const epoch = Number(process.env.SOURCE_DATE_EPOCH || 0);
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
cpSync('src', 'dist/src', { recursive: true });
cpSync('package.json', 'dist/package.json');
writeFileSync('dist/build-info.json', JSON.stringify({ name: 'hello-node', builtAt: new Date(epoch * 1000).toISOString() }, null, 2) + '\n');
console.log('build: dist/ written');
