import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, scratch, StableGzip } from '@gantry/image';
import { readLayer, TempDirs } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

function compress(input: Buffer, chunk: number, level = 6): Buffer {
  const out: Uint8Array[] = [];
  const gzip = new StableGzip(level, (c) => out.push(c));
  for (let at = 0; at < input.length; at += chunk) gzip.push(input.subarray(at, at + chunk));
  gzip.finish();
  return Buffer.concat(out);
}

describe('StableGzip', () => {
  // Half random, half repetitive: both stored-ish and well-compressed blocks.
  const input = Buffer.concat([randomBytes(1_500_000), Buffer.from('node_modules/'.repeat(200_000))]);

  it('gives the same bytes however the input is split, and gunzip restores it', () => {
    const reference = compress(input, 65_536);
    for (const chunk of [7, 4096, 1 << 20, 3_000_001]) expect(compress(input, chunk).equals(reference)).toBe(true);
    expect(gunzipSync(reference).equals(input)).toBe(true);
    expect(reference.readUInt32LE(4)).toBe(0);
    expect(compress(Buffer.alloc(0), 1).length).toBeGreaterThan(0);
  });

  it('rejects levels outside 0-9', () => {
    expect(() => new StableGzip(10, () => undefined)).toThrow(RangeError);
  });
});

describe('large files', () => {
  it('streams files over 1 MiB into the layer and stays reproducible', async () => {
    const context = await temp.make();
    const big = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(context, 'big.bin'), big);
    await writeFile(join(context, 'small.txt'), 'small');
    const first = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make() }, scratch);
    const second = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make() }, scratch);
    expect(second.digest).toBe(first.digest);
    const path = (first.blobs.get(first.layers[0]!.digest)!.content as { path: string }).path;
    const entries = await readLayer(await readFile(path));
    const raw = gunzipSync(await readFile(path));
    expect(entries.map((e) => e.name)).toEqual(['app/', 'app/big.bin', 'app/small.txt']);
    expect(raw.includes(big.subarray(big.length - 4096))).toBe(true);
  });
});
