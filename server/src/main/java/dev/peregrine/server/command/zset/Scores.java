package dev.peregrine.server.command.zset;

import dev.peregrine.storage.zset.LexRange;
import dev.peregrine.storage.zset.ScoreRange;

import java.nio.charset.StandardCharsets;

/**
 * Parsing of scores and ranges with C {@code strtod}'s grammar, as Redis does: decimal with optional exponent,
 * hexadecimal ({@code 0x1.8p3}, {@code 0x10}), {@code inf}/{@code infinity}, {@code nan}; case-insensitive words.
 * Stateless; any thread.
 */
public final class Scores {
    /** Returned by {@link #parseScore} for an invalid score (never a valid result). */
    static final double INVALID = Double.NaN;

    private Scores() {
    }

    /**
     * Redis's {@code string2d}: the whole argument must be a number; no leading space; an overflow to ±inf or an
     * underflow to zero of a non-zero literal is refused; NaN is refused.
     *
     * @return the value, or {@link #INVALID}
     */
    public static double parseScore(byte[] a) {
        if (a.length == 0 || isSpace(a[0])) {
            return INVALID;
        }
        double[] out = new double[2];
        int end = strtod(a, 0, out);
        if (end != a.length || Double.isNaN(out[0]) || out[1] != 0) {
            return INVALID;
        }
        return out[0];
    }

    /**
     * A range bound as Redis's zslParseRange reads it: plain {@code strtod} (leading spaces allowed, overflow
     * allowed, an empty string is 0) that must consume everything and not be NaN.
     *
     * @return the value, or NaN when invalid
     */
    static double parseBound(byte[] a, int from) {
        int i = from;
        while (i < a.length && isSpace(a[i])) {
            i++;
        }
        double[] out = new double[2];
        int end = strtod(a, i, out);
        if (end == i) {
            // no number: strtod stops at the start, so only an empty rest is accepted (as 0)
            return from == a.length ? 0 : Double.NaN;
        }
        return end == a.length ? out[0] : Double.NaN;
    }

    /** Parses a ZRANGEBYSCORE min/max pair, or null ({@code ERR min or max is not a float}). */
    static ScoreRange parseRange(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = parseBound(min, minEx ? 1 : 0);
        double hi = parseBound(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return null;
        }
        return new ScoreRange(lo, hi, minEx, maxEx);
    }

    /** Parses a ZRANGEBYLEX min/max pair, or null ({@code ERR min or max not valid string range item}). */
    static LexRange parseLexRange(byte[] min, byte[] max) {
        return LexRange.parse(min, max);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean word(byte[] a, int i, String w) {
        if (i + w.length() > a.length) {
            return false;
        }
        for (int k = 0; k < w.length(); k++) {
            if ((a[i + k] | 0x20) != w.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return isDigit(b) || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
    }

    /**
     * C strtod on the longest numeric prefix of {@code a} from {@code i} (no space skipping).
     *
     * @param out receives the value in [0] and 1 in [1] when the result is out of range (ERANGE with an
     *            infinite or zero result)
     * @return the index after the parsed prefix; {@code i} when there is no number
     */
    static int strtod(byte[] a, int i, double[] out) {
        out[1] = 0;
        int p = i;
        boolean neg = false;
        if (p < a.length && (a[p] == '+' || a[p] == '-')) {
            neg = a[p] == '-';
            p++;
        }
        if (word(a, p, "inf")) {
            out[0] = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return word(a, p, "infinity") ? p + 8 : p + 3;
        }
        if (word(a, p, "nan")) {
            out[0] = Double.NaN;
            int q = p + 3;
            if (q < a.length && a[q] == '(') {
                int r = q + 1;
                while (r < a.length && (isHex(a[r]) || (a[r] | 0x20) >= 'a' && (a[r] | 0x20) <= 'z' || a[r] == '_')) {
                    r++;
                }
                if (r < a.length && a[r] == ')') {
                    q = r + 1;
                }
            }
            return q;
        }
        if (p + 1 < a.length && a[p] == '0' && (a[p + 1] | 0x20) == 'x') {
            int q = p + 2;
            int digits = 0;
            boolean nonZero = false;
            while (q < a.length && isHex(a[q])) {
                nonZero |= a[q] != '0';
                q++;
                digits++;
            }
            if (q < a.length && a[q] == '.') {
                int r = q + 1;
                int frac = 0;
                while (r < a.length && isHex(a[r])) {
                    nonZero |= a[r] != '0';
                    r++;
                    frac++;
                }
                if (digits + frac > 0) {
                    q = r;
                    digits += frac;
                }
            }
            if (digits > 0) {
                String mant = new String(a, p, q - p, StandardCharsets.ISO_8859_1);
                String exp = "p0";
                if (q < a.length && (a[q] | 0x20) == 'p') {
                    int r = q + 1;
                    if (r < a.length && (a[r] == '+' || a[r] == '-')) {
                        r++;
                    }
                    int s = r;
                    while (r < a.length && isDigit(a[r])) {
                        r++;
                    }
                    if (r > s) {
                        exp = new String(a, q, r - q, StandardCharsets.ISO_8859_1);
                        q = r;
                    }
                }
                if (mant.endsWith(".")) {
                    mant = mant + "0";
                }
                if (mant.startsWith("0x.") || mant.startsWith("0X.")) {
                    mant = "0x0" + mant.substring(2);
                }
                double v = parseJava(mant + clampExp(exp));
                finish(v, nonZero, false, out);
                out[0] = neg ? -out[0] : out[0];
                return q;
            }
            // "0x" without digits: the number is the "0"
            out[0] = neg ? -0.0 : 0.0;
            return p + 1;
        }
        int q = p;
        int digits = 0;
        boolean nonZero = false;
        while (q < a.length && isDigit(a[q])) {
            nonZero |= a[q] != '0';
            q++;
            digits++;
        }
        if (q < a.length && a[q] == '.') {
            int r = q + 1;
            int frac = 0;
            while (r < a.length && isDigit(a[r])) {
                nonZero |= a[r] != '0';
                r++;
                frac++;
            }
            if (digits + frac > 0) {
                q = r;
                digits += frac;
            }
        }
        if (digits == 0) {
            return i;
        }
        int mantEnd = q;
        String exp = "";
        if (q < a.length && (a[q] | 0x20) == 'e') {
            int r = q + 1;
            if (r < a.length && (a[r] == '+' || a[r] == '-')) {
                r++;
            }
            int s = r;
            while (r < a.length && isDigit(a[r])) {
                r++;
            }
            if (r > s) {
                exp = new String(a, q, r - q, StandardCharsets.ISO_8859_1);
                q = r;
            }
        }
        String mant = new String(a, p, mantEnd - p, StandardCharsets.ISO_8859_1);
        double v = parseJava(mant + clampExp(exp));
        finish(v, nonZero, false, out);
        out[0] = neg ? -out[0] : out[0];
        return q;
    }

    /** Java's parser overflows an int exponent differently from C; clamp absurd exponents. */
    private static String clampExp(String exp) {
        if (exp.length() < 2) {
            return exp;
        }
        int k = 1;
        boolean neg = false;
        if (exp.charAt(1) == '+' || exp.charAt(1) == '-') {
            neg = exp.charAt(1) == '-';
            k = 2;
        }
        String digits = exp.substring(k).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 6) {
            digits = "999999";
        }
        return exp.charAt(0) + (neg ? "-" : "") + digits;
    }

    private static double parseJava(String s) {
        return Double.parseDouble(s);
    }

    private static void finish(double v, boolean nonZero, boolean unused, double[] out) {
        out[0] = v;
        if (Double.isInfinite(v) || (v == 0 && nonZero)) {
            out[1] = 1;
        }
    }
}
