package dev.peregrine.storage;

import dev.peregrine.storage.hash.BytesHashMap;
import dev.peregrine.storage.set.BytesHashSet;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void mapMatchesHashMapUnderRandomOps() {
        Random rnd = new Random(42);
        BytesHashMap map = new BytesHashMap(0);
        Map<String, String> ref = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            // key space grows then shrinks, to exercise growth and shrink rehashes
            int space = op < 100_000 ? 1 + op / 20 : 1 + (200_000 - op) / 20;
            String k = "k" + rnd.nextInt(space);
            switch (rnd.nextInt(4)) {
                case 0, 1 -> {
                    String v = "v" + op;
                    assertEquals(!ref.containsKey(k), map.put(b(k), b(v)));
                    ref.put(k, v);
                }
                case 2 -> assertEquals(ref.remove(k) != null, map.remove(b(k)));
                default -> {
                    String v = ref.get(k);
                    byte[] got = map.get(b(k));
                    assertEquals(v, got == null ? null : s(got));
                    assertEquals(v != null, map.containsKey(b(k)));
                }
            }
            assertEquals(ref.size(), map.size());
        }
        Map<String, String> seen = new HashMap<>();
        map.forEach((k, v) -> assertEquals(null, seen.put(s(k), s(v))));
        assertEquals(ref, seen);
    }

    @Test
    void setMatchesHashSetAndSamples() {
        Random rnd = new Random(7);
        BytesHashSet set = new BytesHashSet(0);
        Set<String> ref = new HashSet<>();
        SplittableRandom sr = new SplittableRandom(1);
        for (int op = 0; op < 100_000; op++) {
            String k = "m" + rnd.nextInt(3000);
            if (rnd.nextBoolean()) {
                assertEquals(ref.add(k), set.add(b(k)));
            } else {
                assertEquals(ref.remove(k), set.remove(b(k)));
            }
            if (!ref.isEmpty() && op % 100 == 0) {
                byte[] r = set.randomKey(sr);
                assertNotNull(r);
                assertTrue(ref.contains(s(r)));
            }
        }
        assertEquals(ref.size(), set.size());
        for (String k : ref) {
            assertTrue(set.contains(b(k)));
        }
    }

    @Test
    void randomKeyReachesEveryKey() {
        BytesHashSet set = new BytesHashSet(0);
        for (int i = 0; i < 50; i++) {
            set.add(b("x" + i));
        }
        Set<String> hit = new HashSet<>();
        SplittableRandom sr = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            hit.add(s(set.randomKey(sr)));
        }
        assertEquals(50, hit.size());
    }

    /** Every key present for the whole scan is returned at least once, though the table grows and shrinks. */
    @Test
    void scanReturnsEveryStableKeyDespiteResizes() {
        Random rnd = new Random(11);
        for (int round = 0; round < 30; round++) {
            BytesHashSet set = new BytesHashSet(0);
            Set<String> stable = new HashSet<>();
            int n = 10 + rnd.nextInt(2000);
            for (int i = 0; i < n; i++) {
                set.add(b("s" + i));
                stable.add("s" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int extra = 0;
            int steps = 0;
            boolean grow = rnd.nextBoolean();
            do {
                cursor = set.scan(cursor, (k, v) -> seen.add(s(k)));
                // churn keys that are not part of the stable set: grow or shrink the table mid-scan
                for (int j = 0; j < 40; j++) {
                    if (grow && steps < 12) {
                        set.add(b("e" + extra++));
                    } else if (extra > 0) {
                        set.remove(b("e" + --extra));
                    }
                }
                if (steps++ == 5) {
                    grow = !grow;
                }
                if (!grow && rnd.nextInt(4) == 0) {
                    // remove extras and some stable keys, which then leave the expectation
                    String victim = "s" + rnd.nextInt(n);
                    if (stable.remove(victim)) {
                        set.remove(b(victim));
                    }
                }
            } while (cursor != 0);
            for (String k : stable) {
                assertTrue(seen.contains(k), "scan missed " + k + " in round " + round);
            }
        }
    }

    @Test
    void emptyScanEndsAtOnce() {
        BytesHashMap map = new BytesHashMap(0);
        assertEquals(0, map.scan(0, (k, v) -> { }));
        map.put(b("a"), b("1"));
        map.remove(b("a"));
        assertFalse(map.containsKey(b("a")));
        assertEquals(0, map.scan(0, (k, v) -> { }));
    }

    @Test
    void packedSeqOperations() {
        PackedSeq seq = new PackedSeq();
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'z');
        seq.append(b("a"));
        seq.append(big);
        seq.append(b("ccc"));
        assertEquals(3, seq.count());
        int off = seq.find(b("ccc"), 1);
        assertTrue(off > 0);
        assertEquals(-1, seq.find(big, 2));
        assertEquals(off, seq.find(b("ccc"), 2));
        assertEquals(300, seq.length(seq.next(0)));
        seq.replace(seq.next(0), b("bb"));
        assertEquals("bb", s(seq.get(seq.next(0))));
        seq.replace(0, big);
        assertEquals(300, seq.length(0));
        assertEquals("ccc", s(seq.get(seq.offsetOf(2))));
        seq.remove(0, 2);
        assertEquals(1, seq.count());
        assertEquals("ccc", s(seq.get(0)));
        assertEquals(seq.end(), seq.next(0));
    }
}
