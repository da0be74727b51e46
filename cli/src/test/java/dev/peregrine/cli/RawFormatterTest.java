package dev.peregrine.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected strings are what redis-cli 7 prints with its output piped (raw form), without the final newline. */
class RawFormatterTest {
    private static String raw(String reply) {
        ByteBuf b = Unpooled.copiedBuffer(reply, StandardCharsets.ISO_8859_1);
        return new String(RawFormatter.format(b, 0), StandardCharsets.ISO_8859_1);
    }

    @Test
    void scalars() {
        assertEquals("OK", raw("+OK\r\n"));
        assertEquals("42", raw(":42\r\n"));
        assertEquals("hello", raw("$5\r\nhello\r\n"));
        assertEquals("", raw("$-1\r\n"));
        assertEquals("", raw("_\r\n"));
        assertEquals("3.141", raw(",3.141\r\n"));
        assertEquals("some text", raw("=13\r\ntxt:some text\r\n"));
    }

    @Test
    void errorsEndWithTheirOwnNewline() {
        assertEquals("ERR unknown command 'foo', with args beginning with: \n",
                     raw("-ERR unknown command 'foo', with args beginning with: \r\n"));
    }

    @Test
    void aggregates() {
        assertEquals("a\nb", raw("*2\r\n$1\r\na\r\n$1\r\nb\r\n"));
        assertEquals("a 1", raw("%1\r\n$1\r\na\r\n$1\r\n1\r\n"));
        assertEquals("", raw("*0\r\n"));
        assertEquals("1\n\nx", raw("*3\r\n:1\r\n$-1\r\n+x\r\n"));
    }
}
