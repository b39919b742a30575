/** One header (or trailer, or metadata entry): a lowercase name and its value. */
export class Header {
  constructor(
    public name: string,
    public value: string,
  ) {}
}
