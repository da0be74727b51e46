package dev.peregrine.protocol;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Prints doubles as Redis 7.2 prints scores and RESP3 doubles ({@code d2string}): {@code nan}, {@code inf},
 * {@code -inf}, {@code 0} and {@code -0}; an integral value within ±2^62 as a plain integer; any other value as
 * the shortest decimal that reads back as the same double, laid out like Redis's grisu2 printer:
 * <ul>
 *   <li>a whole number with at most 7 zeros after its significant digits: plain ({@code 12345678901234567000});</li>
 *   <li>a fraction whose last significant digit is at most 6 places after the point, or whose leading digit is at
 *       most 3 places from the point: plain ({@code 0.000012}, {@code 1.5});</li>
 *   <li>otherwise scientific with an unpadded exponent: {@code 1e+19}, {@code 1.5e-7}, {@code 1e-300}.</li>
 * </ul>
 * Redis's grisu2 may, for rare values, print a longer (still round-tripping) digit string than the shortest one
 * used here.
 *
 * <p>Stateless; any thread.
 */
public final class DoubleFormat {
    /** Integral doubles at most this far from zero print as integers (Redis: LLONG_MAX / 2). */
    private static final double INTEGER_LIMIT = (double) (Long.MAX_VALUE / 2);

    private DoubleFormat() {
    }

    public static String format(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d >= -INTEGER_LIMIT && d <= INTEGER_LIMIT && d == (long) d) {
            return Long.toString((long) d);
        }
        return dtoa(d);
    }

    /**
     * Redis 7.2's {@code fpconv_dtoa} alone (used by DEBUG DIGEST for sorted-set scores): like {@link #format}
     * but without the plain-integer case, so {@code 1e15} prints as {@code 1e+15}.
     */
    public static String dtoa(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int n = digits.length();
        int k = -shortest.scale(); // value = digits x 10^k
        int exponent = k + n - 1;
        int absExponent = Math.abs(exponent);
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (k >= 0 && absExponent < n + 7) {
            sb.append(digits);
            for (int i = 0; i < k; i++) {
                sb.append('0');
            }
        } else if (k < 0 && (k > -7 || absExponent < 4)) {
            int point = n + k; // digits before the decimal point
            if (point <= 0) {
                sb.append("0.");
                for (int i = point; i < 0; i++) {
                    sb.append('0');
                }
                sb.append(digits);
            } else {
                sb.append(digits, 0, point).append('.').append(digits, point, n);
            }
        } else {
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exponent < 0 ? '-' : '+').append(absExponent);
        }
        return sb.toString();
    }

    /**
     * The decimal with the fewest significant digits (1 to 17) that parses back to {@code d}, trailing zeros
     * stripped. {@code d} is finite and non-zero.
     */
    static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17)).stripTrailingZeros();
    }
}
