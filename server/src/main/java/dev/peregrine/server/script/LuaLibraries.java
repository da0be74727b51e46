package dev.peregrine.server.script;

import party.iroiro.luajava.Lua;

/**
 * The Java side of the libraries Redis adds to its Lua: {@code bit} (LuaBitOp's API, 32-bit operations), and the
 * helpers {@code lua/libs.lua} builds cjson, struct and cmsgpack on: {@code null} (cjson.null, a NULL light
 * userdata), {@code wrap} (turns a Lua function into a C function, so errors keep pointing at the script's line
 * even from a tail call), and IEEE-754 float packing. Installed as fields of the bindings table on top of the
 * stack. Executor-only.
 */
final class LuaLibraries {
    private LuaLibraries() {
    }

    static void install(LuaRuntime rt) {
        Lua l = rt.lua;
        l.newTable();
        rt.field("tobit", x -> ret(x, bit(x, 1)));
        rt.field("bnot", x -> ret(x, ~bit(x, 1)));
        rt.field("band", x -> {
            int r = bit(x, 1);
            for (int i = 2; i <= x.getTop(); i++) {
                r &= bit(x, i);
            }
            return ret(x, r);
        });
        rt.field("bor", x -> {
            int r = bit(x, 1);
            for (int i = 2; i <= x.getTop(); i++) {
                r |= bit(x, i);
            }
            return ret(x, r);
        });
        rt.field("bxor", x -> {
            int r = bit(x, 1);
            for (int i = 2; i <= x.getTop(); i++) {
                r ^= bit(x, i);
            }
            return ret(x, r);
        });
        rt.field("lshift", x -> ret(x, bit(x, 1) << (bit(x, 2) & 31)));
        rt.field("rshift", x -> ret(x, bit(x, 1) >>> (bit(x, 2) & 31)));
        rt.field("arshift", x -> ret(x, bit(x, 1) >> (bit(x, 2) & 31)));
        rt.field("rol", x -> ret(x, Integer.rotateLeft(bit(x, 1), bit(x, 2) & 31)));
        rt.field("ror", x -> ret(x, Integer.rotateRight(bit(x, 1), bit(x, 2) & 31)));
        rt.field("bswap", x -> ret(x, Integer.reverseBytes(bit(x, 1))));
        rt.field("tohex", x -> {
            int v = bit(x, 1);
            int n = x.getTop() >= 2 ? bit(x, 2) : 8;
            boolean upper = n < 0;
            n = Math.min(Math.abs(n), 8);
            String hex = String.format(upper ? "%08X" : "%08x", v);
            x.push(hex.substring(8 - n));
            return 1;
        });
        l.setField(-2, "bit");
        party.iroiro.luajava.lua51.Lua51Natives natives = (party.iroiro.luajava.lua51.Lua51Natives) l.getLuaNatives();
        natives.lua_pushlightuserdata(l.getPointer(), 0);
        l.setField(-2, "null");
        rt.field("wrap", x -> {
            x.pushValue(1);
            int ref = x.ref();
            x.push((party.iroiro.luajava.JFunction) y -> {
                int n = y.getTop();
                y.refGet(ref);
                y.insert(1);
                int status = ((party.iroiro.luajava.lua51.Lua51Natives) y.getLuaNatives())
                        .lua_pcall(y.getPointer(), n, -1, 0);
                if (status == 0) {
                    return y.getTop();
                }
                if (y.isString(-1)) {
                    // a message raised as luaL_error does from C: at the calling script's line
                    byte[] msg = LuaRuntime.toBytes(y, -1);
                    byte[] where = rt.where(y).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    byte[] all = java.util.Arrays.copyOf(where, where.length + msg.length);
                    System.arraycopy(msg, 0, all, where.length, msg.length);
                    y.pop(1);
                    rt.pushBytes(y, all, 0, all.length);
                }
                return -1;
            });
            return 1;
        });
        rt.field("packfloat", x -> {
            double v = x.toNumber(1);
            int size = (int) x.toInteger(2);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size)
                    .order(x.toBoolean(3) ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            if (size == 4) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
            rt.pushBytes(x, b.array(), 0, size);
            return 1;
        });
        rt.field("unpackfloat", x -> {
            byte[] s = LuaRuntime.toBytes(x, 1);
            int pos = (int) x.toInteger(2);
            int size = (int) x.toInteger(3);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(s, pos, size)
                    .order(x.toBoolean(4) ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            x.push(size == 4 ? (double) b.getFloat() : b.getDouble());
            return 1;
        });
        rt.field("msgpackfloat", x -> {
            double v = x.toNumber(1);
            float f = (float) v;
            java.nio.ByteBuffer b;
            if ((double) f == v) {
                b = java.nio.ByteBuffer.allocate(5).put((byte) 0xca).putFloat(f);
            } else {
                b = java.nio.ByteBuffer.allocate(9).put((byte) 0xcb).putDouble(v);
            }
            rt.pushBytes(x, b.array(), 0, b.capacity());
            return 1;
        });
    }

    /** LuaBitOp's normalisation of a number to a signed 32-bit value (modulo 2^32). */
    private static int bit(Lua l, int i) {
        double d = l.toNumber(i);
        // add 2^52 + 2^51 and take the low 32 bits, as LuaBitOp does
        long bits = Double.doubleToRawLongBits(d + 6755399441055744.0);
        return (int) bits;
    }

    private static int ret(Lua l, int v) {
        l.push((double) v);
        return 1;
    }
}
