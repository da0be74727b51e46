package dev.peregrine.server.command.sort;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SortScore}: C strtod over the whole value, with Redis's refusals. */
class SortScoreTest {
    private static double p(String s) {
        return SortScore.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void invalid(String s) {
        assertTrue(Double.isNaN(p(s)), s);
    }

    @Test
    void decimalForms() {
        assertEquals(3, p("3"));
        assertEquals(-1.5, p("-1.5"));
        assertEquals(0.5, p(".5"));
        assertEquals(5, p("5."));
        assertEquals(100, p("1e2"));
        assertEquals(100, p("1E+2"));
        assertEquals(1, p("+1"));
        assertEquals(7, p(" \t7"));
        assertEquals(0, p(""));
        assertEquals(-0.0, p("-0"));
        assertEquals(5, p("5\0junk"));
    }

    @Test
    void hexAndInfinity() {
        assertEquals(16, p("0x10"));
        assertEquals(26, p("0X1A"));
        assertEquals(0.125, p("0x1p-3"));
        assertEquals(1.5, p("0x1.8"));
        assertEquals(Double.POSITIVE_INFINITY, p("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, p("-Infinity"));
        assertEquals(Double.MIN_VALUE, p("0x1p-1074"));
        assertEquals(Double.MIN_VALUE * 3, p("0x3p-1074"));
        assertEquals(Double.MIN_NORMAL, p("2.2250738585072014e-308"));
    }

    @Test
    void refusals() {
        invalid("abc");
        invalid(" ");
        invalid("1 ");
        invalid("1e");
        invalid("nan");
        invalid("-nan");
        invalid("infin");
        invalid("0x");
        invalid("1e400");
        invalid("1e-400");
        invalid("0x1p-1080");
        invalid("1e-310");
        invalid("0x1.00000000000000000001p-1070");
        invalid("1,5");
    }
}
