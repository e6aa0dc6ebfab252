import { readFile } from 'node:fs/promises';

/**
 * Reads small files ahead of the tar writer, in order, a bounded number and
 * size at a time: the writer consumes one file at a time, and waiting for
 * each read in turn leaves the CPU idle for most of a node_modules.
 */
export class ReadAhead {
  private readonly started = new Map<number, Promise<Buffer>>();
  private next = 0;
  private inFlightBytes = 0;

  constructor(
    private readonly files: Array<{ source: string; size: number } | undefined>,
    private readonly maxFiles = 64,
    private readonly maxBytes = 32 << 20,
  ) {}

  /** The content of file `index` (which must be one this reader was given). */
  async get(index: number): Promise<Buffer> {
    this.fill(index);
    const pending = this.started.get(index) ?? this.start(index);
    try {
      return await pending;
    } finally {
      this.started.delete(index);
      this.inFlightBytes -= this.files[index]?.size ?? 0;
      this.fill(index + 1);
    }
  }

  private fill(from: number): void {
    if (this.next < from) this.next = from;
    while (this.next < this.files.length && this.started.size < this.maxFiles && this.inFlightBytes < this.maxBytes) {
      if (this.files[this.next]) this.start(this.next);
      this.next++;
    }
  }

  private start(index: number): Promise<Buffer> {
    const file = this.files[index]!;
    const pending = readFile(file.source);
    // A failure surfaces when the writer asks for this file, not as an unhandled rejection before.
    pending.catch(() => undefined);
    this.started.set(index, pending);
    this.inFlightBytes += file.size;
    return pending;
  }
}
