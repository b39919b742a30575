// ASCII-only case folding, as Envoy folds header names, typ values and case-insensitive paths
// (absl::AsciiStrToLower): letters beyond ASCII keep their case. It also keeps String#toLowerCase,
// and the Unicode case tables it brings (about 6 KB), out of the modules.

/** `text` with the ASCII letters A-Z lowered; other characters unchanged, and `text` itself when nothing changes. */
export function asciiLowerCase(text: string): string {
  const length = text.length;
  let first = 0;
  while (first < length && !isAsciiUpper(text.charCodeAt(first))) first++;
  if (first == length) return text;
  const out = changetype<string>(__new((<usize>length) << 1, idof<string>()));
  const from = changetype<usize>(text);
  const to = changetype<usize>(out);
  memory.copy(to, from, (<usize>first) << 1);
  for (let i = first; i < length; i++) {
    const unit = load<u16>(from + ((<usize>i) << 1));
    store<u16>(to + ((<usize>i) << 1), isAsciiUpper(unit) ? unit + 0x20 : unit);
  }
  return out;
}

function isAsciiUpper(unit: i32): bool {
  return <u32>(unit - 0x41) < 26;
}
