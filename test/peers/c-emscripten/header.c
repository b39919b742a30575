// A header filter written in C straight against the proxy-wasm ABI (no SDK) and built with
// Emscripten, the toolchain of the proxy-wasm C++ SDK, so the module has Emscripten's shape:
// a reactor `_initialize`, `malloc`/`free` from Emscripten's libc, and WASI imports for stdio.
//
// Plugin configuration: a header name. Each request gets it copied into "x-peer-copy" (or
// "x-peer-copy: missing"), each response gets "x-peer-sdk: emscripten"; logs go through
// proxy_log (info) and through printf/fprintf (WASI fd_write on fd 1 and 2).

#include <emscripten.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

IMPORT(proxy_log) int32_t proxy_log(int32_t level, const char *message, size_t size);
IMPORT(proxy_get_buffer_bytes)
int32_t proxy_get_buffer_bytes(int32_t type, size_t start, size_t length, char **ptr, size_t *size);
IMPORT(proxy_get_header_map_value)
int32_t proxy_get_header_map_value(int32_t map, const char *key, size_t key_size, char **ptr, size_t *size);
IMPORT(proxy_replace_header_map_value)
int32_t proxy_replace_header_map_value(int32_t map, const char *key, size_t key_size, const char *value,
                                       size_t value_size);

enum { LOG_INFO = 2, LOG_CRITICAL = 5 };
enum { MAP_REQUEST_HEADERS = 0, MAP_RESPONSE_HEADERS = 2 };
enum { BUFFER_PLUGIN_CONFIGURATION = 7 };
enum { STATUS_OK = 0, STATUS_NOT_FOUND = 1 };

static char source_header[128];

static void log_text(int32_t level, const char *text) { proxy_log(level, text, strlen(text)); }

static void replace(int32_t map, const char *key, const char *value, size_t value_size) {
  proxy_replace_header_map_value(map, key, strlen(key), value, value_size);
}

EMSCRIPTEN_KEEPALIVE void proxy_abi_version_0_2_1(void) {}

EMSCRIPTEN_KEEPALIVE void proxy_on_context_create(uint32_t context_id, uint32_t parent_id) {
  (void)context_id;
  (void)parent_id;
}

EMSCRIPTEN_KEEPALIVE uint32_t proxy_on_configure(uint32_t root_id, size_t size) {
  (void)root_id;
  char *config = NULL;
  size_t length = 0;
  if (size == 0 || proxy_get_buffer_bytes(BUFFER_PLUGIN_CONFIGURATION, 0, size, &config, &length) != STATUS_OK ||
      length == 0 || length >= sizeof(source_header)) {
    log_text(LOG_CRITICAL, "c-emscripten: configuration must be a header name");
    free(config);
    return 0;
  }
  memcpy(source_header, config, length);
  source_header[length] = '\0';
  free(config);
  printf("c-emscripten: copying %s\n", source_header);
  return 1;
}

EMSCRIPTEN_KEEPALIVE uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t eos) {
  (void)headers;
  (void)eos;
  char *value = NULL;
  size_t length = 0;
  int32_t status = proxy_get_header_map_value(MAP_REQUEST_HEADERS, source_header, strlen(source_header), &value,
                                              &length);
  if (status == STATUS_OK) {
    replace(MAP_REQUEST_HEADERS, "x-peer-copy", value, length);
    free(value);
  } else if (status == STATUS_NOT_FOUND) {
    replace(MAP_REQUEST_HEADERS, "x-peer-copy", "missing", 7);
    fprintf(stderr, "c-emscripten: context %u has no %s\n", context_id, source_header);
  }
  char line[64];
  snprintf(line, sizeof line, "c-emscripten: request status=%d", status);
  log_text(LOG_INFO, line);
  return 0;
}

EMSCRIPTEN_KEEPALIVE uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t eos) {
  (void)context_id;
  (void)headers;
  (void)eos;
  replace(MAP_RESPONSE_HEADERS, "x-peer-sdk", "emscripten", 10);
  return 0;
}
