-- wrk script: GET /api/v1/log/entries?logIndex=N for random N below $VELLUM_TREE_SIZE: each
-- answer carries an inclusion proof against the latest checkpoint, that checkpoint and a SET.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  size = tonumber(os.getenv("VELLUM_TREE_SIZE"))
  math.randomseed(os.time() + id * 7919)
  ok, other = 0, 0
end

function request()
  return wrk.format("GET", "/api/v1/log/entries?logIndex=" .. math.random(0, size - 1))
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local ok_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    other_total = other_total + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format('{"ok":%d,"other":%d,"seconds":%.3f,"per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    ok_total, other_total, seconds, ok_total / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
