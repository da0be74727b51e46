package dev.peregrine.server.command.sort;

/**
 * The numeric weight SORT gives an element or a BY value: C {@code strtod} over the bytes up to the first NUL,
 * accepted only when it consumes all of them, does not overflow or underflow and is not NaN. Like strtod, an
 * empty input weighs 0, leading white space is skipped, and hexadecimal ({@code 0x1p4}) and {@code inf} /
 * {@code infinity} forms are accepted. Range errors as glibc: overflow, and underflow to zero or to an inexact
 * subnormal value (an exactly representable subnormal is accepted). Any thread (pure function).
 */
final class SortScore {
    /** Returned by {@link #parse} for a value that is not a valid double; test with {@link Double#isNaN}. */
    static final double INVALID = Double.NaN;

    private SortScore() {
    }

    /** The weight of {@code v}, or {@link #INVALID}. */
    static double parse(byte[] v) {
        int end = 0;
        while (end < v.length && v[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0; // strtod finds no number and stops at the terminating NUL: accepted as 0
        }
        int i = 0;
        while (i < end && isSpace(v[i])) {
            i++;
        }
        int signAt = i;
        boolean neg = false;
        if (i < end && (v[i] == '+' || v[i] == '-')) {
            neg = v[i] == '-';
            i++;
        }
        if (i < end && (v[i] | 0x20) == 'i') {
            int n = end - i;
            if ((n == 3 && lowerEquals(v, i, "inf")) || (n == 8 && lowerEquals(v, i, "infinity"))) {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return INVALID;
        }
        if (i + 1 < end && v[i] == '0' && (v[i + 1] | 0x20) == 'x' && i + 2 < end
                && (hex(v[i + 2]) >= 0 || (v[i + 2] == '.' && i + 3 < end && hex(v[i + 3]) >= 0))) {
            return hexFloat(v, i + 2, end, neg);
        }
        int digits = 0;
        int j = i;
        while (j < end && isDigit(v[j])) {
            j++;
            digits++;
        }
        if (j < end && v[j] == '.') {
            j++;
            while (j < end && isDigit(v[j])) {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return INVALID; // no conversion: strtod points back at the start, which is not the end
        }
        if (j < end && (v[j] | 0x20) == 'e') {
            int k = j + 1;
            if (k < end && (v[k] == '+' || v[k] == '-')) {
                k++;
            }
            if (k < end && isDigit(v[k])) {
                while (k < end && isDigit(v[k])) {
                    k++;
                }
                j = k;
            }
        }
        if (j != end) {
            return INVALID;
        }
        String text = new String(v, signAt, end - signAt, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        double d = checkRange(Double.parseDouble(text), v, i, end, false);
        if (!Double.isNaN(d) && d != 0 && Math.abs(d) < Double.MIN_NORMAL
                && new java.math.BigDecimal(text.startsWith("+") ? text.substring(1) : text)
                        .compareTo(new java.math.BigDecimal(d)) != 0) {
            return INVALID; // an inexact subnormal result: strtod reports ERANGE
        }
        return d;
    }

    private static double hexFloat(byte[] v, int from, int end, boolean neg) {
        int j = from;
        boolean any = false;
        while (j < end && hex(v[j]) >= 0) {
            j++;
            any = true;
        }
        if (j < end && v[j] == '.') {
            j++;
            while (j < end && hex(v[j]) >= 0) {
                j++;
                any = true;
            }
        }
        if (!any) {
            return INVALID;
        }
        String mantissa = new String(v, from, j - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        String exp = "0";
        if (j < end && (v[j] | 0x20) == 'p') {
            int k = j + 1;
            if (k < end && (v[k] == '+' || v[k] == '-')) {
                k++;
            }
            if (k < end && isDigit(v[k])) {
                while (k < end && isDigit(v[k])) {
                    k++;
                }
                exp = new String(v, j + 1, k - j - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
                j = k;
            }
        }
        if (j != end) {
            return INVALID;
        }
        if (mantissa.startsWith(".")) {
            mantissa = "0" + mantissa;
        }
        double d;
        try {
            d = Double.parseDouble("0x" + mantissa + "p" + exp);
        } catch (NumberFormatException e) {
            return INVALID;
        }
        d = checkRange(neg ? -d : d, v, from, end, true);
        if (!Double.isNaN(d) && d != 0 && Math.abs(d) < Double.MIN_NORMAL) {
            try {
                if (exactHex(mantissa, Long.parseLong(exp)).compareTo(new java.math.BigDecimal(Math.abs(d))) != 0) {
                    return INVALID; // an inexact subnormal result: strtod reports ERANGE
                }
            } catch (NumberFormatException | ArithmeticException e) {
                return INVALID;
            }
        }
        return d;
    }

    /** strtod reports ERANGE on overflow and on underflow to zero or to a subnormal value. */
    private static double checkRange(double d, byte[] v, int from, int end, boolean hex) {
        if (Double.isInfinite(d)) {
            return INVALID;
        }
        if (d == 0) {
            for (int k = from; k < end; k++) {
                int l = v[k] | 0x20;
                if (l == (hex ? 'p' : 'e')) {
                    break;
                }
                if (v[k] >= '1' && v[k] <= '9' || hex && l >= 'a' && l <= 'f') {
                    return INVALID;
                }
            }
            return d;
        }
        return d;
    }

    /** The exact value of hexadecimal digits {@code mantissa} (with an optional point) times 2^exp. */
    private static java.math.BigDecimal exactHex(String mantissa, long exp) {
        int point = mantissa.indexOf('.');
        String digits = point < 0 ? mantissa : mantissa.substring(0, point) + mantissa.substring(point + 1);
        long e = exp - (point < 0 ? 0 : 4L * (mantissa.length() - point - 1));
        java.math.BigDecimal m = new java.math.BigDecimal(new java.math.BigInteger(digits.isEmpty() ? "0" : digits, 16));
        java.math.BigDecimal two = java.math.BigDecimal.valueOf(2);
        return e >= 0 ? m.multiply(two.pow((int) e)) : m.divide(two.pow((int) -e));
    }

    private static boolean lowerEquals(byte[] v, int from, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((v[from + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }
}
