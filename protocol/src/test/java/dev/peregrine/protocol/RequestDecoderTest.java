package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestDecoderTest {
    private static final long MAX_BULK = 512L * 1024 * 1024;

    /** Decodes {@code input} in one buffer; returns each command as its arguments joined by '|'. */
    private static List<String> decodeWhole(String input) throws ProtocolException {
        return decodeSplit(input, new int[0]);
    }

    /** Decodes {@code input} fed in pieces cut at {@code cuts}, through one cumulating buffer as a server does. */
    private static List<String> decodeSplit(String input, int[] cuts) throws ProtocolException {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        RequestDecoder d = new RequestDecoder(MAX_BULK);
        List<String> out = new ArrayList<>();
        ByteBuf cumulation = Unpooled.buffer();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            cumulation.writeBytes(bytes, from, to - from);
            from = to;
            d.decode(cumulation, argv -> out.add(join(argv)));
            cumulation.discardReadBytes();
        }
        assertFalse(d.midRequest(), "decoder left mid-request");
        assertFalse(cumulation.isReadable(), "bytes left unread");
        return out;
    }

    private static String join(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < argv.length; i++) {
            if (i > 0) {
                sb.append('|');
            }
            sb.append(new String(argv[i], StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static final String MIXED = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva\r\nl\r\n"
            + "PING\r\n"
            + "*1\r\n$4\r\nPING\r\n"
            + "\r\n"
            + "*0\r\n"
            + "*-1\r\n"
            + "ECHO \"a b\" 'c d'\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "  set  x   y  \r\n";

    private static final List<String> MIXED_COMMANDS = List.of(
            "SET|k|va\r\nl", "PING", "PING", "ECHO|a b|c d", "ECHO|", "set|x|y");

    @Test
    void wholeBufferDecodesEveryCommand() throws ProtocolException {
        assertEquals(MIXED_COMMANDS, decodeWhole(MIXED));
    }

    @Test
    void everySplitPositionGivesTheSameCommands() throws ProtocolException {
        for (int cut = 0; cut <= MIXED.length(); cut++) {
            assertEquals(MIXED_COMMANDS, decodeSplit(MIXED, new int[] {cut}), "cut at " + cut);
        }
        for (int a = 0; a <= MIXED.length(); a += 3) {
            for (int b = a; b <= MIXED.length(); b += 5) {
                assertEquals(MIXED_COMMANDS, decodeSplit(MIXED, new int[] {a, b}), "cuts at " + a + "," + b);
            }
        }
    }

    @Test
    void byteByByteGivesTheSameCommands() throws ProtocolException {
        int[] cuts = new int[MIXED.length()];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertEquals(MIXED_COMMANDS, decodeSplit(MIXED, cuts));
    }

    @Test
    void bulkDataMayHoldAnyByte() throws ProtocolException {
        String bin = "\u0000\r\n*$\u00ff";
        assertEquals(List.of("ECHO|" + bin), decodeWhole("*2\r\n$4\r\nECHO\r\n$" + bin.length() + "\r\n" + bin + "\r\n"));
    }

    @Test
    void bytesAfterBulkDataAreSkippedBlindly() throws ProtocolException {
        // as Redis: the two bytes after a bulk are skipped whatever they are
        assertEquals(List.of("PING", "PING"), decodeWhole("*1\r\n$4\r\nPINGxxPING\r\n"));
    }

    @Test
    void inlineQuotesAndEscapes() throws ProtocolException {
        assertEquals(List.of("SET|a b|c'd|A\n\t\"\\"), decodeWhole("SET \"a b\" 'c\\'d' \"\\x41\\n\\t\\\"\\\\\"\r\n"));
        assertEquals(List.of("PING"), decodeWhole("PING\n"));
        assertEquals(List.of("ECHO|"), decodeWhole("ECHO \"\"\r\n"));
    }

    @Test
    void emptyLinesAndEmptyMultibulksRunNothing() throws ProtocolException {
        assertEquals(List.of(), decodeWhole("\r\n\n   \r\n\t\r\n"));
        assertEquals(List.of(), decodeWhole("*0\r\n*-1\r\n*-5\r\n"));
        assertEquals(List.of("PING"), decodeWhole("*0\r\nPING\r\n"));
    }

    private static String error(String input, boolean authRequired, long maxBulk) {
        RequestDecoder d = new RequestDecoder(maxBulk);
        d.authRequired(authRequired);
        List<String> before = new ArrayList<>();
        ProtocolException e = assertThrows(ProtocolException.class, () -> d.decode(
                Unpooled.wrappedBuffer(input.getBytes(StandardCharsets.ISO_8859_1)), argv -> before.add(join(argv))));
        return String.join(",", before) + "/" + e.getMessage();
    }

    private static String error(String input) {
        return error(input, false, MAX_BULK);
    }

    @Test
    void framingErrorsHaveRedisTexts() {
        assertEquals("PING/ERR Protocol error: invalid multibulk length", error("PING\r\n*abc\r\n"));
        assertEquals("/ERR Protocol error: invalid multibulk length", error("*2147483648\r\n"));
        assertEquals("/ERR Protocol error: invalid multibulk length", error("*\r\n"));
        assertEquals("/ERR Protocol error: invalid multibulk length", error("*01\r\n"));
        assertEquals("/ERR Protocol error: invalid multibulk length", error("*+1\r\n"));
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$abc\r\n"));
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$-1\r\n"));
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$\r\n"));
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$+4\r\n"));
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$11\r\n", false, 10));
        assertEquals("/ERR Protocol error: expected '$', got '+'", error("*1\r\n+abc\r\n"));
        assertEquals("PING/ERR Protocol error: unbalanced quotes in request", error("PING\r\nECHO \"a\r\n"));
        assertEquals("/ERR Protocol error: unbalanced quotes in request", error("ECHO \"a\"b\r\n"));
        assertEquals("/ERR Protocol error: unbalanced quotes in request", error("ECHO 'a\r\n"));
    }

    @Test
    void largestValidLengthsPass() throws ProtocolException {
        RequestDecoder d = new RequestDecoder(10);
        List<String> out = new ArrayList<>();
        d.decode(Unpooled.wrappedBuffer("*1\r\n$10\r\n0123456789\r\n".getBytes(StandardCharsets.US_ASCII)),
                argv -> out.add(join(argv)));
        assertEquals(List.of("0123456789"), out);
    }

    @Test
    void unauthenticatedLimits() throws ProtocolException {
        assertEquals("/ERR Protocol error: unauthenticated multibulk length", error("*11\r\n", true, MAX_BULK));
        assertEquals("/ERR Protocol error: unauthenticated bulk length", error("*1\r\n$16385\r\n", true, MAX_BULK));
        // at the limits, and once authenticated, they pass
        RequestDecoder d = new RequestDecoder(MAX_BULK);
        d.authRequired(true);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("*10\r\n$16384\r\n".getBytes(StandardCharsets.US_ASCII));
        d.decode(in, argv -> { });
        assertTrue(d.midRequest());
        d.authRequired(false);
        RequestDecoder e = new RequestDecoder(MAX_BULK);
        e.decode(Unpooled.wrappedBuffer("*11\r\n$16385\r\n".getBytes(StandardCharsets.US_ASCII)), argv -> { });
        assertTrue(e.midRequest());
    }

    @Test
    void tooLongLinesWithoutNewline() throws ProtocolException {
        String big = "x".repeat(RequestDecoder.INLINE_MAX_SIZE + 1);
        assertEquals("/ERR Protocol error: too big inline request", error(big));
        assertEquals("/ERR Protocol error: too big mbulk count string", error("*" + "1".repeat(70000)));
        assertEquals("/ERR Protocol error: too big bulk count string", error("*1\r\n$" + "1".repeat(70000)));
        // exactly the limit: still waiting for the newline
        RequestDecoder d = new RequestDecoder(MAX_BULK);
        ByteBuf in = Unpooled.wrappedBuffer("x".repeat(RequestDecoder.INLINE_MAX_SIZE)
                .getBytes(StandardCharsets.US_ASCII));
        d.decode(in, argv -> { });
        assertEquals(RequestDecoder.INLINE_MAX_SIZE, in.readableBytes());
    }

    @Test
    void hugeDeclaredLengthsAllocateNothingUpFront() throws ProtocolException {
        // a 2 GB bulk and a 2^31-1 element multibulk: the decoder must wait for data, not allocate (an eager
        // allocation would throw OutOfMemoryError here)
        RequestDecoder d = new RequestDecoder(Long.MAX_VALUE);
        ByteBuf in = Unpooled.wrappedBuffer("*2147483647\r\n$2147483645\r\nabc".getBytes(StandardCharsets.US_ASCII));
        d.decode(in, argv -> { });
        assertTrue(d.midRequest());
        assertEquals(3, in.readableBytes());
        assertEquals("/ERR Protocol error: invalid bulk length", error("*1\r\n$2147483646\r\n", false, Long.MAX_VALUE));
        assertEquals("/ERR Protocol error: invalid bulk length",
                error("*1\r\n$99999999999999999999\r\n", false, Long.MAX_VALUE));
    }

    @Test
    void commandsBeforeAnErrorAreDelivered() {
        assertEquals("PING,ECHO|x/ERR Protocol error: expected '$', got 'x'",
                error("PING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*1\r\nxyz\r\n"));
    }

    @Test
    void parseLongIsStrict() {
        for (String bad : new String[] {"", "-", "+1", "01", "-0", " 1", "1 ", "1a", "99999999999999999999",
                "-99999999999999999999", "123456789012345678901"}) {
            ByteBuf b = Unpooled.wrappedBuffer(bad.getBytes(StandardCharsets.US_ASCII));
            assertEquals(Long.MIN_VALUE, RequestDecoder.parseLong(b, 0, b.writerIndex()), "'" + bad + "'");
        }
        for (long v : new long[] {0, 1, -1, 10, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            ByteBuf b = Unpooled.wrappedBuffer(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
            assertEquals(v, RequestDecoder.parseLong(b, 0, b.writerIndex()));
        }
    }

    @Test
    void splitOfErrorInputStillFailsTheSame() {
        String input = "PING\r\n*1\r\n$-1\r\n";
        for (int cut = 0; cut <= input.length(); cut++) {
            int c = cut;
            ProtocolException e = assertThrows(ProtocolException.class, () -> decodeSplit(input, new int[] {c}));
            assertEquals("ERR Protocol error: invalid bulk length", e.getMessage(), Arrays.toString(new int[] {c}));
        }
    }

    @Test
    void unauthenticatedDecodingStopsAfterEachCommand() throws ProtocolException {
        RequestDecoder d = new RequestDecoder(MAX_BULK);
        d.authRequired(true);
        ByteBuf in = Unpooled.wrappedBuffer(("AUTH pw\r\n*2\r\n$4\r\nECHO\r\n$16385\r\n" + "y".repeat(16385) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        List<String> out = new ArrayList<>();
        d.decode(in, argv -> out.add(join(argv)));
        assertEquals(List.of("AUTH|pw"), out);
        assertTrue(d.pausedForAuth());
        // the caller ran AUTH, which succeeded: the large bulk now passes
        d.authRequired(false);
        d.decode(in, argv -> out.add(join(argv).substring(0, 6)));
        assertFalse(d.pausedForAuth());
        assertEquals(List.of("AUTH|pw", "ECHO|y"), out);
        assertFalse(in.isReadable());
        // nothing left after the command: no pause
        RequestDecoder e = new RequestDecoder(MAX_BULK);
        e.authRequired(true);
        e.decode(Unpooled.wrappedBuffer("PING\r\n".getBytes(StandardCharsets.US_ASCII)), argv -> { });
        assertFalse(e.pausedForAuth());
    }
}
