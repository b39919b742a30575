// Tells Emscripten's linker that these functions come from the host (the proxy-wasm way of
// building with emcc: a JS library naming the imports, so they stay wasm imports from `env`).
/* global mergeInto, LibraryManager -- provided by Emscripten's JS compiler */
mergeInto(LibraryManager.library, {
  proxy_log: function () {},
  proxy_get_buffer_bytes: function () {},
  proxy_get_header_map_value: function () {},
  proxy_replace_header_map_value: function () {},
});
