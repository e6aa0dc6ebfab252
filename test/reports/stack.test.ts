import { expect, test } from 'vitest';
import { locateInStack } from '@gantry/reports';

test.each([
  ['V8 frame with a file:// URL', 'Error: x\n    at fn (file:///repo/src/a.mjs:4:2)', { file: '/repo/src/a.mjs', line: 4 }],
  ['V8 frame without parentheses', 'Error: x\n    at /repo/src/b.js:9:1', { file: '/repo/src/b.js', line: 9 }],
  ['node internals and node_modules skipped', [
    'Error: x',
    '    at Test.run (node:internal/test_runner/test:796:25)',
    '    at Object.<anonymous> (/repo/node_modules/lib/index.js:1:1)',
    '    at Object.<anonymous> (/repo/test/c.test.ts:30:7)',
  ].join('\n'), { file: '/repo/test/c.test.ts', line: 30 }],
  ['Windows path', 'Error: x\n    at t (C:\\repo\\src\\d.ts:5:3)', { file: 'C:\\repo\\src\\d.ts', line: 5 }],
  ['Python traceback, site-packages skipped', [
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3.12/site-packages/pluggy/_hooks.py", line 501, in __call__',
    '  File "/repo/tests/test_e.py", line 12, in test_e',
  ].join('\n'), { file: '/repo/tests/test_e.py', line: 12 }],
  ['pytest short location', 'E   assert 1 == 2\n\ntests/test_f.py:3: AssertionError', { file: 'tests/test_f.py', line: 3 }],
  ['Go t.Error output', '    g_test.go:41: got 1, want 2', { file: 'g_test.go', line: 41 }],
  ['Rust panic, toolchain frames skipped', [
    "thread 'main' panicked at /rustc/abc/library/core/src/panicking.rs:10:5:",
    "thread 't' panicked at src/h.rs:8:5:",
  ].join('\n'), { file: 'src/h.rs', line: 8 }],
  ['Java frames: JUnit skipped, package made a directory', [
    'org.opentest4j.AssertionFailedError: no',
    '\tat org.junit.jupiter.api.Assertions.fail(Assertions.java:55)',
    '\tat com.acme.ITest.works(ITest.java:17)',
  ].join('\n'), { file: 'com/acme/ITest.java', line: 17 }],
])('%s', (_label, body, expected) => {
  expect(locateInStack(body)).toEqual(expected);
});

test.each([
  ['no frames at all', 'expected 1 to equal 2'],
  ['host:port is not a frame', 'connect ECONNREFUSED 127.0.0.1:5432 at localhost:5432'],
  ['only foreign frames', '    at run (node:internal/main:1:1)\n    at x (/r/node_modules/y/z.js:2:3)'],
])('%s → undefined', (_label, body) => {
  expect(locateInStack(body)).toBeUndefined();
});

test('preferFile picks the frame in that file, matching relative to absolute', () => {
  const body = '    at helper (/repo/src/util.ts:3:1)\n    at t (/repo/test/u.test.ts:44:9)';
  expect(locateInStack(body, 'test/u.test.ts')).toEqual({ file: '/repo/test/u.test.ts', line: 44 });
  expect(locateInStack(body, 'test/other.test.ts')).toBeUndefined();
});
