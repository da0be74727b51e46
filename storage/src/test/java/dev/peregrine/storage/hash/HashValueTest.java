package dev.peregrine.storage.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static final HashLimits L = HashLimits.DEFAULTS;

    @Test
    void convertsWhenEntriesExceedLimit() {
        HashValue h = HashValue.create(b("k"));
        for (int i = 0; i < 128; i++) {
            h.set(b("f" + i), b("v"), L);
        }
        assertEquals("listpack", h.encoding());
        h.set(b("f0"), b("again"), L);
        assertEquals("listpack", h.encoding());
        h.set(b("f128"), b("v"), L);
        assertEquals("hashtable", h.encoding());
        for (int i = 0; i < 129; i++) {
            h.delete(b("f" + i));
        }
        assertEquals(0, h.size());
        assertEquals("hashtable", h.encoding());
    }

    @Test
    void convertsOnLongFieldOrValue() {
        HashValue h = HashValue.create(b("k"));
        h.set(b("f"), b("x".repeat(64)), L);
        assertEquals("listpack", h.encoding());
        h.set(b("g"), b("x".repeat(65)), L);
        assertEquals("hashtable", h.encoding());
        assertEquals(65, h.valueLength(b("g")));
        HashValue h2 = HashValue.create(b("k"));
        h2.set(b("y".repeat(65)), b("1"), L);
        assertEquals("hashtable", h2.encoding());
    }

    @Test
    void prepareWriteConvertsForManyPairsOrLongArguments() {
        HashValue h = HashValue.create(b("k"));
        byte[][] argv = new byte[2 + 2 * 129][];
        for (int i = 2; i < argv.length; i++) {
            argv[i] = b("same");
        }
        h.prepareWrite(argv, 2, argv.length - 1, L);
        assertEquals("hashtable", h.encoding());
        HashValue h2 = HashValue.create(b("k"));
        h2.prepareWrite(new byte[][] {b("hset"), b("k"), b("f"), b("z".repeat(65))}, 2, 3, L);
        assertEquals("hashtable", h2.encoding());
        HashValue h3 = HashValue.create(b("k"));
        h3.prepareWrite(new byte[][] {b("hset"), b("k"), b("f"), b("z".repeat(64))}, 2, 3, L);
        assertEquals("listpack", h3.encoding());
    }

    @Test
    void matchesHashMapAcrossConversions() {
        Random rnd = new Random(17);
        for (int round = 0; round < 20; round++) {
            HashLimits limits = new HashLimits(1 + rnd.nextInt(40), 1 + rnd.nextInt(20));
            HashValue h = HashValue.create(b("k"));
            Map<String, String> ref = new HashMap<>();
            for (int op = 0; op < 3000; op++) {
                String f = "f" + rnd.nextInt(80);
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        String v = "v".repeat(rnd.nextInt(limits.maxListpackValue() > 10 ? 12 : 3));
                        assertEquals(!ref.containsKey(f), h.set(b(f), b(v), limits));
                        ref.put(f, v);
                    }
                    case 1 -> assertEquals(ref.remove(f) != null, h.delete(b(f)));
                    default -> {
                        byte[] got = h.get(b(f));
                        assertEquals(ref.get(f), got == null ? null : s(got));
                    }
                }
                assertEquals(ref.size(), h.size());
                if (h.isListpack()) {
                    assertTrue(h.size() <= limits.maxListpackEntries());
                }
            }
            Map<String, String> seen = new HashMap<>();
            h.forEach((f, v) -> seen.put(s(f), s(v)));
            assertEquals(ref, seen);
            HashValue copy = h.copyAs(b("other"));
            Map<String, String> copied = new HashMap<>();
            copy.forEach((f, v) -> copied.put(s(f), s(v)));
            assertEquals(ref, copied);
            assertEquals(h.encoding(), copy.encoding());
        }
    }

    @Test
    void randomFieldsUniqueAndRepeating() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : new int[] {10, 300}) {
            HashValue h = HashValue.create(b("k"));
            for (int i = 0; i < n; i++) {
                h.set(b("f" + i), b("v" + i), L);
            }
            for (long count : new long[] {1, 3, n / 2, n - 1, n, n + 5}) {
                Set<String> got = new HashSet<>();
                int[] calls = {0};
                h.randomFields(count, true, r, (f, v) -> {
                    calls[0]++;
                    assertEquals("v" + s(f).substring(1), s(v));
                    assertTrue(got.add(s(f)));
                });
                assertEquals(Math.min(count, n), calls[0]);
            }
            int[] calls = {0};
            h.randomFields(n * 3L, false, r, (f, v) -> calls[0]++);
            assertEquals(n * 3, calls[0]);
        }
    }

    @Test
    void scanOfListpackIsWholeAndHashtableCompletes() {
        HashValue h = HashValue.create(b("k"));
        h.set(b("a"), b("1"), L);
        int[] n = {0};
        assertEquals(0, h.scan(0, (f, v) -> n[0]++));
        assertEquals(1, n[0]);
        for (int i = 0; i < 1000; i++) {
            h.set(b("f" + i), b("v"), L);
        }
        Set<String> seen = new HashSet<>();
        long c = 0;
        do {
            c = h.scan(c, (f, v) -> seen.add(s(f)));
        } while (c != 0);
        assertEquals(1001, seen.size());
        assertFalse(h.isListpack());
    }
}
