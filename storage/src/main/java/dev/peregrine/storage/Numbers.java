package dev.peregrine.storage;

/**
 * Number parsing with the strictness Redis applies to values and arguments: {@link #parseLong} is Redis's
 * {@code string2ll} (optional {@code -}, no {@code +}, no leading zeros, no spaces, within 64 bits).
 *
 * <p>Stateless; any thread.
 */
public final class Numbers {
    /** Returned by {@link #parseLong} for input that is not a canonical 64-bit integer. */
    public static final long NOT_A_LONG = Long.MIN_VALUE + 1;

    private Numbers() {
    }

    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    /**
     * Parses {@code b[off, off+len)} as a canonical decimal integer.
     *
     * @return the value, or {@link #NOT_A_LONG} (which is itself never a result of valid input except the literal
     *         {@code -9223372036854775807}; callers that must accept it use {@link #isLong})
     */
    public static long parseLong(byte[] b, int off, int len) {
        if (len <= 0 || len > 20) {
            return NOT_A_LONG;
        }
        int i = off;
        int end = off + len;
        if (len == 1 && b[i] == '0') {
            return 0;
        }
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            i++;
            if (i == end) {
                return NOT_A_LONG;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return NOT_A_LONG;
        }
        long v = 0; // accumulated as a negative number to reach Long.MIN_VALUE
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_LONG;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return NOT_A_LONG;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return NOT_A_LONG;
            }
            return -v;
        }
        return v;
    }

    /** Whether {@code b} is a canonical 64-bit decimal integer. */
    public static boolean isLong(byte[] b) {
        return isLong(b, 0, b.length);
    }

    /** Whether {@code b[off, off+len)} is a canonical 64-bit decimal integer. */
    public static boolean isLong(byte[] b, int off, int len) {
        return parseLong(b, off, len) != NOT_A_LONG || java.util.Arrays.equals(b, off, off + len, NOT_A_LONG_TEXT,
                                                                               0, NOT_A_LONG_TEXT.length);
    }

    private static final byte[] NOT_A_LONG_TEXT =
            Long.toString(NOT_A_LONG).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The decimal digits of {@code v} as ASCII bytes. */
    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
