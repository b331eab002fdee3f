// A directory tree of names pointing at files: the disk keeps two, the one the page cache shows
// and the durable one that survives a crash. Directories exist implicitly while a file is under
// them. Keeps per-directory name sets (for list and fsyncDir) and per-directory file counts of
// whole subtrees (so "is this path a directory?" is one lookup). Must never decide durability:
// the disk moves names between the two trees.

import { assert } from '../../src/util/assert';
import { ancestorsOf, baseOf, dirOf, ROOT_DIR } from './paths';

export class Namespace<F> {
  private readonly files = new Map<string, F>();
  /** dir -> names of the files directly in it. */
  private readonly children = new Map<string, Set<string>>();
  /** dir (not the root) -> number of files anywhere under it. */
  private readonly subtreeFiles = new Map<string, number>();

  get fileCount(): number {
    return this.files.size;
  }

  get(path: string): F | undefined {
    return this.files.get(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** True when some file lives under `path/`. */
  isDirectory(path: string): boolean {
    return (this.subtreeFiles.get(path) ?? 0) > 0;
  }

  /** The nearest directory above `path` that is a file here, or null (a file cannot hold files). */
  fileAncestor(path: string): string | null {
    for (const dir of ancestorsOf(path)) if (this.files.has(dir)) return dir;
    return null;
  }

  /** Points `path` at `file`, replacing what it pointed at. Returns the replaced file, if any. */
  set(path: string, file: F): F | undefined {
    const previous = this.files.get(path);
    this.files.set(path, file);
    if (previous === undefined) this.linkName(path);
    return previous;
  }

  /** Removes `path`. Returns the file it pointed at. Pre: the path exists. */
  remove(path: string): F {
    const file = this.files.get(path);
    assert(file !== undefined, `namespace: removing missing path ${path}`);
    this.files.delete(path);
    this.unlinkName(path);
    return file;
  }

  /** Names of the files directly in `dir`, sorted. */
  namesIn(dir: string): string[] {
    const names = this.children.get(dir);
    return names === undefined ? [] : [...names].sort();
  }

  /** Every path, sorted: the only order in which callers may walk the tree. */
  sortedPaths(): string[] {
    return [...this.files.keys()].sort();
  }

  clear(): void {
    this.files.clear();
    this.children.clear();
    this.subtreeFiles.clear();
  }

  // -------------------------------------------------------------------------------------------

  private linkName(path: string): void {
    const dir = dirOf(path);
    let names = this.children.get(dir);
    if (names === undefined) {
      names = new Set();
      this.children.set(dir, names);
    }
    names.add(baseOf(path));
    for (const ancestor of ancestorsOf(path)) this.subtreeFiles.set(ancestor, (this.subtreeFiles.get(ancestor) ?? 0) + 1);
  }

  private unlinkName(path: string): void {
    const dir = dirOf(path);
    const names = this.children.get(dir);
    assert(names !== undefined && names.delete(baseOf(path)), `namespace: ${path} missing from its directory`);
    if (names.size === 0 && dir !== ROOT_DIR) this.children.delete(dir);
    for (const ancestor of ancestorsOf(path)) {
      const count = this.subtreeFiles.get(ancestor) ?? 0;
      assert(count > 0, `namespace: subtree count of ${ancestor} would go negative`);
      if (count === 1) this.subtreeFiles.delete(ancestor);
      else this.subtreeFiles.set(ancestor, count - 1);
    }
  }
}

