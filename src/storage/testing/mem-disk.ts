// A minimal in-memory file system that runs DiskOps with no faults, no crashes and no page
// cache: every operation is durable at once. For storage's unit tests and the benchmark (the
// faulty disk lives in sim/disk; src/ may not import it). Test support: product code must never
// import this file.

import type { DiskOp, DiskResult } from '../../host/contract';

export class MemDisk {
  readonly files = new Map<string, Uint8Array>();
  readonly opCounts = new Map<string, number>();
  /** Ops of these kinds on these paths fail once with the given code (tests arm them). */
  readonly failNext: { op: DiskOp['op']; path?: string; code: 'EIO' | 'ENOSPC' }[] = [];

  execute(op: DiskOp): DiskResult {
    this.opCounts.set(op.op, (this.opCounts.get(op.op) ?? 0) + 1);
    const armed = this.failNext.findIndex((f) => f.op === op.op && (f.path === undefined || ('path' in op && f.path === op.path)));
    if (armed >= 0) {
      const [fault] = this.failNext.splice(armed, 1);
      return { ok: false, code: fault?.code ?? 'EIO', detail: 'injected by the test' };
    }
    switch (op.op) {
      case 'create':
        if (this.files.has(op.path)) return { ok: false, code: 'EEXIST', detail: op.path };
        this.files.set(op.path, new Uint8Array(0));
        return { ok: true, size: 0 };
      case 'write':
      case 'append': {
        const old = this.files.get(op.path);
        if (old === undefined) return { ok: false, code: 'ENOENT', detail: op.path };
        const offset = op.op === 'write' ? op.offset : old.length;
        const size = Math.max(old.length, offset + op.data.length);
        // Files grow inside a buffer with spare capacity, so appends are amortised O(1).
        const capacity = old.byteOffset === 0 ? old.buffer.byteLength : 0;
        let next: Uint8Array;
        if (size <= capacity) {
          next = new Uint8Array(old.buffer, 0, size);
        } else {
          next = new Uint8Array(new ArrayBuffer(growTo(capacity, size)), 0, size);
          next.set(old);
        }
        next.set(op.data, offset);
        this.files.set(op.path, next);
        return { ok: true, size, offset };
      }
      case 'read':
      case 'readAll': {
        const data = this.files.get(op.path);
        if (data === undefined) return { ok: false, code: 'ENOENT', detail: op.path };
        const start = op.op === 'read' ? op.offset : 0;
        const end = op.op === 'read' ? Math.min(data.length, op.offset + op.length) : data.length;
        return { ok: true, data: data.slice(start, end), size: data.length };
      }
      case 'truncate': {
        const data = this.files.get(op.path);
        if (data === undefined) return { ok: false, code: 'ENOENT', detail: op.path };
        const next = new Uint8Array(op.size);
        next.set(data.subarray(0, Math.min(op.size, data.length)));
        this.files.set(op.path, next);
        return { ok: true, size: op.size };
      }
      case 'fsync':
        return this.files.has(op.path) ? { ok: true } : { ok: false, code: 'ENOENT', detail: op.path };
      case 'fsyncDir':
        return { ok: true };
      case 'rename': {
        const data = this.files.get(op.from);
        if (data === undefined) return { ok: false, code: 'ENOENT', detail: op.from };
        this.files.delete(op.from);
        this.files.set(op.to, data);
        return { ok: true };
      }
      case 'delete':
        return this.files.delete(op.path) ? { ok: true } : { ok: false, code: 'ENOENT', detail: op.path };
      case 'list': {
        const prefix = op.dir === '' ? '' : `${op.dir}/`;
        const names = [...this.files.keys()]
          .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
          .map((p) => p.slice(prefix.length))
          .sort();
        return { ok: true, names };
      }
      case 'stat': {
        const data = this.files.get(op.path);
        return data === undefined ? { ok: false, code: 'ENOENT', detail: op.path } : { ok: true, size: data.length };
      }
    }
  }
}

/** Grows capacity geometrically so appends are amortised O(1). */
function growTo(capacity: number, size: number): number {
  if (size <= capacity) return capacity;
  let next = Math.max(64, capacity);
  while (next < size) next *= 2;
  return next;
}
