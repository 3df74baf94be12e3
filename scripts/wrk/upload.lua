-- wrk script: POST pre-signed hashedrekord requests (one JSON document per line of the file in
-- $VELLUM_REQUESTS), each thread taking every n-th line so no two threads send the same entry.
-- Optional $VELLUM_DELAY_MS paces each connection (for the latency-at-half-rate run), and
-- $VELLUM_FIRST_LINE skips the lines before it (so a calibration run leaves the rest unused).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  local nthreads = tonumber(os.getenv("VELLUM_THREADS") or "1")
  local first = tonumber(os.getenv("VELLUM_FIRST_LINE") or "0")
  local line_number = 0
  for line in io.lines(os.getenv("VELLUM_REQUESTS")) do
    if line_number >= first and line_number % nthreads == id then table.insert(bodies, line) end
    line_number = line_number + 1
  end
  created, other = 0, 0
  wrk.headers["Content-Type"] = "application/json"
  delay_ms = tonumber(os.getenv("VELLUM_DELAY_MS") or "0")
end

function request()
  local body = bodies[counter]
  if body == nil then body = bodies[1] end   -- exhausted: repeats answer 409 and are counted apart
  counter = counter + 1
  return wrk.format("POST", "/api/v1/log/entries", nil, body)
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local created_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    created_total = created_total + thread:get("created")
    other_total = other_total + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"created":%d,"other":%d,"seconds":%.3f,"per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    created_total, other_total, seconds, created_total / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
