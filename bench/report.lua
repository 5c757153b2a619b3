-- wrk script: print one JSON line with the numbers bench/run.py reads (times in microseconds),
-- including how many answers the page cache served from a stored copy (X-Cache: hit), rendered
-- and stored (miss), or left alone (no X-Cache header: streamed, uncacheable, cache off).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits, misses, uncached = 0, 0, 0
end

function response(status, headers, body)
  local cache = headers["X-Cache"] or headers["x-cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache == "miss" then
    misses = misses + 1
  else
    uncached = uncached + 1
  end
end

done = function(summary, latency, requests)
  local total_hits, total_misses, total_uncached = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total_misses = total_misses + thread:get("misses")
    total_uncached = total_uncached + thread:get("uncached")
  end
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"cache_hits": %d, "cache_misses": %d, "cache_unused": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    total_hits, total_misses, total_uncached))
end
