-- wrk script for bench/token-api: POST /cgi-bin/menu/create?access_token=T, a three-button menu
-- whose first key changes with every request, so each answer is a real write. The tokens in
-- $TOKENS_FILE (one per line, one per account) are split into one slice per wrk thread, and
-- each request goes to the next account of its thread's slice, so every account gets the same
-- share of its 1000-a-day quota. Where each thread stopped is kept in $MENU_STATE (rewritten
-- by done()), so the next wrk run (warm-up or measured) goes on from there instead of using
-- the first accounts again. An answer is good only if it is HTTP 200 with "errcode":0; bad
-- answers are counted by status/errcode and reported by done() (CHECK line), like users.lua.
local check = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "check.lua")
local tokens = {}
local tokens_file = assert(os.getenv("TOKENS_FILE"), "TOKENS_FILE not set")
for line in io.lines(tokens_file) do
    if #line > 0 then tokens[#tokens + 1] = line end
end
assert(#tokens > 0, "no tokens in TOKENS_FILE")
local state_file = os.getenv("MENU_STATE")
local tag = os.getenv("RUN_TAG") or tostring(os.time())

local threads = {}
local nthreads = 0
local start = {}
if state_file then
    local f = io.open(state_file, "r")
    if f then
        for line in f:lines() do
            local i, v = line:match("^(%d+) (%d+)$")
            if i then start[tonumber(i)] = tonumber(v) end
        end
        f:close()
    end
end

function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    thread:set("pos", start[nthreads] or 0)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
id, pos, n, ok, bad, q45009, codes, sample = 0, 0, 0, 0, 0, 0, "", ""
-- each account's request line and headers up to the Content-Length value, built once; a
-- request is then one string.format (wrk.format builds a table of headers every time)
local heads, count
function init(args)
    -- this thread's slice: tokens lo..lo+count-1 (the threads are all set up before any init)
    local t = tonumber(os.getenv("WRK_THREADS") or "1")
    local lo = math.floor((id - 1) * #tokens / t) + 1
    local hi = math.floor(id * #tokens / t)
    count = hi - lo + 1
    assert(count > 0, "fewer tokens than wrk threads")
    local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
    heads = {}
    for i = lo, hi do
        heads[#heads + 1] = "POST /cgi-bin/menu/create?access_token=" .. tokens[i] ..
            " HTTP/1.1\r\nHost: " .. host .. "\r\nContent-Type: application/json\r\nContent-Length: "
    end
end

function request()
    pos = pos + 1
    n = n + 1
    local body = string.format('{"button":[{"type":"click","name":"Today","key":"k%s_%d_%d"},' ..
        '{"type":"view","name":"Site","url":"https://example.com/menu"},' ..
        '{"type":"click","name":"More","key":"more"}]}', tag, id, n)
    return heads[(pos - 1) % count + 1] .. #body .. "\r\n\r\n" .. body
end

function response(status, hdrs, body)
    if not check.count(status, body, check.errcode_zero, check.status_errcode) and
        body:find('"errcode":45009', 1, true) then
        q45009 = q45009 + 1
    end
end

function done(summary, latency, requests)
    local t45009, st = 0, {}
    for i, t in ipairs(threads) do
        t45009 = t45009 + (t:get("q45009") or 0)
        st[#st + 1] = string.format("%d %d", i, t:get("pos") or 0)
    end
    if state_file then
        local f = assert(io.open(state_file, "w"))
        f:write(table.concat(st, "\n") .. "\n")
        f:close()
    end
    check.report(threads)
    if t45009 > 0 then io.write(string.format("QUOTA45009 %d\n", t45009)) end
end
