package dev.peregrine.server.script;

import party.iroiro.luajava.Lua;

/**
 * The libraries Redis adds to its Lua: {@code bit} (LuaBitOp's API, 32-bit operations) written here in Java.
 * Each is installed as a field of the bindings table on top of the stack. Executor-only.
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
