// Streams the trace to a JSON Lines file (one canonical record per line) through a fixed-size
// buffer, so a run of any length keeps a flat memory profile.

import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeRecord, type TraceRecord, type TraceSink } from './trace';

export class FileSink implements TraceSink {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private closed = false;

  constructor(
    readonly path: string,
    /** Flush when this many characters are buffered. */
    private readonly flushCharsMax: number = 1 << 20,
  ) {
    this.fd = openSync(path, 'w');
  }

  record(r: TraceRecord): void {
    const line = encodeRecord(r);
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars >= this.flushCharsMax) this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.bufferedChars = 0;
  }
}
