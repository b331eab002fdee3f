// Path rules of the simulated file system: which names are valid, and how a path splits into
// the directory holding it and its base name. Paths are '/'-separated and relative ("wal/1.seg");
// the root directory is the empty string. Must never touch a file: pure string functions.

/** The longest path accepted, in UTF-16 code units (Linux's PATH_MAX is 4096 bytes). */
export const PATH_LENGTH_MAX = 4096;

/** The root directory, as fsyncDir and list name it. */
export const ROOT_DIR = '';

/** Why a file path is invalid, or null when it is fine. */
export function filePathProblem(path: string): string | null {
  if (typeof path !== 'string') return 'a path must be a string';
  if (path.length === 0) return 'a file path must not be empty';
  return dirPathProblem(path);
}

/** Why a directory path is invalid (the root '' is valid), or null when it is fine. */
export function dirPathProblem(path: string): string | null {
  if (typeof path !== 'string') return 'a path must be a string';
  if (path.length > PATH_LENGTH_MAX) return `path longer than ${PATH_LENGTH_MAX} characters`;
  if (path.length === 0) return null;
  // One pass over the characters: this runs on every append, so no split() and no regex.
  let segmentStart = 0;
  for (let i = 0; i <= path.length; i++) {
    const code = i < path.length ? path.charCodeAt(i) : SLASH;
    if (code === 0) return `path "${printable(path)}" contains a NUL character`;
    if (code !== SLASH) continue;
    const segmentLength = i - segmentStart;
    if (segmentLength === 0) {
      return `path "${printable(path)}" has an empty segment (leading, trailing or doubled '/'); the root is ''`;
    }
    if (segmentLength <= 2 && isDots(path, segmentStart, segmentLength)) {
      return `path "${printable(path)}" contains a '.' or '..' segment`;
    }
    segmentStart = i + 1;
  }
  return null;
}

/** The directory holding a file: "wal/1.seg" -> "wal", "meta" -> "". Pre: a valid file path. */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ROOT_DIR : path.slice(0, slash);
}

/** The name of a file inside its directory: "wal/1.seg" -> "1.seg". Pre: a valid file path. */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A file path from its directory and name. */
export function joinPath(dir: string, name: string): string {
  return dir === ROOT_DIR ? name : `${dir}/${name}`;
}

/** Every directory above a file, nearest first: "a/b/c" -> ["a/b", "a"] (the root is left out). */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let end = path.lastIndexOf('/');
  // Bounded by the number of '/' in the path, itself bounded by PATH_LENGTH_MAX.
  while (end > 0) {
    out.push(path.slice(0, end));
    end = path.lastIndexOf('/', end - 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const SLASH = 0x2f;
const DOT = 0x2e;

function isDots(path: string, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (path.charCodeAt(i) !== DOT) return false;
  return true;
}

function printable(path: string): string {
  return path.length <= 80 ? path.replace(/\0/g, '\\0') : `${path.slice(0, 77).replace(/\0/g, '\\0')}...`;
}
