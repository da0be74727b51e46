package dev.peregrine.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterimGlobTest {
    private static boolean m(String p, String s) {
        return InterimGlob.matches(p.getBytes(StandardCharsets.ISO_8859_1), s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void redisGlobSemantics() {
        assertTrue(m("*", ""));
        assertTrue(m("f*", "foo"));
        assertFalse(m("f*", "bar"));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hallo"));
        assertTrue(m("a\\*b", "a*b"));
        assertFalse(m("a\\*b", "axb"));
        assertTrue(m("*a*b*", "xxaxxbxx"));
        assertFalse(m("*a*b*", "xxbxxaxx"));
        assertFalse(m("abc", "ABC"));
    }
}
