-- wrk script: POST /api/activity with prepared storefront batches whose event ids are new for every request.
--   wrk -t2 -c16 -d8s -s bench/wrk/batches.lua http://127.0.0.1:PORT -- BODIES_FILE API_KEY SALT MAX_REQUESTS_PER_THREAD
-- BODIES_FILE holds one JSON array per line (written by NowOnline.Load); every "eventId" value in it is 32 hex characters
-- and is overwritten per request with salt (8) + thread (8) + request number (8) + event index (8), so no id repeats
-- within a run, nor across runs with different salts. Each thread stops itself after MAX_REQUESTS_PER_THREAD replies,
-- wrk's -d bounds the time. done() prints one JSON line with the counts and latency percentiles (microseconds).

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

local bodies = {}     -- bodies[b] = { fragment0, fragment1, ... } with an id between each pair of fragments
local marker = '"eventId":"'
local headers = { ["Content-Type"] = "application/json" }
local counter, max_requests, salt, replies = 0, 0, 0, 0
duplicates, bad_status, accepted = 0, 0, 0

function init(args)
  local path = args[1]
  headers["X-Api-Key"] = args[2]
  salt = tonumber(args[3]) or 0
  max_requests = tonumber(args[4]) or 1000000000
  for line in io.lines(path) do
    local parts, at = {}, 1
    while true do
      local s, e = string.find(line, marker, at, true)
      if not s then break end
      table.insert(parts, string.sub(line, at, e))
      at = e + 33                                  -- skip the 32-character id
    end
    table.insert(parts, string.sub(line, at))
    table.insert(bodies, parts)
  end
end

function request()
  counter = counter + 1
  local parts = bodies[(counter - 1) % #bodies + 1]
  local out = {}
  for i = 1, #parts - 1 do
    out[#out + 1] = parts[i]
    out[#out + 1] = string.format("%08x%08x%08x%08x", salt, thread_id, counter, i)
  end
  out[#out + 1] = parts[#parts]
  return wrk.format("POST", "/api/activity", headers, table.concat(out))
end

function response(status, _, body)
  replies = replies + 1
  if status == 202 then
    local a = string.match(body, '"accepted":(%d+)')
    local d = string.match(body, '"duplicates":(%d+)')
    accepted = accepted + (tonumber(a) or 0)
    duplicates = duplicates + (tonumber(d) or 0)
  else
    bad_status = bad_status + 1
  end
  if replies >= max_requests then wrk.thread:stop() end
end

function done(summary, latency, _)
  local dup, bad, acc = 0, 0, 0
  for _, t in ipairs(threads) do
    dup = dup + t:get("duplicates")
    bad = bad + t:get("bad_status")
    acc = acc + t:get("accepted")
  end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"accepted":%d,"duplicates":%d,"badStatus":%d,"connectErrors":%d,"readErrors":%d,'
    .. '"writeErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, acc, dup, bad, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
