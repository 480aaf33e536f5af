-- wrk script for bench/token-api: POST /admin/v1/users with a unique username per request
-- (run tag + thread id + counter + random), Authorization from $OPERATOR_KEY. An answer is
-- good only if it is HTTP 200 with "errcode":0; bad answers are counted by status/errcode and
-- reported by done().
local check = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "check.lua")
local key = assert(os.getenv("OPERATOR_KEY"), "OPERATOR_KEY not set")
local tag = os.getenv("RUN_TAG") or tostring(os.time())

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
n, ok, bad, codes, sample = 0, 0, 0, "", ""
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
local prefix
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    prefix = string.format("b%s_%d_%d_", tag, id or 0, math.random(1, 1e9))
end

function request()
    n = n + 1
    local body = string.format('{"username":"%s%d_%d"}', prefix, n, math.random(1, 1e9))
    return wrk.format("POST", "/admin/v1/users", headers, body)
end

function response(status, hdrs, body)
    check.count(status, body, check.errcode_zero, check.status_errcode)
end

function done(summary, latency, requests)
    check.report(threads)
end
