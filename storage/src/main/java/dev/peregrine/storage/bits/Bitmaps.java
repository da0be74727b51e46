package dev.peregrine.storage.bits;

import dev.peregrine.storage.StringEntry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit operations over the bytes of a string value, with Redis's bit numbering: bit 0 is the most significant
 * bit of byte 0, bit 8 the most significant of byte 1, and so on. Bits past the end of a value read as zero.
 *
 * <p>A value is addressed as {@code (b, off, len)}: the array, where the value starts, and its length in bytes,
 * so the packed {@link StringEntry} arrays are read without a copy. Bit offsets are {@code long}s.
 *
 * <p>Static helpers only; any thread for arrays it owns.
 */
public final class Bitmaps {
    /** BITFIELD overflow behaviours (Redis's BFOVERFLOW_*). */
    public static final int OVERFLOW_WRAP = 0;
    public static final int OVERFLOW_SAT = 1;
    public static final int OVERFLOW_FAIL = 2;

    /** BITOP operations. */
    public static final int AND = 0;
    public static final int OR = 1;
    public static final int XOR = 2;
    public static final int NOT = 3;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bitmaps() {
    }

    // ---------------------------------------------------------------- single bits

    /** The bit at {@code bit} (0 or 1); 0 past the end of the value. */
    public static int getBit(byte[] b, int off, int len, long bit) {
        long byteIndex = bit >>> 3;
        if (byteIndex >= len) {
            return 0;
        }
        return (b[off + (int) byteIndex] >> (7 - (int) (bit & 7))) & 1;
    }

    /**
     * Sets the bit at {@code bit} (which must lie inside the array) to {@code on}.
     *
     * @return the previous bit, 0 or 1
     */
    public static int setBit(byte[] b, int off, long bit, int on) {
        int i = off + (int) (bit >>> 3);
        int mask = 1 << (7 - (int) (bit & 7));
        int old = (b[i] & mask) != 0 ? 1 : 0;
        if (on != 0) {
            b[i] |= (byte) mask;
        } else {
            b[i] &= (byte) ~mask;
        }
        return old;
    }

    // ---------------------------------------------------------------- counting

    /** The number of set bits in {@code len} bytes from {@code off}, eight bytes at a time. */
    public static long popcount(byte[] b, int off, int len) {
        long n = 0;
        int i = off;
        int end = off + len;
        int words = end - 7;
        for (; i < words - 24; i += 32) {
            n += Long.bitCount((long) LONGS.get(b, i)) + Long.bitCount((long) LONGS.get(b, i + 8))
                    + Long.bitCount((long) LONGS.get(b, i + 16)) + Long.bitCount((long) LONGS.get(b, i + 24));
        }
        for (; i < words; i += 8) {
            n += Long.bitCount((long) LONGS.get(b, i));
        }
        for (; i < end; i++) {
            n += Integer.bitCount(b[i] & 0xff);
        }
        return n;
    }

    /** The number of set bits between bit positions {@code from} and {@code to}, both inclusive and in range. */
    public static long countBits(byte[] b, int off, long from, long to) {
        int first = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        long n = popcount(b, off + first, last - first + 1);
        // take away the bits of the edge bytes that lie outside the range
        int headMask = (0xff << (8 - (int) (from & 7))) & 0xff;
        int tailMask = (1 << (7 - (int) (to & 7))) - 1;
        n -= Integer.bitCount(b[off + first] & headMask);
        n -= Integer.bitCount(b[off + last] & tailMask);
        return n;
    }

    /**
     * The position of the first bit equal to {@code bit} between bit positions {@code from} and {@code to}
     * (inclusive, in range of the value), or -1 when there is none.
     */
    public static long findBit(byte[] b, int off, long from, long to, int bit) {
        int skip = bit != 0 ? 0 : 0xff; // a byte holding no wanted bit
        long pos = from;
        // leading partial byte
        while (pos <= to && (pos & 7) != 0) {
            if (getBitUnchecked(b, off, pos) == bit) {
                return pos;
            }
            pos++;
        }
        // whole bytes, whole words when aligned enough
        long wordSkip = bit != 0 ? 0L : -1L;
        while (pos + 63 <= to) {
            long w = (long) LONGS.get(b, off + (int) (pos >>> 3));
            if (w != wordSkip) {
                long x = bit != 0 ? w : ~w;
                return pos + Long.numberOfLeadingZeros(x);
            }
            pos += 64;
        }
        while (pos + 7 <= to) {
            int v = b[off + (int) (pos >>> 3)] & 0xff;
            if (v != skip) {
                int x = bit != 0 ? v : ~v & 0xff;
                return pos + Integer.numberOfLeadingZeros(x) - 24;
            }
            pos += 8;
        }
        for (; pos <= to; pos++) {
            if (getBitUnchecked(b, off, pos) == bit) {
                return pos;
            }
        }
        return -1;
    }

    private static int getBitUnchecked(byte[] b, int off, long bit) {
        return (b[off + (int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1;
    }

    // ---------------------------------------------------------------- BITOP

    /**
     * BITOP over values {@code srcs[i]} (null for an absent key, read as empty), the result as long as the
     * longest; shorter values read as zero-padded. NOT takes exactly one source.
     *
     * @param offs where each value starts in its array
     * @param lens each value's length in bytes
     * @return the result, or null when every value is empty
     */
    public static byte[] bitop(int op, byte[][] srcs, int[] offs, int[] lens) {
        int max = 0;
        for (int len : lens) {
            max = Math.max(max, len);
        }
        if (max == 0) {
            return null;
        }
        byte[] out = new byte[max];
        byte[] s0 = srcs[0];
        if (s0 != null) {
            System.arraycopy(s0, offs[0], out, 0, lens[0]);
        }
        if (op == NOT) {
            for (int i = 0; i < max; i++) {
                out[i] = (byte) ~out[i];
            }
            return out;
        }
        for (int k = 1; k < srcs.length; k++) {
            byte[] s = srcs[k];
            int len = s == null ? 0 : lens[k];
            int o = s == null ? 0 : offs[k];
            switch (op) {
                case AND:
                    for (int i = 0; i < len; i++) {
                        out[i] &= s[o + i];
                    }
                    java.util.Arrays.fill(out, len, max, (byte) 0);
                    break;
                case OR:
                    for (int i = 0; i < len; i++) {
                        out[i] |= s[o + i];
                    }
                    break;
                case XOR:
                    for (int i = 0; i < len; i++) {
                        out[i] ^= s[o + i];
                    }
                    break;
                default:
                    throw new IllegalArgumentException("op " + op);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- bitfields

    /**
     * The unsigned integer of {@code bits} bits (1..64) starting at bit {@code bit}, most significant first;
     * bits past the end of the value read as zero.
     */
    public static long getUnsigned(byte[] b, int off, int len, long bit, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++) {
            v = (v << 1) | getBit(b, off, len, bit + j);
        }
        return v;
    }

    /** The two's complement integer of {@code bits} bits (1..64) at {@code bit}, sign-extended. */
    public static long getSigned(byte[] b, int off, int len, long bit, int bits) {
        long v = getUnsigned(b, off, len, bit, bits);
        if (bits < 64) {
            int shift = 64 - bits;
            v = (v << shift) >> shift;
        }
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value} at {@code bit}, most significant first (in range). */
    public static void setField(byte[] b, int off, long bit, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            setBit(b, off, bit + j, (int) (value >>> (bits - 1 - j)) & 1);
        }
    }

    /**
     * Overflow check of a signed field of {@code bits} bits taking {@code value + incr}, with Redis's exact
     * comparisons (a SET passes the new value with {@code incr} 0).
     *
     * @return 1 when the result overflows upwards, -1 downwards, 0 when it fits
     */
    public static int signedOverflow(long value, long incr, int bits) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value; // may wrap; only consulted where it cannot mislead
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            return 1;
        }
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            return -1;
        }
        return 0;
    }

    /** {@code value + incr} wrapped into a signed field of {@code bits} bits. */
    public static long signedWrap(long value, long incr, int bits) {
        long c = value + incr;
        if (bits < 64) {
            int shift = 64 - bits;
            c = (c << shift) >> shift;
        }
        return c;
    }

    /** The limit a saturating signed field of {@code bits} bits takes on overflow in {@code direction}. */
    public static long signedLimit(int direction, int bits) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return direction > 0 ? max : -max - 1;
    }

    /**
     * Overflow check of an unsigned field of {@code bits} bits (1..63) taking {@code value + incr}, {@code value}
     * read as an unsigned 64-bit number (a SET of a negative value is a huge one), as Redis compares.
     *
     * @return 1 upwards, -1 downwards, 0 when it fits
     */
    public static int unsignedOverflow(long value, long incr, int bits) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            return 1;
        }
        if (incr < 0 && incr < minIncr) {
            return -1;
        }
        return 0;
    }

    /** {@code value + incr} wrapped into an unsigned field of {@code bits} bits. */
    public static long unsignedWrap(long value, long incr, int bits) {
        return (value + incr) & ~(-1L << bits);
    }

    /** The limit a saturating unsigned field of {@code bits} bits takes on overflow in {@code direction}. */
    public static long unsignedLimit(int direction, int bits) {
        return direction > 0 ? (1L << bits) - 1 : 0;
    }

    // ---------------------------------------------------------------- entries

    /**
     * A string entry for {@code key} whose value is RAW-flagged and at least {@code minLength} bytes: {@code e}
     * itself when it already is (to be changed in place), else a new entry holding {@code e}'s value (or nothing
     * when {@code e} is null) zero-padded to {@code minLength}, keeping {@code e}'s expiry. The caller puts a new
     * entry into its database.
     *
     * @param e the current entry, or null
     * @param clock access clock for a new entry
     */
    public static byte[] writableEntry(byte[] key, byte[] e, long minLength, int clock) {
        if (e != null && StringEntry.isRaw(e) && StringEntry.valueLength(e) >= minLength) {
            return e;
        }
        int len = e == null ? 0 : StringEntry.valueLength(e);
        int newLen = (int) Math.max(len, minLength);
        byte[] value = new byte[newLen];
        long expireAt = dev.peregrine.storage.Entry.NO_EXPIRE;
        if (e != null) {
            System.arraycopy(e, StringEntry.valueOffset(e), value, 0, len);
            expireAt = StringEntry.expireAt(e);
        }
        return StringEntry.create(key, value, 0, newLen, expireAt, true, clock);
    }
}
