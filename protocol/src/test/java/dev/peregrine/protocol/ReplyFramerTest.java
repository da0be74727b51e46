package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplyFramerTest {
    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Asserts that {@code reply} is one complete frame and that every proper prefix of it is incomplete. */
    private static void frame(String reply) {
        assertEquals(reply.length(), ReplyFramer.frameEnd(buf(reply + "+next\r\n"), 0), reply);
        assertEquals(reply.length(), ReplyFramer.frameEnd(buf(reply), 0), reply);
        for (int n = 0; n < reply.length(); n++) {
            assertEquals(-1, ReplyFramer.frameEnd(buf(reply.substring(0, n)), 0), reply + " cut at " + n);
        }
    }

    @Test
    void everyType() {
        frame("+OK\r\n");
        frame("-ERR x\r\n");
        frame(":12\r\n");
        frame(",1.5\r\n");
        frame("#t\r\n");
        frame("(123\r\n");
        frame("_\r\n");
        frame("$3\r\nabc\r\n");
        frame("$5\r\na\r\nbc\r\n");
        frame("$0\r\n\r\n");
        frame("$-1\r\n");
        frame("*-1\r\n");
        frame("=8\r\ntxt:abcd\r\n");
        frame("!5\r\nERR x\r\n");
        frame("*0\r\n");
        frame("*2\r\n$1\r\na\r\n:1\r\n");
        frame("%1\r\n+k\r\n*1\r\n:2\r\n");
        frame("~2\r\n:1\r\n:2\r\n");
        frame(">2\r\n+message\r\n$1\r\nx\r\n");
        frame("|1\r\n+key\r\n+val\r\n:42\r\n");
        frame("*2\r\n*1\r\n*0\r\n%0\r\n");
    }

    @Test
    void startsAtTheGivenIndex() {
        ByteBuf b = buf("+OK\r\n:1\r\n");
        assertEquals(5, ReplyFramer.frameEnd(b, 0));
        assertEquals(9, ReplyFramer.frameEnd(b, 5));
        assertEquals(-1, ReplyFramer.frameEnd(b, 9));
    }

    @Test
    void rejectsUnknownTypeByte() {
        assertThrows(IllegalArgumentException.class, () -> ReplyFramer.frameEnd(buf("?x\r\n"), 0));
    }
}
