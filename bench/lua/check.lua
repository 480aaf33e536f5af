-- check: the answer accounting the bench wrk scripts share. A script loads it with
--   local check = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "check.lua")
-- and keeps the globals ok, bad, codes and sample (done() reads them with thread:get()).
-- check.count() counts one answer: good when HTTP 200 and good(body) holds; a bad one is
-- counted by code_of(status, body). check.report(threads) prints the CHECK lines the bench
-- scripts read: "CHECK ok=N bad=N codes=..." and, after a bad answer, "CHECK sample=...".
local M = {}
local seen = {}

-- "http<status>/<errcode>": how most scripts name a bad answer
function M.status_errcode(status, body)
    return "http" .. status .. "/" .. (body:match('"errcode":(%-?%d+)') or "?")
end

-- the body holds "errcode":0 (every JSON answer of lianjie's write routes starts with it)
function M.errcode_zero(body)
    return body:find('"errcode":0,', 1, true) ~= nil
end

function M.count(status, body, good, code_of)
    if status == 200 and good(body) then
        ok = ok + 1
        return true
    end
    bad = bad + 1
    local code = code_of(status, body)
    seen[code] = (seen[code] or 0) + 1
    if sample == "" then sample = body:sub(1, 200) end
    local t = {}
    for k, v in pairs(seen) do t[#t + 1] = k .. "=" .. v end
    codes = table.concat(t, ",")
    return false
end

function M.report(threads)
    local tok, tbad, allcodes, smp = 0, 0, {}, ""
    for _, t in ipairs(threads) do
        tok = tok + (t:get("ok") or 0)
        tbad = tbad + (t:get("bad") or 0)
        local c = t:get("codes") or ""
        if c ~= "" then allcodes[#allcodes + 1] = c end
        if smp == "" then smp = t:get("sample") or "" end
    end
    io.write(string.format("CHECK ok=%d bad=%d codes=%s\n", tok, tbad, table.concat(allcodes, ";")))
    if smp ~= "" then io.write("CHECK sample=" .. smp .. "\n") end
end

return M
