// Lint without dependencies: every source file must parse, and none may keep a debugger statement.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let problems = 0;
for (const dir of ['src', 'test', 'scripts']) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const path = join(dir, file);
    const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8' });
    if (check.status !== 0) {
      problems++;
      console.error(check.stderr);
    }
    readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*debugger\b/.test(line)) {
        problems++;
        console.error(`${path}:${i + 1}: debugger statement`);
      }
    });
  }
}
console.log(problems ? `lint: ${problems} problem(s)` : 'lint: clean');
process.exitCode = problems ? 1 : 0;
