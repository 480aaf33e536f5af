-- wrk script for bench/token-api: GET /cgi-bin/token, rotating over the appid/secret pairs in
-- $ACCOUNTS_FILE (one "appid secret" per line), so no account nears its 2000-a-day quota.
-- Every answer is checked: one without "access_token" is counted as bad (by errcode) and
-- reported by done().
local check = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "check.lua")
local pairs_ = {}
for line in io.lines(os.getenv("ACCOUNTS_FILE")) do
    local a, s = line:match("^(%S+)%s+(%S+)")
    if a then pairs_[#pairs_ + 1] = "/cgi-bin/token?grant_type=client_credential&appid=" .. a .. "&secret=" .. s end
end
assert(#pairs_ > 0, "no accounts in ACCOUNTS_FILE")

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
idx, ok, bad, codes, sample = 0, 0, 0, "", ""
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    idx = math.random(#pairs_)
end

function request()
    idx = idx % #pairs_ + 1
    return wrk.format("GET", pairs_[idx])
end

local function has_token(body)
    return body:find('"access_token":"', 1, true) ~= nil
end

local function errcode_or_status(status, body)
    return body:match('"errcode":(%-?%d+)') or ("http" .. status)
end

function response(status, headers, body)
    check.count(status, body, has_token, errcode_or_status)
end

function done(summary, latency, requests)
    check.report(threads)
end
