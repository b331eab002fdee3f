// Proves the path rules of the simulated file system: which paths are valid, and how a path
// splits into its directory, its name and its ancestors.

import { describe, expect, it } from 'vitest';
import { ancestorsOf, baseOf, dirOf, dirPathProblem, filePathProblem, joinPath, PATH_LENGTH_MAX } from './paths';

describe('paths', () => {
  it('accepts relative paths of non-empty segments, and the root only as a directory', () => {
    for (const path of ['a', 'wal/00000001.seg', 'a/b/c', '.hidden', 'a/..x', '...']) expect(filePathProblem(path)).toBeNull();
    expect(dirPathProblem('')).toBeNull();
    expect(filePathProblem('')).toBe('a file path must not be empty');
  });

  it('names the problem of each malformed path', () => {
    expect(filePathProblem('/a')).toMatch(/empty segment/);
    expect(filePathProblem('a/')).toMatch(/empty segment/);
    expect(filePathProblem('a//b')).toMatch(/empty segment/);
    expect(filePathProblem('a/./b')).toMatch(/'\.' or '\.\.' segment/);
    expect(filePathProblem('..')).toMatch(/'\.' or '\.\.' segment/);
    expect(filePathProblem('a\0b')).toMatch(/NUL/);
    expect(filePathProblem('x'.repeat(PATH_LENGTH_MAX + 1))).toMatch(/longer than/);
    expect(filePathProblem('x'.repeat(PATH_LENGTH_MAX))).toBeNull();
  });

  it('splits a path into directory, name and ancestors, and joins it back', () => {
    expect(dirOf('wal/seg/1')).toBe('wal/seg');
    expect(dirOf('meta')).toBe('');
    expect(baseOf('wal/seg/1')).toBe('1');
    expect(baseOf('meta')).toBe('meta');
    expect(ancestorsOf('a/b/c')).toEqual(['a/b', 'a']);
    expect(ancestorsOf('a')).toEqual([]);
    expect(joinPath('', 'meta')).toBe('meta');
    expect(joinPath(dirOf('wal/seg/1'), baseOf('wal/seg/1'))).toBe('wal/seg/1');
  });
});
