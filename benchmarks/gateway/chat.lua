-- chat.lua — wrk's request for the gateway benchmark: one non-streaming OpenAI chat completion,
-- the same for every contender but for the model name and, for Portkey, its config header; both
-- come from the environment so that one script serves all (wrk's Lua has no argument parsing to
-- speak of). At the end it prints one JSON line, for gateway.py to read instead of wrk's text.
--
--   BENCH_MODEL          the request's "model" (required)
--   BENCH_HEADER_NAME    an extra request header, e.g. x-portkey-config (optional)
--   BENCH_HEADER_VALUE   its value
local model = os.getenv("BENCH_MODEL")
if model == nil or model == "" then
  error("chat.lua: BENCH_MODEL is not set")
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- Every contender is given a key; none checks it (the mock accepts any).
wrk.headers["Authorization"] = "Bearer sk-bench"
local name = os.getenv("BENCH_HEADER_NAME")
if name ~= nil and name ~= "" then
  wrk.headers[name] = os.getenv("BENCH_HEADER_VALUE") or ""
end
-- The model name is plain text chosen by the harness: no JSON escaping needed, but refuse a quote.
if model:find('["\\]') then
  error("chat.lua: BENCH_MODEL must not contain a quote or a backslash")
end
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"hello"}]}'

-- wrk calls done() once, with every thread's figures merged. Latencies are in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"wrk":1,"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
