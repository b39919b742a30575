// A header filter written with solo.io's AssemblyScript SDK (@solo-io/proxy-runtime), the way
// that SDK's README shows: re-export its callbacks, subclass RootContext and Context, register
// the root context. Plugin configuration: a header value; each request gets "x-peer: <value>",
// each response gets "x-peer-sdk: solo-io".
export * from "@solo-io/proxy-runtime/proxy";
import {
  Context,
  FilterHeadersStatusValues,
  LogLevelValues,
  RootContext,
  log,
  registerRootContext,
  stream_context,
} from "@solo-io/proxy-runtime";

class HeaderRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new HeaderFilter(context_id, this);
  }
}

class HeaderFilter extends Context {
  constructor(context_id: u32, root_context: HeaderRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.request.replace("x-peer", this.root_context.getConfiguration());
    log(LogLevelValues.info, "solo-header: request");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.add("x-peer-sdk", "solo-io");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => {
  return new HeaderRoot(context_id);
}, "solo-header");
