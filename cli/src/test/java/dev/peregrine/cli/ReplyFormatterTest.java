package dev.peregrine.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reply types the installed redis-cli 7.0 cannot print (it rejects RESP3 big numbers and attributes, which
 * redis-cli 7.2 prints), and the escaping rules, checked without a server. Every other form is covered against the
 * real redis-cli in {@link OutputParityTest}.
 */
class ReplyFormatterTest {
    private static Reply parse(String resp) {
        ByteBuf b = Unpooled.copiedBuffer(resp, StandardCharsets.ISO_8859_1);
        return Reply.parse(b, 0);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] NL = {'\n'};

    @Test
    void bigNumberInEveryForm() {
        Reply r = parse("(1234567999999999999999999999999999999\r\n");
        assertEquals("(big number) 1234567999999999999999999999999999999\n", s(ReplyFormatter.tty(r)));
        assertEquals("1234567999999999999999999999999999999", s(ReplyFormatter.raw(r, NL)));
        assertEquals("1234567999999999999999999999999999999", s(ReplyFormatter.csv(r)));
        assertEquals("1234567999999999999999999999999999999", s(ReplyFormatter.json(r, false)));
    }

    @Test
    void attributesAreSkipped() {
        Reply r = parse("|1\r\n+key-popularity\r\n*2\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n");
        assertEquals("1) (integer) 2039123\n2) (integer) 9543892\n", s(ReplyFormatter.tty(r)));
        Reply nested = parse("*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nx\r\n:5\r\n");
        assertEquals("1) \"x\"\n2) (integer) 5\n", s(ReplyFormatter.tty(nested)));
    }

    @Test
    void blobErrorIsAnError() {
        Reply r = parse("!21\r\nSYNTAX invalid syntax\r\n");
        assertEquals("(error) SYNTAX invalid syntax\n", s(ReplyFormatter.tty(r)));
        assertEquals("SYNTAX invalid syntax\n", s(ReplyFormatter.raw(r, NL)));
    }

    @Test
    void reprEscapes() {
        Reply r = parse("$12\r\n\\\"\n\r\t\u0007\b\u0000\u007f\u00ff é\r\n".replace("é", "\u00e9"));
        assertEquals("\"\\\\\\\"\\n\\r\\t\\a\\b\\x00\\x7f\\xff \\xe9\"\n", s(ReplyFormatter.tty(r)));
    }

    @Test
    void jsonEscapesControlCharacters() {
        Reply r = parse("$6\r\n\u0001\f\b/\u001f\u007f\r\n");
        assertEquals("\"\\u0001\\f\\b/\\u001f\u007f\"", s(ReplyFormatter.json(r, false)));
    }

    @Test
    void wideArraysPadTheirNumbers() {
        StringBuilder resp = new StringBuilder("*10\r\n");
        for (int i = 1; i <= 10; i++) {
            resp.append(':').append(i).append("\r\n");
        }
        String out = s(ReplyFormatter.tty(parse(resp.toString())));
        assertEquals(" 1) (integer) 1\n", out.substring(0, out.indexOf('\n') + 1));
        assertEquals("10) (integer) 10\n", out.substring(out.lastIndexOf('\n', out.length() - 2) + 1));
    }

    @Test
    void nullArrayAndNullBulkAreNil() {
        assertEquals("(nil)\n", s(ReplyFormatter.tty(parse("*-1\r\n"))));
        assertEquals("(nil)\n", s(ReplyFormatter.tty(parse("$-1\r\n"))));
        assertEquals("NULL", s(ReplyFormatter.csv(parse("_\r\n"))));
        assertEquals("", s(ReplyFormatter.raw(parse("_\r\n"), NL)));
    }
}
