/** One header (or trailer, or metadata entry): a lowercase name and its value. */
export class Header {
  constructor(
    /** The name; Envoy gives and expects lowercase names (pseudo-headers start with ":"). */
    public name: string,
    /** The value, decoded as UTF-8 (use the `Bytes` methods of HeaderMap for other bytes). */
    public value: string,
  ) {}
}
