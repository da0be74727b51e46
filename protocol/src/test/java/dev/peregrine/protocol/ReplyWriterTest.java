package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyWriterTest {
    private static String write(int protocol, Consumer<ReplyWriter> w) {
        ByteBuf out = Unpooled.buffer();
        ReplyWriter r = new ReplyWriter().wrap(out, protocol);
        w.accept(r);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Asserts the bytes written in RESP2 and in RESP3. */
    private static void check(String resp2, String resp3, Consumer<ReplyWriter> w) {
        assertEquals(resp2, write(2, w), "RESP2");
        assertEquals(resp3, write(3, w), "RESP3");
    }

    @Test
    void simpleTypes() {
        check("+OK\r\n", "+OK\r\n", ReplyWriter::ok);
        check("+PONG\r\n", "+PONG\r\n", ReplyWriter::pong);
        check("+QUEUED\r\n", "+QUEUED\r\n", ReplyWriter::queued);
        check("+hello world\r\n", "+hello world\r\n", r -> r.simpleString("hello world"));
        check("+a b c\r\n", "+a b c\r\n", r -> r.simpleString("a\rb\nc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void errors() {
        check("-ERR boom\r\n", "-ERR boom\r\n", r -> r.error("ERR boom"));
        check("-ERR boom\r\n", "-ERR boom\r\n", r -> r.error("boom"));
        check("-WRONGTYPE x\r\n", "-WRONGTYPE x\r\n", r -> r.error("WRONGTYPE x"));
        check("-MY_ERR2 x\r\n", "-MY_ERR2 x\r\n", r -> r.error("MY_ERR2 x"));
        check("-CUSTOM x\r\n", "-CUSTOM x\r\n", r -> r.error("-CUSTOM x"));
        check("-ERR Wrong thing\r\n", "-ERR Wrong thing\r\n", r -> r.error("Wrong thing"));
        check("-ERR a  b c\r\n", "-ERR a  b c\r\n", r -> r.error("ERR a\r\nb\nc"));
        // message text built from request bytes (ISO-8859-1) goes out byte for byte, as Redis sends it
        check("-ERR unknown '\u00c3\u00a9'\r\n", "-ERR unknown '\u00c3\u00a9'\r\n",
                r -> r.error("ERR unknown '\u00c3\u00a9'"));
        assertTrue(ReplyWriter.startsWithCode("ERR x"));
        assertFalse(ReplyWriter.startsWithCode("Err x"));
        assertFalse(ReplyWriter.startsWithCode("ERR"));
        assertFalse(ReplyWriter.startsWithCode(" ERR x"));
        assertFalse(ReplyWriter.startsWithCode("1ERR x"));
    }

    @Test
    void integers() {
        check(":0\r\n", ":0\r\n", r -> r.integer(0));
        check(":9999\r\n", ":9999\r\n", r -> r.integer(9999));
        check(":10000\r\n", ":10000\r\n", r -> r.integer(10000));
        check(":-1\r\n", ":-1\r\n", r -> r.integer(-1));
        check(":9223372036854775807\r\n", ":9223372036854775807\r\n", r -> r.integer(Long.MAX_VALUE));
        check(":-9223372036854775808\r\n", ":-9223372036854775808\r\n", r -> r.integer(Long.MIN_VALUE));
        check(":1000000000000000000\r\n", ":1000000000000000000\r\n", r -> r.integer(1_000_000_000_000_000_000L));
        check(":999999999999999999\r\n", ":999999999999999999\r\n", r -> r.integer(999_999_999_999_999_999L));
    }

    @Test
    void booleansDoublesBigNumbersVerbatim() {
        check(":1\r\n", "#t\r\n", r -> r.bool(true));
        check(":0\r\n", "#f\r\n", r -> r.bool(false));
        check("$3\r\n1.5\r\n", ",1.5\r\n", r -> r.doubleValue(1.5));
        check("$3\r\ninf\r\n", ",inf\r\n", r -> r.doubleValue(Double.POSITIVE_INFINITY));
        check("$4\r\n-inf\r\n", ",-inf\r\n", r -> r.doubleValue(Double.NEGATIVE_INFINITY));
        check("$3\r\nnan\r\n", ",nan\r\n", r -> r.doubleValue(Double.NaN));
        check("$1\r\n3\r\n", ",3\r\n", r -> r.doubleValue(3.0));
        check("$5\r\n12345\r\n", "(12345\r\n", r -> r.bigNumber("12345"));
        check("$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n",
                r -> r.verbatim("txt", "hello".getBytes(StandardCharsets.US_ASCII)));
        check("$0\r\n\r\n", "=4\r\ntxt:\r\n", r -> r.verbatim("txt", new byte[0]));
    }

    @Test
    void bulksAndNulls() {
        check("$3\r\nabc\r\n", "$3\r\nabc\r\n", r -> r.bulk("abc".getBytes(StandardCharsets.US_ASCII)));
        check("$2\r\nbc\r\n", "$2\r\nbc\r\n", r -> r.bulk("abcd".getBytes(StandardCharsets.US_ASCII), 1, 2));
        check("$2\r\n\u00c3\u00a9\r\n", "$2\r\n\u00c3\u00a9\r\n", r -> r.bulk("\u00e9"));
        check("$1\r\n7\r\n", "$1\r\n7\r\n", r -> r.bulk(7));
        check("$2\r\n-7\r\n", "$2\r\n-7\r\n", r -> r.bulk(-7));
        check("$5\r\n12345\r\n", "$5\r\n12345\r\n", r -> r.bulk(12345));
        check("$0\r\n\r\n", "$0\r\n\r\n", ReplyWriter::emptyBulk);
        check("$-1\r\n", "_\r\n", ReplyWriter::nullBulk);
        check("*-1\r\n", "_\r\n", ReplyWriter::nullArray);
        byte[] big = new byte[2000];
        String expected = "$2000\r\n" + "\0".repeat(2000) + "\r\n";
        check(expected, expected, r -> r.bulk(big));
        check("$1024\r\n", "$1024\r\n", r -> r.bulkHeader(1024));
        check("$1023\r\n", "$1023\r\n", r -> r.bulkHeader(1023));
    }

    @Test
    void aggregates() {
        check("*2\r\n", "*2\r\n", r -> r.arrayHeader(2));
        check("*5000\r\n", "*5000\r\n", r -> r.arrayHeader(5000));
        check("*0\r\n", "*0\r\n", ReplyWriter::emptyArray);
        check("*4\r\n", "%2\r\n", r -> r.mapHeader(2));
        check("*0\r\n", "%0\r\n", r -> r.mapHeader(0));
        check("*3\r\n", "~3\r\n", r -> r.setHeader(3));
        check("*2\r\n", ">2\r\n", r -> r.pushHeader(2));
        check("", "|1\r\n", r -> r.attributeHeader(1));
        assertFalse(new ReplyWriter().wrap(Unpooled.buffer(), 2).attributeHeader(1));
        assertTrue(new ReplyWriter().wrap(Unpooled.buffer(), 3).attributeHeader(1));
        check("*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n$1\r\na\r\n:1\r\n", r -> {
            r.mapHeader(1);
            r.bulk("a");
            r.integer(1);
        });
        check("ab\r\n", "ab\r\n", r -> {
            r.raw("ab".getBytes(StandardCharsets.US_ASCII));
            r.crlf();
        });
    }

    @Test
    void protocolCanChangeMidBuffer() {
        ByteBuf out = Unpooled.buffer();
        ReplyWriter r = new ReplyWriter().wrap(out, 2);
        r.nullBulk();
        r.protocol(3);
        assertTrue(r.resp3());
        assertEquals(3, r.protocol());
        r.nullBulk();
        assertEquals("$-1\r\n_\r\n", out.toString(StandardCharsets.US_ASCII));
    }
}
