// main.js — routes one chat request through libswitch's C ABI from Node.js with koffi, and
// prints the provider that served it.
//   node main.js CONFIG [MODEL]      (SWITCH_LIBRARY: path to libswitch.so; default: the loader's search)
'use strict';

const koffi = require('koffi');

const lib = koffi.load(process.env.SWITCH_LIBRARY || 'libswitch.so');

// Handles stay opaque: JavaScript only passes them back to the library.
const sw_config = koffi.opaque('sw_config');
const sw_router = koffi.opaque('sw_router');
const sw_response = koffi.opaque('sw_response');

const sw_free = lib.func('void sw_free(void *ptr)');
// An owned string (released with sw_free), freed by koffi as soon as it is copied into JS.
koffi.disposable('sw_owned_str', 'str', sw_free);

const SW_OK = 0;
const SW_DIAG_TEXT = 0;

const sw = {
  strerror: lib.func('const char *sw_strerror(int status)'),
  // Thread-local in C; Node calls these on its main thread, so it reads the right one.
  last_error: lib.func('const char *sw_last_error(void)'),
  config_load_file: lib.func(
    'int sw_config_load_file(_Out_ sw_config **out, _Out_ sw_owned_str *out_report, const char *path, int format)'),
  config_destroy: lib.func('void sw_config_destroy(_Inout_ sw_config **config)'),
  router_create: lib.func('int sw_router_create(_Out_ sw_router **out, sw_config *config, void *options)'),
  router_destroy: lib.func('void sw_router_destroy(_Inout_ sw_router **router)'),
  // The request is passed as bytes with its length: it need not be NUL-terminated.
  router_chat: lib.func(
    'int sw_router_chat(_Out_ sw_response **out, sw_router *router, const uint8_t *request, size_t len, void *options)'),
  response_destroy: lib.func('void sw_response_destroy(_Inout_ sw_response **response)'),
  response_result: lib.func('int sw_response_result(sw_response *response)'),
  response_status: lib.func('int sw_response_status(sw_response *response)'),
  response_error: lib.func('const char *sw_response_error(sw_response *response)'),
  response_text: lib.func('const char *sw_response_text(sw_response *response)'),
  response_provider: lib.func('const char *sw_response_provider(sw_response *response)'),
  response_pool: lib.func('const char *sw_response_pool(sw_response *response)'),
  response_used_fallback: lib.func('int sw_response_used_fallback(sw_response *response)'),
};

// Throws for a failed call, with the library's detail.
function check(status, what) {
  if (status !== SW_OK) throw new Error(`${what}: ${sw.strerror(status)}: ${sw.last_error()}`);
}

function main(argv) {
  if (argv.length < 1) {
    process.stderr.write('usage: node main.js CONFIG [MODEL]\n');
    return 2;
  }
  const [configPath, model = 'chat'] = argv;

  const config = [null];
  const report = [null];
  // On failure the diagnostics are also the error's detail; on success the report has the warnings.
  check(sw.config_load_file(config, report, configPath, SW_DIAG_TEXT), `loading ${configPath}`);
  if (report[0]) process.stderr.write(report[0]);

  const router = [null];
  try {
    check(sw.router_create(router, config[0], null), 'creating the router');
  } finally {
    sw.config_destroy(config);  // the router keeps its own reference
  }

  const response = [null];
  try {
    const request = Buffer.from(JSON.stringify({model, messages: [{role: 'user', content: 'Say hello.'}]}));
    check(sw.router_chat(response, router[0], request, request.length, null), 'chat');
    const r = response[0];
    // The call succeeds whenever the request was routed; the response says how it went.
    if (sw.response_result(r) !== SW_OK) {
      process.stderr.write(`request failed (${sw.response_status(r)}): ${sw.response_error(r)}\n`);
      return 1;
    }
    const fallback = sw.response_used_fallback(r) ? ', fallback' : '';
    console.log(`served by ${sw.response_provider(r)} (pool ${sw.response_pool(r)}${fallback}): ${sw.response_text(r)}`);
    return 0;
  } finally {
    sw.response_destroy(response);
    sw.router_destroy(router);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`ffi-node: ${e.message}\n`);
  process.exitCode = 1;
}
