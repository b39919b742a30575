// Envoy's response flags as the short codes access logs and Istio's `response_flags` label show
// (`UH`, `NR`, `URX`, ...), from the `response.flags` attribute: a bit vector whose bit i is core
// flag i of envoy/stream_info/stream_info.h, joined with "," in that order; "-" when none is set.

import { getPropertyU64Or } from "../../assembly";

/** The short code of each core response flag, by bit. */
function codeOf(bit: i32): string {
  switch (bit) {
    case 0:
      return "LH";
    case 1:
      return "UH";
    case 2:
      return "UT";
    case 3:
      return "LR";
    case 4:
      return "UR";
    case 5:
      return "UF";
    case 6:
      return "UC";
    case 7:
      return "UO";
    case 8:
      return "NR";
    case 9:
      return "DI";
    case 10:
      return "FI";
    case 11:
      return "RL";
    case 12:
      return "UAEX";
    case 13:
      return "RLSE";
    case 14:
      return "DC";
    case 15:
      return "URX";
    case 16:
      return "SI";
    case 17:
      return "IH";
    case 18:
      return "DPE";
    case 19:
      return "UMSDR";
    case 20:
      return "RFCF";
    case 21:
      return "NFCF";
    case 22:
      return "DT";
    case 23:
      return "UPE";
    case 24:
      return "NC";
    case 25:
      return "OM";
    case 26:
      return "DF";
    case 27:
      return "DO";
    case 28:
      return "DR";
    case 29:
      return "UDO";
  }
  return "";
}

const RESPONSE_FLAGS = ["response", "flags"];

/** The current stream's response flags as responseFlagsText gives them ("-" when the attribute is absent). */
export function streamResponseFlagsText(): string {
  return responseFlagsText(getPropertyU64Or(RESPONSE_FLAGS, 0));
}

/** The short codes of `flags` joined with ",", or "-" when none is set. */
function responseFlagsText(flags: u64): string {
  let out = "";
  for (let bit = 0; bit < 64; bit++) {
    if ((flags & ((<u64>1) << (<u64>bit))) == 0) continue;
    const code = codeOf(bit);
    if (code.length == 0) continue;
    out += out.length == 0 ? code : "," + code;
  }
  return out.length == 0 ? "-" : out;
}
