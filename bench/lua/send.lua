-- wrk script for bench/push: POST /client/v1/messages/send, a text message to $APPID from
-- the users whose bearer sessions are in $SESSIONS_FILE (one per line), rotating. An answer
-- is good only if it is HTTP 200 with "errcode":0; bad ones are counted by status/errcode and
-- reported by done() (CHECK line), like bench/lua/users.lua.
local check = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "check.lua")
local appid = assert(os.getenv("APPID"), "APPID not set")
local auths = {}
local file = assert(os.getenv("SESSIONS_FILE"), "SESSIONS_FILE not set")
for line in io.lines(file) do
    if #line > 0 then auths[#auths + 1] = "Bearer " .. line end
end
assert(#auths > 0, "no sessions in SESSIONS_FILE")

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
idx, n, ok, bad, codes, sample = 0, 0, 0, 0, "", ""
local headers = { ["Content-Type"] = "application/json" }
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    idx = math.random(#auths)
end

function request()
    idx = idx % #auths + 1
    n = n + 1
    headers["Authorization"] = auths[idx]
    local body = string.format('{"appid":"%s","msgtype":"text","content":"bench %d-%d"}', appid, id or 0, n)
    return wrk.format("POST", "/client/v1/messages/send", headers, body)
end

function response(status, hdrs, body)
    check.count(status, body, check.errcode_zero, check.status_errcode)
end

function done(summary, latency, requests)
    check.report(threads)
end
