package dev.peregrine.server.command.bitmap;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.bits.Bitmaps;

/**
 * The bitmap commands (Redis's bitops.c) over string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
 * BITFIELD_RO. Bit work is done by {@link Bitmaps}.
 *
 * <p>Writes that keep the value's length change a RAW entry in place (after the database's write barrier);
 * writes that grow it, or meet a non-RAW entry, put a new RAW entry, as Redis unshares and grows the string.
 * Executor-only.
 */
public final class BitmapCommands {
    static final String BIT_OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
    static final String BIT_VALUE_ERROR = "ERR bit is not an integer or out of range";
    static final String BITPOS_BIT_ERROR = "ERR The bit argument must be 1 or 0.";
    static final String BITOP_NOT_ERROR = "ERR BITOP NOT must be called with a single source key.";
    static final String BITFIELD_TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    static final String OVERFLOW_TYPE_ERROR = "ERR Invalid OVERFLOW type specified";
    static final String BITFIELD_RO_ERROR = "ERR BITFIELD_RO only supports the GET subcommand";

    private static final int OP_GET = 0;
    private static final int OP_SET = 1;
    private static final int OP_INCRBY = 2;

    private BitmapCommands() {
    }

    public static void register(CommandTable t) {
        t.register("setbit", BitmapCommands::setbit);
        t.register("getbit", BitmapCommands::getbit);
        t.register("bitcount", BitmapCommands::bitcount);
        t.register("bitpos", BitmapCommands::bitpos);
        t.register("bitop", BitmapCommands::bitop);
        t.register("bitfield", c -> bitfieldGeneric(c, false));
        t.register("bitfield_ro", c -> bitfieldGeneric(c, true));
    }

    // ---------------------------------------------------------------- shared helpers

    /**
     * Redis's getBitOffsetFromArgument: a non-negative bit offset whose byte lies below proto-max-bulk-len; with
     * {@code bits > 0}, the {@code #n} form means {@code n * bits}.
     */
    static long bitOffset(CommandContext c, int i, int bits) {
        byte[] a = c.arg(i);
        int from = bits > 0 && a.length > 0 && a[0] == '#' ? 1 : 0;
        long v = Numbers.parseLong(a, from, a.length - from);
        if (v == Numbers.NOT_A_LONG && !Numbers.isLong(a, from, a.length - from)) {
            throw new CommandError(BIT_OFFSET_ERROR);
        }
        if (from == 1) {
            v *= bits; // wraps as Redis's multiplication does; a negative result is refused below
        }
        if (v < 0 || (v >>> 3) >= c.engine().config().longValue("proto-max-bulk-len")) {
            throw new CommandError(BIT_OFFSET_ERROR);
        }
        return v;
    }

    private static byte[] asString(Object e) {
        if (e == null) {
            return null;
        }
        if (!(e instanceof byte[])) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (byte[]) e;
    }

    /**
     * Redis's lookupStringForBitCommand: the RAW string entry of {@code key} long enough to hold bit
     * {@code maxBit}, created (zero-filled) or grown as needed and already in the database.
     *
     * @param grown set to true in {@code grown[0]} when the key was created or its value lengthened
     */
    private static byte[] stringForBitWrite(CommandContext c, byte[] key, long maxBit, boolean[] grown) {
        long minLen = (maxBit >>> 3) + 1;
        if (minLen > Integer.MAX_VALUE - 64) {
            throw new CommandError(Errors.STRING_TOO_LONG);
        }
        Database db = c.db();
        byte[] e = asString(db.lookupForWrite(key, c.now()));
        byte[] w = Bitmaps.writableEntry(key, e, minLen, Engine.lruClock(c.now()));
        grown[0] = e == null || StringEntry.valueLength(e) < minLen;
        if (w != e) {
            db.put(key, w);
        }
        return w;
    }

    // ---------------------------------------------------------------- SETBIT / GETBIT

    /** SETBIT key offset value: the previous bit; grows the string with zeros as needed. */
    static void setbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        long on = c.longArg(3, BIT_VALUE_ERROR);
        if ((on & ~1L) != 0) {
            throw new CommandError(BIT_VALUE_ERROR);
        }
        byte[] key = c.arg(1);
        boolean[] grown = new boolean[1];
        byte[] e = stringForBitWrite(c, key, offset, grown);
        int old = Bitmaps.setBit(e, StringEntry.valueOffset(e), offset, (int) on);
        if (grown[0] || old != on) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.STRING, "setbit", c.db(), key);
        }
        c.reply().integer(old);
    }

    /** GETBIT key offset: the bit, 0 past the end or for an absent key. */
    static void getbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        byte[] e = c.lookupString(c.arg(1));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        int off = StringEntry.valueOffset(e);
        c.reply().integer(Bitmaps.getBit(e, off, e.length - off, offset));
    }

    // ---------------------------------------------------------------- BITCOUNT / BITPOS

    /**
     * BITCOUNT key [start end [BYTE|BIT]]: the set bits of the value or of an index range. As Redis 7.2, the key
     * is looked up before the range is parsed: an absent key answers 0 whatever the arguments.
     */
    static void bitcount(CommandContext c) {
        byte[] e = c.lookupString(c.arg(1));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        int argc = c.argc();
        int off = StringEntry.valueOffset(e);
        long len = e.length - off;
        long from;
        long to;
        if (argc == 4 || argc == 5) {
            long start = c.longArg(2);
            long end = c.longArg(3);
            boolean isBit = false;
            if (argc == 5) {
                if (c.argIs(4, "bit")) {
                    isBit = true;
                } else if (!c.argIs(4, "byte")) {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            long[] r = clamp(start, end, isBit ? len << 3 : len);
            from = isBit ? r[0] : r[0] << 3;
            to = isBit ? r[1] : (r[1] << 3) + 7;
        } else if (argc == 2) {
            from = 0;
            to = len * 8 - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.reply().integer(from > to ? 0 : Bitmaps.countBits(e, off, from, to));
    }

    /** Redis's index normalisation: negatives count from the end, then clamp to {@code [0, total - 1]}. */
    private static long[] clamp(long start, long end, long total) {
        if (start < 0) {
            start += total;
        }
        if (end < 0) {
            end += total;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= total) {
            end = total - 1;
        }
        return new long[] {start, end};
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]: the first bit equal to {@code bit} in the range; -1 when none,
     * except that a search for 0 without an explicit end reports the first bit past the value.
     */
    static void bitpos(CommandContext c) {
        int argc = c.argc();
        long bit = c.longArg(2);
        if (bit != 0 && bit != 1) {
            throw new CommandError(BITPOS_BIT_ERROR);
        }
        // as Redis 7.2: the key is looked up (and type-checked) before the range is parsed
        byte[] e = c.lookupString(c.arg(1));
        if (e == null) {
            c.reply().integer(bit != 0 ? -1 : 0);
            return;
        }
        int off = StringEntry.valueOffset(e);
        long len = e.length - off;
        boolean endGiven = false;
        long from;
        long to;
        if (argc >= 4 && argc <= 6) {
            long start = c.longArg(3);
            boolean isBit = false;
            if (argc == 6) {
                if (c.argIs(5, "bit")) {
                    isBit = true;
                } else if (!c.argIs(5, "byte")) {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
            long total = isBit ? len << 3 : len;
            long end = total - 1;
            if (argc >= 5) {
                end = c.longArg(4);
                endGiven = true;
            }
            long[] r = clamp(start, end, total);
            from = isBit ? r[0] : r[0] << 3;
            to = isBit ? r[1] : (r[1] << 3) + 7;
        } else if (argc == 3) {
            from = 0;
            to = len * 8 - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (from > to) {
            c.reply().integer(-1);
            return;
        }
        long pos = Bitmaps.findBit(e, off, from, to, (int) bit);
        if (pos < 0 && bit == 0 && !endGiven) {
            pos = to + 1;
        }
        c.reply().integer(pos);
    }

    // ---------------------------------------------------------------- BITOP

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]: stores the result (or deletes destkey); its length. */
    static void bitop(CommandContext c) {
        int op;
        if (c.argIs(1, "and")) {
            op = Bitmaps.AND;
        } else if (c.argIs(1, "or")) {
            op = Bitmaps.OR;
        } else if (c.argIs(1, "xor")) {
            op = Bitmaps.XOR;
        } else if (c.argIs(1, "not")) {
            op = Bitmaps.NOT;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (op == Bitmaps.NOT && c.argc() != 4) {
            throw new CommandError(BITOP_NOT_ERROR);
        }
        int n = c.argc() - 3;
        byte[][] srcs = new byte[n][];
        int[] offs = new int[n];
        int[] lens = new int[n];
        for (int j = 0; j < n; j++) {
            byte[] e = c.lookupString(c.arg(j + 3));
            if (e != null) {
                srcs[j] = e;
                offs[j] = StringEntry.valueOffset(e);
                lens[j] = e.length - offs[j];
            }
        }
        byte[] result = Bitmaps.bitop(op, srcs, offs, lens);
        byte[] dst = c.arg(2);
        Database db = c.db();
        if (result != null) {
            db.put(dst, StringEntry.create(dst, result, 0, result.length, dev.peregrine.storage.Entry.NO_EXPIRE,
                    true, Engine.lruClock(c.now())));
            c.keyModified(db, dst);
            c.notify(KeyspaceEvents.STRING, "set", db, dst);
        } else if (db.remove(dst) != null) {
            c.keyModified(db, dst);
            c.notify(KeyspaceEvents.GENERIC, "del", db, dst);
        }
        c.reply().integer(result == null ? 0 : result.length);
    }

    // ---------------------------------------------------------------- BITFIELD

    /**
     * BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW
     * WRAP|SAT|FAIL]... and BITFIELD_RO key [GET type offset]...: an array with one reply per GET/SET/INCRBY (the
     * value read, the old value, the new value; null when OVERFLOW FAIL stopped the write).
     */
    static void bitfieldGeneric(CommandContext c, boolean readOnlyCommand) {
        int argc = c.argc();
        int cap = Math.max(1, (argc - 2) / 3);
        int[] opcodes = new int[cap];
        int[] overflow = new int[cap];
        int[] widths = new int[cap];
        boolean[] signed = new boolean[cap];
        long[] offsets = new long[cap];
        long[] values = new long[cap];
        int n = 0;
        int owtype = Bitmaps.OVERFLOW_WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            int opcode;
            if (c.argIs(j, "get") && remaining >= 2) {
                opcode = OP_GET;
            } else if (c.argIs(j, "set") && remaining >= 3) {
                opcode = OP_SET;
            } else if (c.argIs(j, "incrby") && remaining >= 3) {
                opcode = OP_INCRBY;
            } else if (c.argIs(j, "overflow") && remaining >= 1) {
                j++;
                if (c.argIs(j, "wrap")) {
                    owtype = Bitmaps.OVERFLOW_WRAP;
                } else if (c.argIs(j, "sat")) {
                    owtype = Bitmaps.OVERFLOW_SAT;
                } else if (c.argIs(j, "fail")) {
                    owtype = Bitmaps.OVERFLOW_FAIL;
                } else {
                    throw new CommandError(OVERFLOW_TYPE_ERROR);
                }
                continue;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
            int type = fieldType(c.arg(j + 1));
            boolean sign = type < 0;
            int bits = Math.abs(type);
            long offset = bitOffset(c, j + 2, bits);
            long value = 0;
            if (opcode != OP_GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = c.longArg(j + 3);
            }
            if (n == opcodes.length) {
                int grow = n * 2;
                opcodes = java.util.Arrays.copyOf(opcodes, grow);
                overflow = java.util.Arrays.copyOf(overflow, grow);
                widths = java.util.Arrays.copyOf(widths, grow);
                signed = java.util.Arrays.copyOf(signed, grow);
                offsets = java.util.Arrays.copyOf(offsets, grow);
                values = java.util.Arrays.copyOf(values, grow);
            }
            opcodes[n] = opcode;
            overflow[n] = owtype;
            widths[n] = bits;
            signed[n] = sign;
            offsets[n] = offset;
            values[n] = value;
            n++;
            j += opcode == OP_GET ? 2 : 3;
        }
        byte[] key = c.arg(1);
        byte[] e;
        boolean grown = false;
        if (readOnly) {
            e = c.lookupString(key);
        } else {
            if (readOnlyCommand) {
                throw new CommandError(BITFIELD_RO_ERROR);
            }
            boolean[] g = new boolean[1];
            e = stringForBitWrite(c, key, highestWrite, g);
            grown = g[0];
        }
        ReplyWriter r = c.reply();
        r.arrayHeader(n);
        int off = e == null ? 0 : StringEntry.valueOffset(e);
        int len = e == null ? 0 : e.length - off;
        long changes = 0;
        for (int i = 0; i < n; i++) {
            int bits = widths[i];
            long offset = offsets[i];
            if (opcodes[i] == OP_GET) {
                long v = signed[i] ? Bitmaps.getSigned(e, off, len, offset, bits)
                        : Bitmaps.getUnsigned(e, off, len, offset, bits);
                r.integer(v);
                continue;
            }
            long old = signed[i] ? Bitmaps.getSigned(e, off, len, offset, bits)
                    : Bitmaps.getUnsigned(e, off, len, offset, bits);
            boolean incr = opcodes[i] == OP_INCRBY;
            long base = incr ? old : values[i];
            long delta = incr ? values[i] : 0;
            int ovf = signed[i] ? Bitmaps.signedOverflow(base, delta, bits)
                    : Bitmaps.unsignedOverflow(base, delta, bits);
            long newValue;
            if (ovf == 0) {
                newValue = base + delta;
            } else if (overflow[i] == Bitmaps.OVERFLOW_FAIL) {
                r.nullBulk();
                continue;
            } else if (overflow[i] == Bitmaps.OVERFLOW_WRAP) {
                newValue = signed[i] ? Bitmaps.signedWrap(base, delta, bits)
                        : Bitmaps.unsignedWrap(base, delta, bits);
            } else {
                newValue = signed[i] ? Bitmaps.signedLimit(ovf, bits) : Bitmaps.unsignedLimit(ovf, bits);
            }
            r.integer(incr ? newValue : old);
            Bitmaps.setField(e, off, offset, bits, newValue);
            if (grown || old != newValue) {
                changes++;
            }
        }
        if (changes > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.STRING, "setbit", c.db(), key);
            c.dirty(changes - 1);
        }
    }

    /**
     * A bitfield type {@code i1..i64} or {@code u1..u63}: the width, negative for signed; else
     * {@link #BITFIELD_TYPE_ERROR}.
     */
    private static int fieldType(byte[] a) {
        if (a.length == 0 || (a[0] != 'i' && a[0] != 'u')) {
            throw new CommandError(BITFIELD_TYPE_ERROR);
        }
        boolean sign = a[0] == 'i';
        int end = 1;
        while (end < a.length && a[end] != 0) {
            end++; // the width is read as a C string
        }
        long bits = Numbers.parseLong(a, 1, end - 1);
        if (end - 1 == 0 || bits == Numbers.NOT_A_LONG || bits < 1 || (sign && bits > 64) || (!sign && bits > 63)) {
            throw new CommandError(BITFIELD_TYPE_ERROR);
        }
        return sign ? (int) -bits : (int) bits;
    }
}
