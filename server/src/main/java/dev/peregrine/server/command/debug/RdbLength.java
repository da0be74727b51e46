package dev.peregrine.server.command.debug;

import dev.peregrine.storage.Numbers;

/**
 * The length in bytes of a value in Redis's RDB encoding, for DEBUG OBJECT's {@code serializedlength}. Strings
 * that are integers take the compact integer forms; other strings are a length prefix plus the bytes (LZF
 * compression, which Redis tries on strings over 20 bytes, is not modelled). Stateless; any thread.
 */
final class RdbLength {
    private RdbLength() {
    }

    /** Bytes of an RDB length prefix for {@code len}. */
    static int lengthPrefix(long len) {
        if (len < (1 << 6)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        if (len <= 0xffffffffL) {
            return 5;
        }
        return 9;
    }

    /** RDB length of the string {@code b[off, off+len)}. */
    static long string(byte[] b, int off, int len) {
        if (len <= 11) {
            long v = Numbers.parseLong(b, off, len);
            if (v != Numbers.NOT_A_LONG && Long.toString(v).length() == len) {
                if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    return 2;
                }
                if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    return 3;
                }
                if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return 5;
                }
            }
        }
        return lengthPrefix(len) + len;
    }
}
