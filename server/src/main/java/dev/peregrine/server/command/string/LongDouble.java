package dev.peregrine.server.command.string;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The arithmetic of INCRBYFLOAT, emulating the x87 80-bit {@code long double} Redis computes with: numbers are
 * parsed with {@code strtold}'s grammar, rounded to a 64-bit binary mantissa (round half to even), added and
 * rounded again, and printed as {@code %.17Lf} with trailing zeros removed. Values are held exactly as
 * {@link BigDecimal}s of the binary value, so the printed digits are those Redis prints.
 *
 * <p>Stateless; any thread.
 */
public final class LongDouble {
    /** Returned by {@link #parse} for {@code inf} / {@code infinity} with either sign. */
    public static final BigDecimal INFINITE = new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE + 1);

    private static final int MANTISSA_BITS = 64;
    /** Every finite long double is below 2^16384. */
    private static final int MAX_BINARY_EXPONENT = 16384;
    /** The value of the last mantissa bit of the smallest subnormal long double is 2^-16445. */
    private static final int MIN_QUANTUM_EXPONENT = -16445;
    /** Below about 3.6e-4951 strtold underflows to zero and reports ERANGE. */
    private static final int MIN_DECIMAL_EXPONENT = -4951;
    private static final int MAX_DECIMAL_EXPONENT = 4932;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer input is refused. */
    private static final int MAX_CHARS = 5 * 1024;

    private LongDouble() {
    }

    /**
     * Parses {@code s} as Redis's {@code string2ld}: the whole input must be a {@code strtold} number (decimal,
     * hexadecimal with optional binary exponent, or inf/infinity), no leading space, not NaN, not overflowing and
     * not underflowing to zero.
     *
     * @return the value rounded to long double precision, {@link #INFINITE} for an infinity, or null when invalid
     */
    public static BigDecimal parse(byte[] s, int off, int len) {
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        if (i == end) {
            return null;
        }
        if (matchesIgnoreCase(s, i, end, "inf") || matchesIgnoreCase(s, i, end, "infinity")) {
            return INFINITE;
        }
        BigDecimal v;
        if (end - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            v = parseHex(s, i + 2, end);
        } else {
            v = parseDecimal(s, i, end);
        }
        if (v == null) {
            return null;
        }
        return negative ? v.negate() : v;
    }

    private static boolean matchesIgnoreCase(byte[] s, int from, int end, String word) {
        if (end - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (((s[from + k] | 0x20) & 0xff) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        if (l >= 'a' && l <= 'f') {
            return l - 'a' + 10;
        }
        return -1;
    }

    /** Reads an optionally signed exponent from {@code s[i, end)}, saturating; null when malformed. */
    private static long[] exponent(byte[] s, int i, int end) {
        boolean neg = false;
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i == end) {
            return null;
        }
        long e = 0;
        for (; i < end; i++) {
            if (!isDigit(s[i])) {
                return null;
            }
            e = Math.min(e * 10 + (s[i] - '0'), 1_000_000_000L);
        }
        return new long[] {neg ? -e : e};
    }

    private static BigDecimal parseDecimal(byte[] s, int i, int end) {
        StringBuilder digits = new StringBuilder(end - i);
        int fraction = 0;
        boolean point = false;
        int count = 0;
        for (; i < end; i++) {
            byte b = s[i];
            if (isDigit(b)) {
                digits.append((char) b);
                count++;
                if (point) {
                    fraction++;
                }
            } else if (b == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (count == 0) {
            return null;
        }
        long exp = 0;
        if (i < end) {
            if (s[i] != 'e' && s[i] != 'E') {
                return null;
            }
            long[] e = exponent(s, i + 1, end);
            if (e == null) {
                return null;
            }
            exp = e[0];
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        if (unscaled.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // decimal exponent of the leading digit
        long leading = (long) unscaled.toString().length() - 1 - fraction + exp;
        if (leading > MAX_DECIMAL_EXPONENT + 1) {
            return null;
        }
        if (leading < MIN_DECIMAL_EXPONENT - 1) {
            return null;
        }
        long scale = fraction - exp;
        BigInteger num;
        BigInteger den;
        if (scale > 0) {
            num = unscaled;
            den = BigInteger.TEN.pow((int) scale);
        } else {
            num = unscaled.multiply(BigInteger.TEN.pow((int) -scale));
            den = BigInteger.ONE;
        }
        return nonZero(round(num, den, 0));
    }

    /** strtold reports ERANGE when a non-zero input rounds to zero, and string2ld then refuses it. */
    private static BigDecimal nonZero(BigDecimal v) {
        return v == null || v.signum() == 0 ? null : v;
    }

    private static BigDecimal parseHex(byte[] s, int i, int end) {
        BigInteger mantissa = BigInteger.ZERO;
        int fraction = 0;
        boolean point = false;
        int count = 0;
        BigInteger sixteen = BigInteger.valueOf(16);
        for (; i < end; i++) {
            byte b = s[i];
            int d = hexDigit(b);
            if (d >= 0) {
                mantissa = mantissa.multiply(sixteen).add(BigInteger.valueOf(d));
                count++;
                if (point) {
                    fraction++;
                }
            } else if (b == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (count == 0) {
            return null;
        }
        long exp = 0;
        if (i < end) {
            if (s[i] != 'p' && s[i] != 'P') {
                return null;
            }
            long[] e = exponent(s, i + 1, end);
            if (e == null) {
                return null;
            }
            exp = e[0];
        }
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long pow2 = exp - 4L * fraction;
        long top = mantissa.bitLength() + pow2;
        if (top > MAX_BINARY_EXPONENT || top < -16445) {
            return null;
        }
        return nonZero(round(mantissa, BigInteger.ONE, (int) pow2));
    }

    /**
     * {@code num / den * 2^pow2} (num, den positive) rounded to a 64-bit mantissa, half to even, with the reduced
     * precision of subnormals below 2^-16382.
     *
     * @return the exact rounded value, zero when it underflows, or null when it is not below 2^16384 (an
     *         overflow)
     */
    private static BigDecimal round(BigInteger num, BigInteger den, int pow2) {
        int k = MANTISSA_BITS - (num.bitLength() - den.bitLength());
        BigInteger q;
        BigInteger r;
        BigInteger d;
        while (true) {
            BigInteger n = k >= 0 ? num.shiftLeft(k) : num;
            d = k >= 0 ? den : den.shiftLeft(-k);
            BigInteger[] qr = n.divideAndRemainder(d);
            q = qr[0];
            r = qr[1];
            if (q.bitLength() > MANTISSA_BITS) {
                k--;
            } else if (q.bitLength() < MANTISSA_BITS) {
                k++;
            } else {
                break;
            }
        }
        if ((long) pow2 - k < MIN_QUANTUM_EXPONENT) {
            // a subnormal: the last mantissa bit is worth 2^-16445, so fewer bits remain
            k = pow2 - MIN_QUANTUM_EXPONENT;
            BigInteger n = k >= 0 ? num.shiftLeft(k) : num;
            d = k >= 0 ? den : den.shiftLeft(-k);
            BigInteger[] qr = n.divideAndRemainder(d);
            q = qr[0];
            r = qr[1];
        }
        int c = r.shiftLeft(1).compareTo(d);
        if (c > 0 || (c == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        long exp = (long) pow2 - k;
        if (q.bitLength() + exp > MAX_BINARY_EXPONENT) {
            return null;
        }
        if (exp >= 0) {
            return new BigDecimal(q.shiftLeft((int) exp));
        }
        return new BigDecimal(q.multiply(BigInteger.valueOf(5).pow((int) -exp)), (int) -exp);
    }

    /**
     * {@code a * m} rounded to long double precision (blocking time-outs: seconds times 1000).
     *
     * @return the product, or null when it overflows to an infinity
     */
    public static BigDecimal multiply(BigDecimal a, long m) {
        return add(a.multiply(BigDecimal.valueOf(m)), BigDecimal.ZERO);
    }

    /**
     * {@code a + b} rounded to long double precision.
     *
     * @return the sum, or null when it overflows to an infinity
     */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        BigDecimal sum = a.add(b);
        int sign = sum.signum();
        if (sign == 0) {
            return BigDecimal.ZERO;
        }
        BigInteger u = sum.unscaledValue().abs();
        int scale = sum.scale();
        BigDecimal r = scale > 0
                ? round(u, BigInteger.TEN.pow(scale), 0)
                : round(u.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE, 0);
        if (r == null) {
            return null;
        }
        return sign < 0 ? r.negate() : r;
    }

    /** {@code %.17Lf} of {@code v}, then trailing zeros and a bare point removed, and {@code -0} printed as 0. */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
