package dev.peregrine.server.command.string;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** INCRBYFLOAT's long double emulation; expected texts are what redis-server printed for the same input. */
class LongDoubleTest {
    private static BigDecimal parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return LongDouble.parse(b, 0, b.length);
    }

    /** What INCRBYFLOAT on a missing key answers for {@code s}. */
    private static String once(String s) {
        return LongDouble.format(LongDouble.add(BigDecimal.ZERO, parse(s)));
    }

    @Test
    void printsLikeRedis() {
        assertEquals("10.6", LongDouble.format(LongDouble.add(parse("10.5"), parse("0.1"))));
        assertEquals("-4989.39999999999999991", LongDouble.format(LongDouble.add(parse("10.6"), parse("-5.0e3"))));
        assertEquals("3002", LongDouble.format(LongDouble.add(parse("3.0e3"), parse("2"))));
        assertEquals("5000", once("5.0e3"));
        assertEquals("0.1", once("0.1"));
        assertEquals("123456789012345678899921813504", once("123456789012345678901234567890.123456789"));
        assertEquals("0", once("-0.0"));
        assertEquals("0", once("4e-4951"));
        assertEquals("0", once("0x1p-16445"));
        assertEquals("0", once("0x1.8p-16446"));
        assertEquals("16", once("0x10"));
        assertEquals("0.25", once("0x1p-2"));
        assertEquals(true, once("1e4932").startsWith("10000000000000000000060189493879638913238377742545331147737"));
        assertEquals(true, once("0x1p16383").startsWith("59486574767861588254287966331400356538172234354825511873"));
    }

    @Test
    void refusesWhatString2ldRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "nan", "NaN", "-nan", "1e", "1e+", ".", "-", "+", "0x", "0xp1",
                "1.2.3", "--1", "infinit", "1e-4951", "1e-4952", "1.1897314953572317651e4932", "0x1p16384",
                "0x1p-16446", "1e99999999999"}) {
            assertNull(parse(bad), "'" + bad + "'");
        }
        assertNotNull(parse("1.18973149535723176502e4932"));
        assertNotNull(parse("0e99999999999"));
        assertSame(LongDouble.INFINITE, parse("inf"));
        assertSame(LongDouble.INFINITE, parse("-Infinity"));
    }

    @Test
    void overflowingSumIsNull() {
        BigDecimal max = parse("1.18973149535723176502e4932");
        assertNull(LongDouble.add(max, max));
        assertNotNull(LongDouble.add(max, max.negate()));
    }
}
