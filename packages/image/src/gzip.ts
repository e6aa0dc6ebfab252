import { Gzip } from 'fflate';

/** Input is fed to the compressor in blocks of exactly this size, whatever the reads were. */
const BLOCK = 1 << 20;

export const DEFAULT_COMPRESSION_LEVEL = 6;

/** The fflate release in package-lock.json: another release may compress differently (a test checks they agree). */
export const FFLATE_VERSION = '0.8.3';

/** Names the compressor exactly, so a reused layer is one this build would have produced. */
export function compressionId(level: number): string {
  return `gzip/fflate-${FFLATE_VERSION}/level-${level}/block-${BLOCK}`;
}

/**
 * gzip whose bytes depend only on the input and the level: fflate is pure
 * JavaScript pinned by the lockfile and the bundle, so the output cannot vary
 * with the machine's zlib build or CPU features (Node's bundled zlib picks
 * SIMD paths per CPU and changes with Node releases). fflate's stream output
 * does depend on how input is split, so input is re-blocked to a fixed size.
 * The header carries mtime 0, no file name and OS byte 3 (Unix).
 */
export class StableGzip {
  private readonly gzip: Gzip;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(level: number, onData: (chunk: Uint8Array) => void) {
    if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`gzip level must be 0-9, not ${level}`);
    this.gzip = new Gzip({ level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9, mtime: 0 }, (chunk) => onData(chunk));
  }

  push(chunk: Uint8Array): void {
    let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (this.pendingBytes + rest.length >= BLOCK) {
      const take = BLOCK - this.pendingBytes;
      this.pending.push(rest.subarray(0, take));
      this.gzip.push(Buffer.concat(this.pending, BLOCK), false);
      this.pending = [];
      this.pendingBytes = 0;
      rest = rest.subarray(take);
    }
    if (rest.length > 0) {
      // Copied: the caller may reuse its buffer before the block is full.
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
  }

  finish(): void {
    this.gzip.push(Buffer.concat(this.pending, this.pendingBytes), true);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
