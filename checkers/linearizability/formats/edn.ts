// A small EDN reader for Jepsen and Knossos histories: maps, vectors, lists, sets, keywords,
// symbols, strings, characters, integers, floats, ratios, nil and booleans, `;` comments, `#_`
// discards and tagged values (`#jepsen.history.Op{...}`, `#inst "..."`: the tag is dropped).
// Commas are whitespace. Values come out as plain data (see values.ts): keywords and symbols
// become their names as strings, sets and lists become arrays, map keys become strings.
// It must never throw on bad input: every problem is an error value with its line.

import type { InputError } from '../history';

export type EdnResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: InputError };

/** One top-level form (or element of a top-level vector) with the line it starts on. */
export interface LocatedForm {
  readonly value: unknown;
  readonly line: number;
}

/** The most deeply nested collection the reader accepts (a bound on recursion). */
export const ednDepthMax = 256;

/** Reads every top-level form in the text. */
export function readEdnForms(text: string): EdnResult<LocatedForm[]> {
  const reader = new EdnReader(text);
  const forms: LocatedForm[] = [];
  for (;;) {
    reader.skipSpace();
    if (reader.atEnd()) return { ok: true, value: forms };
    const line = reader.line;
    const result = reader.readForm(0);
    if (!result.ok) return result;
    if (result.value !== discarded) forms.push({ value: result.value, line });
  }
}

/**
 * Reads a Jepsen history's top level: either one vector of forms, or a sequence of forms. Each
 * element comes with its own line, so errors and events can name where they are.
 */
export function readEdnHistoryForms(text: string): EdnResult<LocatedForm[]> {
  const reader = new EdnReader(text);
  reader.skipSpace();
  if (reader.peek() !== '[') return readEdnForms(text);
  const open = reader.line;
  reader.advance();
  const forms: LocatedForm[] = [];
  for (;;) {
    reader.skipSpace();
    if (reader.atEnd()) return reader.fail(`the vector opened on line ${open} is never closed: expected ]`);
    if (reader.peek() === ']') {
      reader.advance();
      reader.skipSpace();
      if (!reader.atEnd()) return reader.fail('expected the end of the input after the history vector');
      return { ok: true, value: forms };
    }
    const line = reader.line;
    const result = reader.readForm(1);
    if (!result.ok) return result;
    if (result.value !== discarded) forms.push({ value: result.value, line });
  }
}

/** Reads exactly one form (e.g. a command-line --initial value). */
export function readEdnValue(text: string): EdnResult<unknown> {
  const forms = readEdnForms(text);
  if (!forms.ok) return forms;
  if (forms.value.length !== 1) return { ok: false, error: { line: 1, message: `expected exactly one EDN value, found ${forms.value.length}` } };
  return { ok: true, value: forms.value[0]!.value };
}

// ---------------------------------------------------------------------------------------------
// Helpers

const discarded = Symbol('discarded');

/** Whitespace as EDN (and JavaScript's \s) sees it; a plain comparison is much faster than a regex per character. */
function isSpace(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && /\s/.test(ch);
}
const delimiters = new Set(['(', ')', '[', ']', '{', '}', '"', ';', ',']);

class EdnReader {
  private pos = 0;
  line = 1;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  advance(): string {
    const ch = this.text[this.pos] ?? '';
    this.pos += 1;
    if (ch === '\n') this.line += 1;
    return ch;
  }

  fail(message: string): { ok: false; error: InputError } {
    return { ok: false, error: { line: this.line, message } };
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const ch = this.peek();
      if (ch === ';') {
        while (!this.atEnd() && this.peek() !== '\n') this.advance();
      } else if (ch === ',' || isSpace(ch)) {
        this.advance();
      } else {
        return;
      }
    }
  }

  readForm(depth: number): EdnResult<unknown> {
    if (depth > ednDepthMax) return this.fail(`collections nested deeper than ${ednDepthMax}`);
    this.skipSpace();
    if (this.atEnd()) return this.fail('expected a value, found the end of the input');
    const ch = this.peek();
    switch (ch) {
      case '[':
        this.advance();
        return this.readSequence(']', depth);
      case '(':
        this.advance();
        return this.readSequence(')', depth);
      case '{':
        this.advance();
        return this.readMap(depth);
      case ')':
      case ']':
      case '}':
        return this.fail(`unexpected ${ch}: expected a value`);
      case '"':
        return this.readString();
      case '\\':
        return this.readChar();
      case '#':
        return this.readDispatch(depth);
      case ':': {
        this.advance();
        const name = this.readToken();
        if (name === '') return this.fail('expected a keyword name after :');
        return { ok: true, value: name };
      }
      default:
        return this.readAtom();
    }
  }

  private readSequence(close: string, depth: number): EdnResult<unknown[]> {
    const open = this.line;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) return this.fail(`the collection opened on line ${open} is never closed: expected ${close}`);
      const ch = this.peek();
      if (ch === close) {
        this.advance();
        return { ok: true, value: items };
      }
      if (ch === ')' || ch === ']' || ch === '}') return this.fail(`unexpected ${ch}: expected ${close}`);
      const item = this.readForm(depth + 1);
      if (!item.ok) return item;
      if (item.value !== discarded) items.push(item.value);
    }
  }

  private readMap(depth: number): EdnResult<Record<string, unknown>> {
    const items = this.readSequence('}', depth);
    if (!items.ok) return items;
    if (items.value.length % 2 !== 0) return this.fail('a map needs an even number of forms (key value pairs)');
    const map: Record<string, unknown> = {};
    for (let k = 0; k < items.value.length; k += 2) {
      const key = items.value[k];
      map[typeof key === 'string' ? key : JSON.stringify(key)] = items.value[k + 1];
    }
    return { ok: true, value: map };
  }

  private readDispatch(depth: number): EdnResult<unknown> {
    this.advance();
    const ch = this.peek();
    if (ch === '{') {
      this.advance();
      return this.readSequence('}', depth);
    }
    if (ch === '_') {
      this.advance();
      const skipped = this.readForm(depth + 1);
      if (!skipped.ok) return skipped;
      return { ok: true, value: discarded };
    }
    const tag = this.readToken();
    if (tag === '') return this.fail(`expected a tag, {, or _ after #`);
    const tagged = this.readForm(depth + 1);
    if (!tagged.ok) return tagged;
    if (tagged.value === discarded) return this.fail(`the tag #${tag} has no value`);
    return tagged;
  }

  private readString(): EdnResult<string> {
    const open = this.line;
    this.advance();
    let out = '';
    for (;;) {
      if (this.atEnd()) return this.fail(`the string opened on line ${open} is never closed: expected "`);
      const ch = this.advance();
      if (ch === '"') return { ok: true, value: out };
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.advance();
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
      const mapped = simple[esc];
      if (mapped !== undefined) {
        out += mapped;
      } else if (esc === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.fail('expected four hex digits after \\u in a string');
        for (let k = 0; k < 4; k++) this.advance();
        out += String.fromCharCode(parseInt(hex, 16));
      } else {
        return this.fail(`unknown escape \\${esc} in a string`);
      }
    }
  }

  private readChar(): EdnResult<string> {
    this.advance();
    const first = this.advance();
    if (first === '') return this.fail('expected a character after \\');
    const rest = this.readToken();
    const name = first + rest;
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };
    if (rest === '') return { ok: true, value: first };
    const value = named[name];
    if (value === undefined) return this.fail(`unknown character \\${name}`);
    return { ok: true, value };
  }

  private readAtom(): EdnResult<unknown> {
    const token = this.readToken();
    if (token === '') return this.fail(`unexpected character ${JSON.stringify(this.peek())}: expected a value`);
    if (token === 'nil') return { ok: true, value: null };
    if (token === 'true') return { ok: true, value: true };
    if (token === 'false') return { ok: true, value: false };
    if (/^[+-]?\d/.test(token)) return this.number(token);
    return { ok: true, value: token };
  }

  private number(token: string): EdnResult<number> {
    const integer = /^([+-]?\d+)N?$/.exec(token);
    if (integer !== null) {
      const value = Number(integer[1]);
      if (!Number.isSafeInteger(value)) return this.fail(`the integer ${token} is too large to represent exactly`);
      return { ok: true, value };
    }
    const ratio = /^([+-]?\d+)\/(\d+)$/.exec(token);
    if (ratio !== null && Number(ratio[2]) !== 0) return { ok: true, value: Number(ratio[1]) / Number(ratio[2]) };
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/.test(token)) return { ok: true, value: Number(token.replace(/M$/, '')) };
    return this.fail(`malformed number ${token}`);
  }

  /** The run of characters up to whitespace or a delimiter. */
  private readToken(): string {
    const start = this.pos;
    while (!this.atEnd()) {
      const ch = this.peek();
      if (delimiters.has(ch) || isSpace(ch)) break;
      this.advance();
    }
    return this.text.slice(start, this.pos);
  }
}
