// Streams the trace to a JSON Lines file (one canonical record per line) through one fixed-size
// byte buffer, so a run of any length keeps a flat memory profile: records are encoded straight
// into the buffer, which is written out whenever it fills.

import { closeSync, openSync, writeSync } from 'node:fs';
import { assert } from '../../src/util/assert';
import { encodeRecord, type TraceRecord, type TraceSink } from './trace';

export class FileSink implements TraceSink {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  private closed = false;

  constructor(
    readonly path: string,
    bufferBytes: number = 1 << 20,
  ) {
    assert(bufferBytes >= 4096, 'FileSink buffer must hold at least 4 KiB');
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  record(r: TraceRecord): void {
    assert(!this.closed, 'record after close');
    const line = encodeRecord(r) + '\n';
    // UTF-8 needs at most 3 bytes per UTF-16 unit: flush first unless it surely fits.
    if (this.used + line.length * 3 > this.buffer.length) this.flush();
    if (line.length * 3 > this.buffer.length) {
      writeSync(this.fd, line); // a record larger than the buffer goes straight out
      return;
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  private flush(): void {
    let written = 0;
    // writeSync may write less than asked; bounded by the buffer size.
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }
}
