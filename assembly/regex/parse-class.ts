// Bracketed classes `[...]`: ranges, escapes, Perl classes (`\d`) and POSIX classes
// (`[:alpha:]`, `[:^alpha:]`), negation with `^`; a leading `]` or a `-` next to `]` is literal.
// Under (?i) every range gains its case variants before negation, as in RE2.

import { appendNamed, appendRange, complement, normalize, perlClass, posixClass } from "./char-class";
import { Cursor } from "./cursor";
import { parseEscape } from "./parse-escape";

/** Appends a Perl class `\d \D \s \S \w \W` at the cursor and returns true, or returns false. */
export function parsePerlClass(cursor: Cursor, ranges: Array<i32>, fold: bool): bool {
  if (!cursor.lookingAt("\\") || cursor.pos + 1 >= cursor.pattern.length) return false;
  const letter = i32(cursor.pattern.charCodeAt(cursor.pos + 1));
  const named = perlClass(letter | 0x20);
  if (named == null) return false;
  cursor.pos += 2;
  appendNamed(ranges, named, (letter & 0x20) == 0, fold);
  return true;
}

/** Fails on `\p`/`\P` (Unicode classes are outside the subset) and returns true, else false. */
export function rejectUnicodeClass(cursor: Cursor): bool {
  if (!cursor.lookingAt("\\p") && !cursor.lookingAt("\\P")) return false;
  let end = cursor.pos + 3;
  if (cursor.pattern.charCodeAt(cursor.pos + 2) == 0x7b) {
    const close = cursor.pattern.indexOf("}", cursor.pos);
    end = close < 0 ? cursor.pattern.length : close + 1;
  }
  cursor.fail("Unicode character classes are not supported", cursor.pos, end);
  return true;
}

function classChar(cursor: Cursor, classStart: i32): i32 {
  if (!cursor.more()) {
    cursor.fail("missing closing ]", classStart, cursor.pos);
    return -1;
  }
  if (cursor.lookingAt("\\")) return parseEscape(cursor);
  return cursor.next();
}

// A POSIX class at the cursor (on "[:"): appended and true; false when no ":]" follows at all,
// so that the "[" is an ordinary character.
function parsePosixClass(cursor: Cursor, ranges: Array<i32>, fold: bool): bool {
  const close = cursor.pattern.indexOf(":]", cursor.pos + 2);
  if (close < 0) return false;
  const start = cursor.pos;
  let name = cursor.pattern.substring(start + 2, close);
  cursor.pos = close + 2;
  const negate = name.startsWith("^");
  if (negate) name = name.substring(1);
  const named = posixClass(name);
  if (named == null) {
    cursor.fail("invalid character class range", start, cursor.pos);
    return true;
  }
  appendNamed(ranges, named, negate, fold);
  return true;
}

/** Parses the class at the cursor (on its `[`) into normalized ranges; check `cursor.failed()`. */
export function parseClass(cursor: Cursor, fold: bool): Array<i32> {
  const start = cursor.pos;
  cursor.pos++;
  const ranges: Array<i32> = [];
  const negate = cursor.lookingAt("^");
  if (negate) cursor.pos++;
  let first = true;
  while (first || cursor.peek() != 0x5d) {
    if (!cursor.more()) {
      cursor.fail("missing closing ]", start, cursor.pos);
      return ranges;
    }
    first = false;
    if (cursor.lookingAt("[:") && parsePosixClass(cursor, ranges, fold)) {
      if (cursor.failed()) return ranges;
      continue;
    }
    if (rejectUnicodeClass(cursor)) return ranges;
    if (parsePerlClass(cursor, ranges, fold)) continue;
    const itemStart = cursor.pos;
    const lo = classChar(cursor, start);
    if (lo < 0) return ranges;
    let hi = lo;
    if (
      cursor.lookingAt("-") &&
      cursor.pos + 1 < cursor.pattern.length &&
      cursor.pattern.charCodeAt(cursor.pos + 1) != 0x5d
    ) {
      cursor.pos++;
      hi = classChar(cursor, start);
      if (hi < 0) return ranges;
      if (hi < lo) {
        cursor.fail("invalid character class range", itemStart, cursor.pos);
        return ranges;
      }
    }
    appendRange(ranges, lo, hi, fold);
  }
  cursor.pos++;
  const clean = normalize(ranges);
  return negate ? complement(clean) : clean;
}
