import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '@gantry/action-kit';
import { buildImage, scanContext, scratch } from '@gantry/image';
import { TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

async function paths(files: Record<string, string>, exclude: string[] = []): Promise<string[]> {
  const context = await temp.make();
  await writeTree(context, files);
  return (await scanContext(context, exclude)).entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path));
}

describe('context scanning with .dockerignore semantics', () => {
  it('applies .dockerignore then the exclude list, with negation and **', async () => {
    const listed = await paths(
      {
        '.dockerignore': '# build output\n*.log\n!keep.log\ndocs/**/*.md\n/secrets\n',
        'a.log': '',
        'keep.log': '',
        'sub/b.log': '', // `*.log` is anchored at the root, as in Docker
        'docs/x.md': '',
        'docs/deep/y.md': '',
        'docs/deep/z.txt': '',
        'secrets/key': '',
        'src/app.js': '',
        'src/app.test.js': '',
      },
      ['**/*.test.js', '.dockerignore'],
    );
    expect(listed).toEqual(['docs/', 'docs/deep/', 'docs/deep/z.txt', 'keep.log', 'src/', 'src/app.js', 'sub/', 'sub/b.log']);
  });

  it('re-includes a file inside an excluded directory and lists its parents', async () => {
    const listed = await paths({ 'node_modules/a/index.js': '', 'node_modules/b/index.js': '', 'app.js': '' }, ['node_modules', '!node_modules/b']);
    expect(listed).toEqual(['app.js', 'node_modules/', 'node_modules/b/', 'node_modules/b/index.js']);
  });

  it('is case-sensitive like Docker on Linux, and keeps empty directories', async () => {
    const listed = await paths({ 'README.md': '', 'readme.md': '', 'empty/.gitkeep': '' }, ['readme.md', 'empty/.gitkeep']);
    expect(listed).toEqual(['README.md', 'empty/']);
  });

  it('leaves out sockets, FIFOs and devices and says so', async () => {
    const context = await temp.make();
    await writeTree(context, { 'app.js': '' });
    execFileSync('mkfifo', [`${context}/pipe`]);
    const scan = await scanContext(context);
    expect(scan.entries.map((e) => e.path)).toEqual(['app.js']);
    expect(scan.skipped).toEqual(['pipe']);
    const image = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make() }, scratch);
    expect(image.skipped).toEqual(['pipe']);
  });

  it('names the input when the context or settings are wrong, before writing anything', async () => {
    const blobDir = await temp.make();
    await expect(buildImage({ context: '/nonexistent/ctx', sourceDateEpoch: 0, blobDir }, scratch)).rejects.toThrow(
      new InputError('context', '/nonexistent/ctx', 'an existing directory to package'),
    );
    const context = await temp.make();
    await expect(buildImage({ context, sourceDateEpoch: 0, blobDir, workdir: 'app' }, scratch)).rejects.toThrow(/Input "workdir" has the value "app"/);
    await expect(buildImage({ context, sourceDateEpoch: -1, blobDir }, scratch)).rejects.toThrow(/Input "source-date-epoch"/);
    await expect(buildImage({ context, sourceDateEpoch: 0, blobDir, ports: ['http'] }, scratch)).rejects.toThrow(/Input "ports" has the value "http"/);
    expect(execFileSync('ls', ['-A', blobDir], { encoding: 'utf8' })).toBe('');
  });
});
