-- Peregrine's versions of the libraries Redis bundles with its Lua: cjson, struct and cmsgpack, written for
-- Peregrine in plain Lua 5.1 on top of a few Java helpers in __J (null, packfloat, unpackfloat, wrap). Sets
-- __J.cjson, __J.struct and __J.cmsgpack.
local J = __J
local type, error, pairs, next, tostring, select = type, error, pairs, next, tostring, select
local floor, huge = math.floor, math.huge
local char, byte, sub, format, gsub, find, rep = string.char, string.byte, string.sub, string.format, string.gsub,
    string.find, string.rep
local concat = table.concat
local NULL = J.null
local wrap = J.wrap

local function isinteger(n)
    return n == floor(n) and n >= -9223372036854775808 and n < 9223372036854775808
end

-- big-endian bytes of the non-negative integer n in size bytes
local function be(n, size)
    local t = {}
    for i = size, 1, -1 do
        t[i] = char(n % 256)
        n = floor(n / 256)
    end
    return concat(t)
end

-- two's complement of a (possibly negative) integer in size bytes, big-endian (exact for 8 bytes too)
local function be_signed(n, size)
    if n >= 0 then return be(n, size) end
    return (gsub(be(-n - 1, size), '.', function(b) return char(255 - byte(b)) end))
end

-- the integer in the big-endian bytes s, as signed when asked (exact for 8 bytes too)
local function from_be(s, signed)
    local negative = signed and byte(s, 1) >= 128
    local v = 0
    for k = 1, #s do
        local b = byte(s, k)
        v = v * 256 + (negative and 255 - b or b)
    end
    if negative then return -v - 1 end
    return v
end

---------------------------------------------------------------------------------------------------- cjson
local cjson = {}
local escapes = {['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t', ['"'] = '\\"',
    ['\\'] = '\\\\', ['/'] = '\\/', ['\127'] = '\\u007f'}
for i = 0, 31 do
    if not escapes[char(i)] then escapes[char(i)] = format('\\u%04x', i) end
end

local function encode_string(s)
    return '"' .. gsub(s, '[%c"\\/]', escapes) .. '"'
end

local function encode_number(n)
    if n ~= n or n == huge or n == -huge then
        error('Cannot serialise number: must not be NaN or Inf', 0)
    end
    return format('%.14g', n)
end

local encode_value

local function array_length(t)
    local max, items = 0, 0
    for k in next, t do
        if type(k) == 'number' and k > 0 and k == floor(k) then
            if k > max then max = k end
            items = items + 1
        else
            return -1
        end
    end
    if max > items * 2 and max > 10 then
        error('Cannot serialise table: excessively sparse array', 0)
    end
    return max
end

encode_value = function(v, depth, out)
    local t = type(v)
    if t == 'string' then
        out[#out + 1] = encode_string(v)
    elseif t == 'number' then
        out[#out + 1] = encode_number(v)
    elseif t == 'boolean' then
        out[#out + 1] = v and 'true' or 'false'
    elseif t == 'nil' or v == NULL then
        out[#out + 1] = 'null'
    elseif t == 'table' then
        depth = depth + 1
        if depth > 1000 then error('Cannot serialise, excessive nesting (' .. depth .. ')', 0) end
        local n = array_length(v)
        if n > 0 then
            out[#out + 1] = '['
            for i = 1, n do
                if i > 1 then out[#out + 1] = ',' end
                encode_value(v[i], depth, out)
            end
            out[#out + 1] = ']'
        else
            out[#out + 1] = '{'
            local first = true
            for k, val in next, v do
                if not first then out[#out + 1] = ',' end
                first = false
                local kt = type(k)
                if kt == 'string' then
                    out[#out + 1] = encode_string(k)
                elseif kt == 'number' then
                    out[#out + 1] = '"' .. encode_number(k) .. '"'
                else
                    error('Cannot serialise ' .. kt .. ': table key must be a number or string', 0)
                end
                out[#out + 1] = ':'
                encode_value(val, depth, out)
            end
            out[#out + 1] = '}'
        end
    else
        error('Cannot serialise ' .. t .. ': type not supported', 0)
    end
end

cjson.encode = wrap(function(...)
    if select('#', ...) ~= 1 then error("bad argument #1 to 'encode' (expected 1 argument)", 0) end
    local out = {}
    encode_value((...), 0, out)
    return concat(out)
end)

-- decoding
local decode_value
local token_names = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
    [':'] = 'T_COLON', [','] = 'T_COMMA', ['"'] = 'T_STRING'}
-- the name lua-cjson gives the token at pos in its parse errors
local function token_name(s, pos)
    local c = sub(s, pos, pos)
    if c == '' then return 'T_END' end
    if token_names[c] then return token_names[c] end
    if find(s, '^true', pos) or find(s, '^false', pos) then return 'T_BOOLEAN' end
    if find(s, '^null', pos) then return 'T_NULL' end
    if find(c, '[%-%d]') then
        local num = s:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
        if num and tonumber(num) then return 'T_NUMBER' end
        return 'invalid number'
    end
    return 'invalid token'
end

local function decode_error(s, pos, what)
    error('Expected ' .. what .. ' but found ' .. token_name(s, pos) .. ' at character ' .. pos, 0)
end

local function skip(s, pos)
    return (find(s, '[^ \t\n\r]', pos)) or #s + 1
end

local unescapes = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}

local function utf8(cp)
    if cp < 0x80 then return char(cp) end
    if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
    if cp < 0x10000 then
        return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
    end
    return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function decode_string(s, pos)
    -- pos is at the opening quote
    local out = {}
    local i = pos + 1
    while true do
        local j = find(s, '["\\%c]', i)
        if not j then error('Expected object key string but found invalid token at character ' .. pos, 0) end
        out[#out + 1] = sub(s, i, j - 1)
        local c = sub(s, j, j)
        if c == '"' then
            return concat(out), j + 1
        elseif c == '\\' then
            local e = sub(s, j + 1, j + 1)
            if unescapes[e] then
                out[#out + 1] = unescapes[e]
                i = j + 2
            elseif e == 'u' then
                local hex = sub(s, j + 2, j + 5)
                if not find(hex, '^%x%x%x%x$') then
                    error('Expected value but found invalid unicode escape code at character ' .. pos, 0)
                end
                local cp = tonumber(hex, 16)
                i = j + 6
                if cp >= 0xD800 and cp <= 0xDBFF then
                    local lo = sub(s, i, i + 5)
                    if find(lo, '^\\u[dD][c-fC-F]%x%x$') then
                        cp = 0x10000 + (cp - 0xD800) * 1024 + (tonumber(sub(lo, 3), 16) - 0xDC00)
                        i = i + 6
                    else
                        error('Expected value but found invalid unicode escape code at character ' .. pos, 0)
                    end
                end
                out[#out + 1] = utf8(cp)
            else
                error('Expected value but found invalid escape code at character ' .. pos, 0)
            end
        else
            error('Expected value but found invalid token at character ' .. pos, 0)
        end
    end
end

decode_value = function(s, pos, depth)
    pos = skip(s, pos)
    local c = sub(s, pos, pos)
    if c == '{' then
        depth = depth + 1
        if depth > 1000 then error('Found too many nested data structures (' .. depth .. ') at character ' .. pos, 0) end
        local t = {}
        pos = skip(s, pos + 1)
        if sub(s, pos, pos) == '}' then return t, pos + 1 end
        while true do
            pos = skip(s, pos)
            if sub(s, pos, pos) ~= '"' then decode_error(s, pos, 'object key string') end
            local k
            k, pos = decode_string(s, pos)
            pos = skip(s, pos)
            if sub(s, pos, pos) ~= ':' then decode_error(s, pos, 'colon') end
            local v
            v, pos = decode_value(s, pos + 1, depth)
            t[k] = v
            pos = skip(s, pos)
            local d = sub(s, pos, pos)
            if d == '}' then return t, pos + 1 end
            if d ~= ',' then decode_error(s, pos, "comma or object end") end
            pos = pos + 1
        end
    elseif c == '[' then
        depth = depth + 1
        if depth > 1000 then error('Found too many nested data structures (' .. depth .. ') at character ' .. pos, 0) end
        local t = {}
        pos = skip(s, pos + 1)
        if sub(s, pos, pos) == ']' then return t, pos + 1 end
        local n = 0
        while true do
            local v
            v, pos = decode_value(s, pos, depth)
            n = n + 1
            t[n] = v
            pos = skip(s, pos)
            local d = sub(s, pos, pos)
            if d == ']' then return t, pos + 1 end
            if d ~= ',' then decode_error(s, pos, 'comma or array end') end
            pos = pos + 1
        end
    elseif c == '"' then
        return decode_string(s, pos)
    elseif find(s, '^true', pos) then
        return true, pos + 4
    elseif find(s, '^false', pos) then
        return false, pos + 5
    elseif find(s, '^null', pos) then
        return NULL, pos + 4
    else
        local num = s:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
        if num and num ~= '' and num ~= '-' then
            local n = tonumber(num)
            if n then return n, pos + #num end
        end
        decode_error(s, pos, 'value')
    end
end

cjson.decode = wrap(function(...)
    if select('#', ...) ~= 1 then error("bad argument #1 to 'decode' (expected 1 argument)", 0) end
    local s = ...
    if type(s) ~= 'string' then
        error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 0)
    end
    local v, pos = decode_value(s, 1, 0)
    pos = skip(s, pos)
    if pos <= #s then decode_error(s, pos, 'the end') end
    return v
end)
cjson.null = NULL
cjson._NAME = 'cjson'
cjson._VERSION = '2.1.0'
local function setting(default)
    local value = default
    return function(v)
        if v ~= nil then value = v end
        return value
    end
end
cjson.encode_max_depth = setting(1000)
cjson.decode_max_depth = setting(1000)
cjson.encode_number_precision = setting(14)
cjson.encode_keep_buffer = setting(true)
cjson.encode_invalid_numbers = setting(false)
cjson.decode_invalid_numbers = setting(true)
cjson.encode_sparse_array = function() return false, 2, 10 end
J.cjson = cjson

---------------------------------------------------------------------------------------------------- struct
local struct = {}

-- reads an optional number after a format option
local function optsize(fmt, i, default)
    local n = fmt:match('^%d+', i)
    if not n then return default, i end
    return tonumber(n), i + #n
end

local sizes = {b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1, s = 0, c = 1}

-- iterates the options of fmt: calls f(opt, size, little, align) for each
local function parse(fmt, f, fname)
    local little, maxalign = true, 1
    local i = 1
    while i <= #fmt do
        local opt = sub(fmt, i, i)
        i = i + 1
        if opt == ' ' then
        elseif opt == '<' or opt == '>' or opt == '=' then
            little = opt ~= '>'
        elseif opt == '!' then
            local a
            a, i = optsize(fmt, i, 8)
            local p = 1
            while p < a do p = p * 2 end
            if p ~= a then error('alignment ' .. a .. ' is not a power of 2', 0) end
            maxalign = a
        elseif opt == 'i' or opt == 'I' then
            local size
            size, i = optsize(fmt, i, 4)
            if size > 32 then error('integral size ' .. size .. ' is larger than limit of 32', 0) end
            f(opt, size, little, maxalign)
        elseif opt == 'c' then
            local size
            size, i = optsize(fmt, i, 1)
            f(opt, size, little, maxalign)
        elseif sizes[opt] then
            f(opt, sizes[opt], little, maxalign)
        else
            error("bad argument #1 to '" .. fname .. "' (invalid format option '" .. opt .. "')", 0)
        end
    end
end

local function toalign(len, opt, size, maxalign)
    if size == 0 or opt == 'c' then return 0 end
    if size > maxalign then size = maxalign end
    return (size - len % size) % size
end

local function le_or_be(bytes, little)
    if little then return bytes:reverse() end
    return bytes
end

struct.pack = wrap(function(fmt, ...)
    if type(fmt) ~= 'string' then error("bad argument #1 to 'pack' (string expected, got " .. type(fmt) .. ')', 0) end
    local args = {...}
    local nargs = select('#', ...)
    local out, len, arg = {}, 0, 1
    parse(fmt, function(opt, size, little, maxalign)
        local pad = toalign(len, opt, size, maxalign)
        if pad > 0 then out[#out + 1] = rep('\0', pad); len = len + pad end
        if opt == 'x' then
            out[#out + 1] = '\0'
            len = len + 1
            return
        end
        local v = args[arg]
        if arg > nargs then error("bad argument #" .. (arg + 1) .. " to 'pack' (" ..
            ((opt == 's' or opt == 'c') and 'string' or 'number') .. " expected, got no value)", 0) end
        arg = arg + 1
        if opt == 'f' or opt == 'd' then
            if type(v) ~= 'number' then v = tonumber(v) or error("bad argument #" .. arg .. " to 'pack' (number expected, got " .. type(v) .. ')', 0) end
            out[#out + 1] = J.packfloat(v, size, little)
            len = len + size
        elseif opt == 's' or opt == 'c' then
            if type(v) == 'number' then v = tostring(v) end
            if type(v) ~= 'string' then error("bad argument #" .. arg .. " to 'pack' (string expected, got " .. type(v) .. ')', 0) end
            if opt == 's' then
                out[#out + 1] = v .. '\0'
                len = len + #v + 1
            else
                if size == 0 then size = #v end
                if #v < size then error("bad argument #" .. arg .. " to 'pack' (string too short)", 0) end
                out[#out + 1] = sub(v, 1, size)
                len = len + size
            end
        else
            if type(v) ~= 'number' then v = tonumber(v) or error("bad argument #" .. arg .. " to 'pack' (number expected, got " .. type(v) .. ')', 0) end
            local n = v >= 0 and floor(v) or -floor(-v)
            local bytes
            if size <= 8 then
                if n < 0 and n >= -(2 ^ (8 * size - 1)) then
                    bytes = be_signed(n, size)
                else
                    bytes = be(n % 2 ^ (8 * size), size)
                end
            else
                bytes = rep(n < 0 and '\255' or '\0', size - 8) .. be_signed(n, 8)
            end
            out[#out + 1] = le_or_be(bytes, little)
            len = len + size
        end
    end, 'pack')
    return concat(out)
end)

struct.unpack = wrap(function(fmt, data, init)
    if type(fmt) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(fmt) .. ')', 0) end
    if type(data) ~= 'string' then error("bad argument #2 to 'unpack' (string expected, got " .. type(data) .. ')', 0) end
    local pos = (init or 1) - 1
    if pos < 0 or pos > #data then error("bad argument #3 to 'unpack' (offset must be 1 or greater)", 0) end
    local out, last = {}, nil
    parse(fmt, function(opt, size, little, maxalign)
        pos = pos + toalign(pos, opt, size, maxalign)
        if opt ~= 's' and pos + size > #data then error("bad argument #2 to 'unpack' (data string too short)", 0) end
        if opt == 'x' then
            pos = pos + 1
        elseif opt == 'f' or opt == 'd' then
            out[#out + 1] = J.unpackfloat(data, pos, size, little)
            pos = pos + size
        elseif opt == 's' then
            local e = find(data, '\0', pos + 1, true)
            if not e then error("bad argument #2 to 'unpack' (unfinished string in data)", 0) end
            out[#out + 1] = sub(data, pos + 1, e - 1)
            pos = e
        elseif opt == 'c' then
            if size == 0 then
                if type(last) ~= 'number' then error("bad argument #1 to 'unpack' (format 'c0' needs a previous size)", 0) end
                size = last
                out[#out] = nil
                if pos + size > #data then error("bad argument #2 to 'unpack' (data string too short)", 0) end
            end
            out[#out + 1] = sub(data, pos + 1, pos + size)
            pos = pos + size
        else
            local bytes = sub(data, pos + 1, pos + size)
            if little then bytes = bytes:reverse() end
            out[#out + 1] = from_be(bytes, opt == 'b' or opt == 'h' or opt == 'l' or opt == 'i')
            pos = pos + size
        end
        last = out[#out]
    end, 'unpack')
    out[#out + 1] = pos + 1
    return unpack(out)
end)

struct.size = wrap(function(fmt)
    if type(fmt) ~= 'string' then error("bad argument #1 to 'size' (string expected, got " .. type(fmt) .. ')', 0) end
    local len = 0
    parse(fmt, function(opt, size, little, maxalign)
        if opt == 's' then error("bad argument #1 to 'size' (option 's' has no fixed size)", 0) end
        if opt == 'c' and size == 0 then
            error("bad argument #1 to 'size' (options 'c0' - 's' have undefined sizes)", 0)
        end
        len = len + toalign(len, opt, size, maxalign) + size
    end, 'size')
    return len
end)
J.struct = struct

---------------------------------------------------------------------------------------------------- cmsgpack
local cmsgpack = {}

local function encode_int(n)
    if n >= 0 then
        if n <= 127 then return char(n) end
        if n <= 0xff then return '\204' .. char(n) end
        if n <= 0xffff then return '\205' .. be(n, 2) end
        if n <= 0xffffffff then return '\206' .. be(n, 4) end
        return '\207' .. be(n, 8)
    end
    if n >= -32 then return char(256 + n) end
    if n >= -128 then return '\208' .. be_signed(n, 1) end
    if n >= -32768 then return '\209' .. be_signed(n, 2) end
    if n >= -2147483648 then return '\210' .. be_signed(n, 4) end
    return '\211' .. be_signed(n, 8)
end

local mp_encode
local function is_array(t)
    local count, max = 0, 0
    for k in next, t do
        if type(k) == 'number' and k > 0 and k == floor(k) then
            count = count + 1
            if k > max then max = k end
        else
            return false
        end
    end
    return max == count
end

mp_encode = function(v, depth, out)
    local t = type(v)
    if t == 'string' then
        local n = #v
        if n < 32 then out[#out + 1] = char(0xa0 + n)
        elseif n <= 0xff then out[#out + 1] = '\217' .. char(n)
        elseif n <= 0xffff then out[#out + 1] = '\218' .. be(n, 2)
        else out[#out + 1] = '\219' .. be(n, 4) end
        out[#out + 1] = v
    elseif t == 'boolean' then
        out[#out + 1] = v and '\195' or '\194'
    elseif t == 'number' then
        if v == floor(v) and v >= -9223372036854775808 and v < 18446744073709551616 and v == v then
            out[#out + 1] = encode_int(v)
        else
            out[#out + 1] = J.msgpackfloat(v)
        end
    elseif t == 'table' and depth < 16 then
        depth = depth + 1
        if is_array(v) then
            local n = #v
            local count = 0
            for _ in next, v do count = count + 1 end
            n = count
            if n < 16 then out[#out + 1] = char(0x90 + n)
            elseif n <= 0xffff then out[#out + 1] = '\220' .. be(n, 2)
            else out[#out + 1] = '\221' .. be(n, 4) end
            for i = 1, n do mp_encode(v[i], depth, out) end
        else
            local n = 0
            for _ in next, v do n = n + 1 end
            if n < 16 then out[#out + 1] = char(0x80 + n)
            elseif n <= 0xffff then out[#out + 1] = '\222' .. be(n, 2)
            else out[#out + 1] = '\223' .. be(n, 4) end
            for k, val in next, v do
                mp_encode(k, depth, out)
                mp_encode(val, depth, out)
            end
        end
    else
        out[#out + 1] = '\192'
    end
end

cmsgpack.pack = wrap(function(...)
    local n = select('#', ...)
    if n == 0 then error("bad argument #0 to 'pack' (MessagePack pack needs input.)", 0) end
    local out = {}
    for i = 1, n do mp_encode((select(i, ...)), 0, out) end
    return concat(out)
end)

local function need(s, pos, n)
    if pos + n - 1 > #s then error('Missing bytes in input.', 0) end
end

local function uint(s, pos, n)
    need(s, pos, n)
    local v = 0
    for k = pos, pos + n - 1 do v = v * 256 + byte(s, k) end
    return v
end

local function sint(s, pos, n)
    local v = uint(s, pos, n)
    if v >= 2 ^ (8 * n - 1) then v = v - 2 ^ (8 * n) end
    return v
end

local mp_decode
mp_decode = function(s, pos)
    need(s, pos, 1)
    local c = byte(s, pos)
    pos = pos + 1
    if c <= 0x7f then return c, pos end
    if c >= 0xe0 then return c - 256, pos end
    if c >= 0xa0 and c <= 0xbf then
        local n = c - 0xa0
        need(s, pos, n)
        return sub(s, pos, pos + n - 1), pos + n
    end
    local function seq(n, map)
        local t = {}
        for i = 1, n do
            if map then
                local k, v
                k, pos = mp_decode(s, pos)
                v, pos = mp_decode(s, pos)
                if k ~= nil then t[k] = v end
            else
                t[i], pos = mp_decode(s, pos)
            end
        end
        return t, pos
    end
    if c >= 0x90 and c <= 0x9f then return seq(c - 0x90, false) end
    if c >= 0x80 and c <= 0x8f then return seq(c - 0x80, true) end
    if c == 0xc0 then return nil, pos end
    if c == 0xc2 then return false, pos end
    if c == 0xc3 then return true, pos end
    if c == 0xcc then return uint(s, pos, 1), pos + 1 end
    if c == 0xcd then return uint(s, pos, 2), pos + 2 end
    if c == 0xce then return uint(s, pos, 4), pos + 4 end
    if c == 0xcf then return uint(s, pos, 8), pos + 8 end
    if c == 0xd0 then return sint(s, pos, 1), pos + 1 end
    if c == 0xd1 then return sint(s, pos, 2), pos + 2 end
    if c == 0xd2 then return sint(s, pos, 4), pos + 4 end
    if c == 0xd3 then return sint(s, pos, 8), pos + 8 end
    if c == 0xca then need(s, pos, 4) return J.unpackfloat(s, pos - 1, 4, false), pos + 4 end
    if c == 0xcb then need(s, pos, 8) return J.unpackfloat(s, pos - 1, 8, false), pos + 8 end
    if c == 0xd9 or c == 0xc4 then
        local n = uint(s, pos, 1)
        pos = pos + 1
        need(s, pos, n)
        return sub(s, pos, pos + n - 1), pos + n
    end
    if c == 0xda or c == 0xc5 then
        local n = uint(s, pos, 2)
        pos = pos + 2
        need(s, pos, n)
        return sub(s, pos, pos + n - 1), pos + n
    end
    if c == 0xdb or c == 0xc6 then
        local n = uint(s, pos, 4)
        pos = pos + 4
        need(s, pos, n)
        return sub(s, pos, pos + n - 1), pos + n
    end
    if c == 0xdc then local n = uint(s, pos, 2) pos = pos + 2 return seq(n, false) end
    if c == 0xdd then local n = uint(s, pos, 4) pos = pos + 4 return seq(n, false) end
    if c == 0xde then local n = uint(s, pos, 2) pos = pos + 2 return seq(n, true) end
    if c == 0xdf then local n = uint(s, pos, 4) pos = pos + 4 return seq(n, true) end
    error('Bad data format in input.', 0)
end

-- decodes up to limit objects (0: all) from offset; returns the next offset (-1 at the end) then the objects
local function unpack_full(s, limit, offset)
    if type(s) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(s) .. ')', 0) end
    local out, n = {}, 0
    local pos = offset + 1
    while pos <= #s and (limit == 0 or n < limit) do
        n = n + 1
        out[n], pos = mp_decode(s, pos)
    end
    return pos, out, n
end

cmsgpack.unpack = wrap(function(s)
    local _, out, n = unpack_full(s, 0, 0)
    return unpack(out, 1, n)
end)
cmsgpack.unpack_one = wrap(function(s, offset)
    local pos, out, n = unpack_full(s, 1, offset or 0)
    return (pos > #s and -1 or pos - 1), unpack(out, 1, n)
end)
cmsgpack.unpack_limit = wrap(function(s, limit, offset)
    local pos, out, n = unpack_full(s, limit or 0, offset or 0)
    return (pos > #s and -1 or pos - 1), unpack(out, 1, n)
end)
cmsgpack._NAME = 'cmsgpack'
cmsgpack._VERSION = 'lua-cmsgpack 0.4.0'
J.cmsgpack = cmsgpack
