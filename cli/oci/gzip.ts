// gzip with a fixed header (RFC 1952), so a layer's digest depends only on its contents.
// Node's zlib already writes MTIME 0 and no file name; the OS byte it writes is the build
// platform's (3 on Unix), so we set it to 255 ("unknown"), as Go's compress/gzip does.

import { gzipSync } from "node:zlib";

const OS_BYTE_OFFSET = 9;
const OS_UNKNOWN = 255;

/** gzip at level 9 with MTIME 0, no name and OS byte 255. */
export function gzipReproducible(data: Uint8Array): Buffer {
  const gzipped = gzipSync(data, { level: 9 });
  gzipped[OS_BYTE_OFFSET] = OS_UNKNOWN;
  return gzipped;
}
