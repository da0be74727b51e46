-- Peregrine's Lua prelude: sandbox, the redis/server API and the script runner. Run once per Lua state with
-- the Java bindings in the global __J, which it removes. Returns the table of entry points Java keeps.
local J = __J
__J = nil
local G = _G
local dbg = debug
local type, error, tostring, setmetatable, rawget, rawset, xpcall, pairs = type, error, tostring, setmetatable,
    rawget, rawset, xpcall, pairs
local gsub, char, floor = string.gsub, string.char, math.floor

-- no file system, process or module loading in scripts
for _, name in pairs({'dofile', 'loadfile', 'require', 'module', 'os', 'io', 'package', 'newproxy', 'print'}) do
    rawset(G, name, nil)
end

-- Java hands strings over as modified UTF-8 (NUL and bytes >= 0x80 as two bytes): map them back to raw bytes
local fromjava = {['\192\128'] = '\0'}
for b = 128, 255 do
    fromjava[char(192 + floor(b / 64), 128 + b % 64)] = char(b)
end
local function unjava(s)
    return (gsub(s, '[\192\194\195][\128-\191]', fromjava))
end

local function readonly(t, name)
    return setmetatable({}, {
        __index = t,
        __newindex = function() error('Attempt to modify a readonly table', 2) end,
        __metatable = name,
    })
end

local redis = {}
redis.call = J.call
redis.pcall = J.pcall
-- Redis's luaPushErrorBuff: "-CODE msg" keeps its code, anything else gets ERR; trailing CR/LF trimmed
local function errtable(m)
    local code, msg = 'ERR', m
    if m:sub(1, 1) == '-' then
        local sp = m:find(' ', 1, true)
        if sp then code, msg = m:sub(2, sp - 1), m:sub(sp + 1) else msg = m:sub(2) end
    end
    msg = gsub(gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
    return {err = code .. ' ' .. msg}
end
local function raise(m) error({err = m}) end
redis.error_reply = J.wrap(function(msg)
    if type(msg) ~= 'string' then return errtable('wrong number or type of arguments') end
    if msg:sub(1, 1) ~= '-' then msg = '-' .. msg end
    return errtable(msg)
end)
redis.status_reply = J.wrap(function(msg)
    if type(msg) ~= 'string' then return errtable('wrong number or type of arguments') end
    return {ok = msg}
end)
redis.sha1hex = J.sha1hex
redis.log = J.wrap(function(level, ...)
    if select('#', ...) < 1 then raise('ERR redis.log() requires two arguments or more.') end
    if type(level) ~= 'number' then raise('ERR First argument must be a number (log level).') end
    if level < 0 or level > 3 then raise('ERR Invalid debug level.') end
    local parts = {}
    for i = 1, select('#', ...) do parts[#parts + 1] = tostring((select(i, ...))) end
    J.log(level, table.concat(parts, ' '))
end)
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.setresp = J.wrap(function(...)
    local n = select('#', ...)
    local v = ...
    if n ~= 1 then raise('ERR redis.setresp() requires one argument.') end
    if v ~= 2 and v ~= 3 then raise('ERR RESP version must be 2 or 3.') end
    J.setresp(v)
end)
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.set_repl = J.wrap(function(...)
    if select('#', ...) ~= 1 then raise('ERR redis.set_repl() requires one argument.') end
    local v = ...
    if type(v) ~= 'number' or v < 0 or v > 3 then
        raise('ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.')
    end
    J.set_repl(v)
end)
redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end
redis.REDIS_VERSION = J.version
redis.REDIS_VERSION_NUM = J.version_num
if J.register then
    redis.register_function = function(...)
        local e = J.register(...)
        if e then error(e) end
    end
end

math.random = J.random
math.randomseed = J.randomseed
G.bit = J.bit
G.cjson = J.cjson
G.struct = J.struct
G.cmsgpack = J.cmsgpack

local redis_ro = readonly(redis, 'redis')
G.redis = redis_ro
G.server = redis_ro

-- what scripts see as their globals: reads of missing names and any write fail
local env
env = setmetatable({}, {
    __index = function(_, k)
        if k == '_G' then return env end
        local v = rawget(G, k)
        if v == nil then
            error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
        end
        return v
    end,
    __newindex = function() error('Attempt to modify a readonly table', 2) end,
    __metatable = false,
})

-- turns any error into a table {err=..., source=..., line=...} pointing at the script's line
local function handler(e)
    if type(e) ~= 'table' then
        e = {err = 'ERR ' .. tostring(e)}
    elseif type(rawget(e, 'err')) ~= 'string' then
        e = {err = 'ERR ' .. tostring(rawget(e, 'err'))}
    end
    for level = 2, 64 do
        local i = dbg.getinfo(level, 'Sl')
        if not i then break end
        if i.source == '@user_script' or i.source == '@user_function' then
            rawset(e, 'source', i.source)
            rawset(e, 'line', i.currentline)
            break
        end
    end
    return e
end

local function hook()
    local e = J.hook()
    if e then error({err = e}) end
end

local entry = {}
-- "source:line: " of the script calling the Java function that calls this, as luaL_where
entry.where = function()
    local i = dbg.getinfo(3, 'Sl')
    if i and i.currentline > 0 then return i.short_src .. ':' .. i.currentline .. ': ' end
    return ''
end
entry.unjava = unjava
-- compiles code named chunkname with the sandboxed globals; returns the function or nil and the message
entry.compile = function(code, chunkname)
    local f, msg = loadstring(code, chunkname)
    if not f then return nil, msg end
    setfenv(f, env)
    return f
end
-- FUNCTION LOAD: the library chunk sees only a small redis table while it loads (as Redis); once loaded, its
-- functions see the normal script globals. Returns the function and a function that ends the loading phase.
local function strict(allowed)
    return setmetatable({}, {
        __index = function(_, k)
            local v = allowed[k]
            if v == nil then
                error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
            end
            return v
        end,
        __newindex = function() error('Attempt to modify a readonly table', 2) end,
        __metatable = false,
    })
end
local load_redis = strict({
    register_function = redis.register_function, log = redis.log, LOG_DEBUG = 0, LOG_VERBOSE = 1,
    LOG_NOTICE = 2, LOG_WARNING = 3, REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
})
entry.compile_library = function(code, chunkname)
    local f, msg = loadstring(code, chunkname)
    if not f then return nil, msg end
    local loading = true
    local libenv
    libenv = setmetatable({}, {
        __index = function(_, k)
            if loading then
                if k == 'redis' or k == 'server' then return load_redis end
                error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
            end
            if k == '_G' then return libenv end
            local v = rawget(G, k)
            if v == nil then
                error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
            end
            return v
        end,
        __newindex = function() error('Attempt to modify a readonly table', 2) end,
        __metatable = false,
    })
    setfenv(f, libenv)
    return f, function() loading = false end
end
-- runs f(a, b) with the time-limit hook; returns true and the result, or false and an error table
entry.run = function(f, a, b)
    dbg.sethook(hook, '', 100000)
    local ok, r = xpcall(function() return f(a, b) end, handler)
    dbg.sethook()
    return ok, r
end
entry.setglobals = function(keys, argv)
    rawset(G, 'KEYS', keys)
    rawset(G, 'ARGV', argv)
end
return entry
