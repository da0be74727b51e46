package dev.peregrine.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SplitArgsTest {
    @Test
    void plainWordsAndWhiteSpace() {
        assertEquals(List.of("set", "k", "v"), SplitArgs.split("set k v"));
        assertEquals(List.of("a", "b"), SplitArgs.split(" \t a \u000b\f b \r\n"));
        assertEquals(List.of(), SplitArgs.split(""));
        assertEquals(List.of(), SplitArgs.split("   "));
    }

    @Test
    void doubleQuotesTakeEscapes() {
        assertEquals(List.of("a b", "x"), SplitArgs.split("\"a b\" x"));
        assertEquals(List.of("\n\r\t\b\u0007\\\"q"), SplitArgs.split("\"\\n\\r\\t\\b\\a\\\\\\\"\\q\""));
        assertEquals(List.of(""), SplitArgs.split("\"\""));
        byte[] line = bytes("\"\\x41\\xff\\x0g\"");
        byte[][] hex = SplitArgs.split(line, 0, line.length);
        assertEquals(1, hex.length);
        assertArrayEquals(new byte[] {'A', (byte) 0xff, 'x', '0', 'g'}, hex[0]);
    }

    @Test
    void singleQuotesTakeOnlyEscapedQuote() {
        assertEquals(List.of("it's", "a\\nb"), SplitArgs.split("'it\\'s' 'a\\nb'"));
        assertEquals(List.of(""), SplitArgs.split("''"));
    }

    @Test
    void quoteInsideAWordOpensAQuotedPart() {
        assertEquals(List.of("foobar baz"), SplitArgs.split("foo\"bar baz\""));
        assertEquals(List.of("ab c"), SplitArgs.split("a'b c'"));
    }

    @Test
    void unbalancedOrGluedQuotesFail() {
        assertNull(SplitArgs.split("\"abc"));
        assertNull(SplitArgs.split("'abc"));
        assertNull(SplitArgs.split("\"abc\\"));
        assertNull(SplitArgs.split("\"a\"b"));
        assertNull(SplitArgs.split("'a'b"));
        assertNull(SplitArgs.split("set \"k"));
    }

    @Test
    void nulEndsAnUnquotedWord() {
        byte[] line = {'a', 0, 'b'};
        byte[][] parts = SplitArgs.split(line, 0, line.length);
        assertEquals(2, parts.length);
        assertArrayEquals(new byte[] {'a'}, parts[0]);
        assertArrayEquals(new byte[] {'b'}, parts[1]);
    }

    @Test
    void honoursTheRange() {
        byte[] line = bytes("xx a b yy");
        byte[][] parts = SplitArgs.split(line, 2, 6);
        assertEquals(2, parts.length);
        assertArrayEquals(bytes("a"), parts[0]);
        assertArrayEquals(bytes("b"), parts[1]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
