package dev.peregrine.protocol;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DoubleFormatTest {
    @Test
    void specialValues() {
        assertEquals("nan", DoubleFormat.format(Double.NaN));
        assertEquals("inf", DoubleFormat.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", DoubleFormat.format(Double.NEGATIVE_INFINITY));
        assertEquals("0", DoubleFormat.format(0.0));
        assertEquals("-0", DoubleFormat.format(-0.0));
    }

    @Test
    void integralValuesWithinTwoToThe62PrintAsIntegers() {
        assertEquals("1", DoubleFormat.format(1.0));
        assertEquals("-42", DoubleFormat.format(-42.0));
        assertEquals("100000000", DoubleFormat.format(1e8));
        assertEquals("100000000000000000", DoubleFormat.format(1e17));
        assertEquals("4611686018427387904", DoubleFormat.format(4611686018427387904.0)); // 2^62
        assertEquals("-4611686018427387904", DoubleFormat.format(-4611686018427387904.0));
    }

    @Test
    void largeWholeNumbers() {
        assertEquals("1e+19", DoubleFormat.format(1e19));
        assertEquals("9223372036854776000", DoubleFormat.format(9.223372036854776e18)); // 2^63: up to 7 zeros
        assertEquals("12345678901234567000", DoubleFormat.format(1.2345678901234567e19));
        assertEquals("-1.5e+20", DoubleFormat.format(-1.5e20));
        assertEquals("1.7976931348623157e+308", DoubleFormat.format(Double.MAX_VALUE));
        assertEquals("1e+100", DoubleFormat.format(1e100));
    }

    @Test
    void fractions() {
        assertEquals("1.5", DoubleFormat.format(1.5));
        assertEquals("-0.1", DoubleFormat.format(-0.1));
        assertEquals("3.14159", DoubleFormat.format(3.14159));
        assertEquals("0.30000000000000004", DoubleFormat.format(0.1 + 0.2));
        assertEquals("0.0001", DoubleFormat.format(0.0001));
        assertEquals("0.00001", DoubleFormat.format(0.00001));
        assertEquals("0.000012", DoubleFormat.format(0.000012));
        assertEquals("0.000001", DoubleFormat.format(0.000001));
        assertEquals("1e-7", DoubleFormat.format(1e-7));
        assertEquals("1.5e-7", DoubleFormat.format(1.5e-7));
        assertEquals("0.000015", DoubleFormat.format(1.5e-5));
        assertEquals("1.25e-6", DoubleFormat.format(1.25e-6));
        assertEquals("1.2345e-4", DoubleFormat.format(1.2345e-4)); // 8 places: scientific
        assertEquals("0.00012", DoubleFormat.format(1.2e-4));
        assertEquals("0.0012345678901234567", DoubleFormat.format(0.0012345678901234567));
        assertEquals("123456.789", DoubleFormat.format(123456.789));
        assertEquals("1e-300", DoubleFormat.format(1e-300));
        assertEquals("1e-302", DoubleFormat.format(1e-302));
        assertEquals("5e-324", DoubleFormat.format(Double.MIN_VALUE));
    }

    @Test
    void everyOutputReadsBackAsTheSameDouble() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            assertEquals(d, Double.parseDouble(DoubleFormat.format(d)), 0.0, Double.toString(d));
        }
    }
}
