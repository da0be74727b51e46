package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobMatcherTest {
    /** The keys the expected sets below were taken from, with KEYS on a real Redis. */
    private static final String[] KEYS = {"a", "b", "ab", "abc", "[", "\\", "a]", "-", "A", "x-", "aXb", "]", "^",
        "hello", "hallo", "hllo", "heeeello", "*", "?"};

    private static boolean m(String pattern, String s) {
        return GlobMatcher.matches(pattern.getBytes(StandardCharsets.ISO_8859_1),
                s.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static boolean mi(String pattern, String s) {
        return GlobMatcher.matches(pattern.getBytes(StandardCharsets.ISO_8859_1),
                s.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    private static Set<String> keys(String pattern) {
        Set<String> out = new TreeSet<>();
        for (String k : KEYS) {
            if (m(pattern, k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static Set<String> set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    @Test
    void basics() {
        // as in Redis, only the empty pattern matches the empty string (KEYS * and SCAN special-case "*")
        assertFalse(m("*", ""));
        assertFalse(m("**", ""));
        assertTrue(m("*", "anything"));
        assertTrue(m("", ""));
        assertFalse(m("", "a"));
        assertFalse(m("?", ""));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h*llo", "hllo"));
        assertTrue(m("h*llo", "heeeello"));
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("a*", "a"));
        assertTrue(m("a**", "a"));
        assertTrue(m("a*b*c", "aXXbYYc"));
        assertFalse(m("a*b*c", "aXXbYY"));
        assertTrue(m("user:*:name", "user:42:name"));
    }

    @Test
    void edgeCasesAsRedisAnswersThem() {
        assertEquals(set(), keys("["));
        assertEquals(set("a"), keys("[a"));
        assertEquals(set("\\", "-", "b", "A", "?", "a", "*", "[", "]", "^"), keys("[^"));
        assertEquals(set("\\", "-", "b", "A", "?", "*", "[", "]", "^"), keys("[^a"));
        assertEquals(set("\\"), keys("\\"));
        assertEquals(set(), keys("a\\"));
        // "a-]" is the range a..] (reversed), the set itself left unterminated
        assertEquals(set("a", "]", "^"), keys("[a-]"));
        assertEquals(set("-", "a"), keys("[-a]"));
        assertEquals(set("a", "b"), keys("[z-a]"));
        assertEquals(set("]"), keys("[\\]]"));
        assertEquals(set(), keys("[]"));
        assertEquals(set(), keys("[]]"));
        assertEquals(set(), keys("a["));
        assertEquals(set(), keys("*["));
        assertEquals(set("-", "a"), keys("[a-"));
        assertEquals(set("\\", "-", "b", "A", "?", "a", "*", "[", "]", "^"), keys("[^]"));
        assertEquals(set("*"), keys("\\*"));
        assertEquals(set("?"), keys("\\?"));
        assertEquals(set("A"), keys("[A-Z]"));
        assertEquals(set("\\", "a"), keys("[a\\"));
        assertEquals(set("ab", "aXb"), keys("a*b"));
    }

    @Test
    void nocase() {
        assertTrue(mi("HELLO", "hello"));
        assertTrue(mi("h[A-C]llo", "hbllo"));
        assertTrue(mi("h[a-c]llo", "hBllo"));
        assertTrue(mi("[^A]", "b"));
        assertFalse(mi("[^A]", "a"));
        assertFalse(m("HELLO", "hello"));
        // an escaped byte inside a set compares exactly even with nocase, as Redis does
        assertFalse(mi("[\\A]", "a"));
        assertTrue(mi("\\A", "a"));
    }

    @Test
    void highBytesCompareSigned() {
        byte[] s = {(byte) 0xe9};
        // 0xe9 is negative as a signed char, so it is below 'a' and inside [\x80-z]
        assertFalse(GlobMatcher.matches("[a-z]".getBytes(StandardCharsets.ISO_8859_1), s, false));
        assertTrue(GlobMatcher.matches(new byte[] {'[', (byte) 0x80, '-', 'z', ']'}, s, false));
        assertTrue(GlobMatcher.matches(new byte[] {'?'}, s, false));
    }

    @Test
    void slicesOfArrays() {
        byte[] p = "xx*yy".getBytes(StandardCharsets.ISO_8859_1);
        byte[] s = "--abcyy--".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(GlobMatcher.matches(p, 2, 3, s, 2, 5, false));
        assertFalse(GlobMatcher.matches(p, 2, 3, s, 2, 4, false));
    }

    @Test
    void abusivePatternsFinish() {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            p.append("*a");
        }
        p.append("*b");
        String subject = "a".repeat(5000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> assertFalse(m(p.toString(), subject)));
        // very deep nesting fails rather than overflowing the stack
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            deep.append("a*");
        }
        String s2 = "a".repeat(3000);
        assertFalse(m(deep.toString(), s2));
        assertTrue(m("a*".repeat(900), "a".repeat(900)));
    }

    @Test
    void randomPatternsAgreeWithRegexTranslation() {
        // for non-empty subjects and patterns of only literals, '?' and '*' the meaning is unambiguous: compare with java.util.regex
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        char[] alphabet = {'a', 'b', '*', '?'};
        for (int n = 0; n < 20000; n++) {
            StringBuilder p = new StringBuilder();
            StringBuilder regex = new StringBuilder();
            int len = r.nextInt(7);
            for (int i = 0; i < len; i++) {
                char ch = alphabet[r.nextInt(alphabet.length)];
                p.append(ch);
                regex.append(ch == '*' ? ".*" : ch == '?' ? "." : String.valueOf(ch));
            }
            StringBuilder s = new StringBuilder();
            int sl = 1 + r.nextInt(6);
            for (int i = 0; i < sl; i++) {
                s.append(r.nextBoolean() ? 'a' : 'b');
            }
            assertEquals(s.toString().matches(regex.toString()), m(p.toString(), s.toString()),
                    () -> p + " vs " + s);
        }
    }
}
