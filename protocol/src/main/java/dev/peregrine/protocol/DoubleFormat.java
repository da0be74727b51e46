package dev.peregrine.protocol;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Prints doubles as Redis 7.2 prints scores and RESP3 doubles: the shortest decimal that reads back as the same
 * double, in {@code %g} layout (plain notation for decimal exponents from -4 to 16, otherwise {@code d.ddde+XX}),
 * and {@code inf}, {@code -inf}, {@code nan}.
 *
 * <p>Stateless; any thread.
 */
public final class DoubleFormat {
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
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal shortest = shortest(d);
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            String digits = shortest.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (d < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
            return sb.toString();
        }
        return shortest.toPlainString();
    }

    /** The decimal with the fewest significant digits (1 to 17) that parses back to {@code d}. */
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
