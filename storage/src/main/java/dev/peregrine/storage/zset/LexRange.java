package dev.peregrine.storage.zset;

import java.util.Arrays;

/**
 * A member interval as ZRANGEBYLEX takes it (Redis's {@code zlexrangespec}): bounds compare byte-wise unsigned,
 * {@code -} is below every member and {@code +} above every member.
 *
 * @param min lower bound bytes (unused when {@code minKind} is not {@link #VALUE})
 * @param max upper bound bytes
 * @param minKind {@link #MINUS_INF}, {@link #PLUS_INF} or {@link #VALUE}
 * @param maxKind likewise
 */
public record LexRange(byte[] min, byte[] max, int minKind, int maxKind, boolean minExclusive,
                       boolean maxExclusive) {
    public static final int VALUE = 0;
    public static final int MINUS_INF = -1;
    public static final int PLUS_INF = 1;

    /**
     * Parses one bound: {@code -}, {@code +}, {@code [member} or {@code (member}.
     *
     * @return {@code {kind, exclusive, bytes}} or null when malformed
     */
    public static Object[] parseBound(byte[] a) {
        if (a.length == 1 && a[0] == '-') {
            return new Object[] {MINUS_INF, true, null};
        }
        if (a.length == 1 && a[0] == '+') {
            return new Object[] {PLUS_INF, true, null};
        }
        if (a.length >= 1 && (a[0] == '[' || a[0] == '(')) {
            return new Object[] {VALUE, a[0] == '(', Arrays.copyOfRange(a, 1, a.length)};
        }
        return null;
    }

    /** Parses a min and a max bound; null when either is malformed. */
    public static LexRange parse(byte[] min, byte[] max) {
        Object[] lo = parseBound(min);
        Object[] hi = parseBound(max);
        if (lo == null || hi == null) {
            return null;
        }
        return new LexRange((byte[]) lo[2], (byte[]) hi[2], (int) lo[0], (int) hi[0], (boolean) lo[1],
                (boolean) hi[1]);
    }

    private static int cmp(byte[] a, int aKind, byte[] b, int bKind) {
        if (aKind != VALUE || bKind != VALUE) {
            return aKind == bKind ? 0 : Integer.compare(aKind, bKind);
        }
        return Arrays.compareUnsigned(a, b);
    }

    public boolean gteMin(byte[] m) {
        int c = cmp(m, VALUE, min, minKind);
        return minExclusive ? c > 0 : c >= 0;
    }

    public boolean lteMax(byte[] m) {
        int c = cmp(m, VALUE, max, maxKind);
        return maxExclusive ? c < 0 : c <= 0;
    }

    /** Elements strictly before the range (a prefix when all scores are equal). */
    public ZPredicate below() {
        return (m, s) -> !gteMin(m);
    }

    /** Elements not after the range's end. */
    public ZPredicate notAfter() {
        return (m, s) -> lteMax(m);
    }

    /** Whether the range can hold anything (Redis's early check). */
    public boolean isEmpty() {
        int c = cmp(min, minKind, max, maxKind);
        return c > 0 || (c == 0 && (minExclusive || maxExclusive));
    }
}
