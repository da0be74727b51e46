package dev.peregrine.storage.set;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetValueTest {
    private static final SetLimits L = SetLimits.DEFAULTS;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static SetValue withMembers(String... members) {
        SetValue v = SetValue.create(b("k"), b(members[0]), members.length, L);
        for (String m : members) {
            v.add(b(m), L);
        }
        return v;
    }

    @Test
    void createPicksEncodingFromFirstMemberAndHint() {
        assertEquals("intset", SetValue.create(b("k"), b("12"), 1, L).encoding());
        assertEquals("listpack", SetValue.create(b("k"), b("x"), 1, L).encoding());
        assertEquals("hashtable", SetValue.create(b("k"), b("12"), 513, L).encoding());
        assertEquals("hashtable", SetValue.create(b("k"), b("12"), 129 + 512, L).encoding());
        assertEquals("hashtable", SetValue.create(b("k"), b("x"), 129, L).encoding());
        assertEquals("listpack", SetValue.create(b("k"), b("012"), 1, L).encoding());
    }

    @Test
    void intsetGrowsIntoHashtable() {
        SetValue v = withMembers("0");
        for (int i = 1; i < 512; i++) {
            v.add(b(Integer.toString(i)), L);
        }
        assertEquals("intset", v.encoding());
        v.add(b("512"), L);
        assertEquals("hashtable", v.encoding());
    }

    @Test
    void intsetGainingStringBecomesListpackOrHashtable() {
        SetValue v = withMembers("1", "2");
        v.add(b("x"), L);
        assertEquals("listpack", v.encoding());

        SetValue big = withMembers("0");
        for (int i = 1; i < 128; i++) {
            big.add(b(Integer.toString(i)), L);
        }
        assertEquals(128, big.size());
        big.add(b("x"), L);
        assertEquals("hashtable", big.encoding());

        SetValue small = withMembers("1");
        small.add(b("y".repeat(65)), L);
        assertEquals("hashtable", small.encoding());

        SetValue narrow = withMembers("1234567890");
        narrow.add(b("a"), new SetLimits(512, 128, 5));
        assertEquals("hashtable", narrow.encoding());
    }

    @Test
    void listpackLimits() {
        SetValue v = withMembers("a");
        for (int i = 1; i < 128; i++) {
            v.add(b("a" + i), L);
        }
        assertEquals("listpack", v.encoding());
        v.add(b("a0"), L);
        assertEquals("hashtable", v.encoding());
        SetValue w = withMembers("a");
        w.add(b("q".repeat(64)), L);
        assertEquals("listpack", w.encoding());
        w.add(b("q".repeat(65)), L);
        assertEquals("hashtable", w.encoding());
    }

    @Test
    void maybeConvertUsesArgumentCount() {
        SetValue v = withMembers("1");
        v.maybeConvert(513, L);
        assertEquals("hashtable", v.encoding());
        SetValue w = withMembers("a");
        w.maybeConvert(129, L);
        assertEquals("hashtable", w.encoding());
    }

    @Test
    void matchesHashSetAcrossConversions() {
        Random rnd = new Random(23);
        for (int round = 0; round < 30; round++) {
            SetLimits limits = new SetLimits(1 + rnd.nextInt(60), 1 + rnd.nextInt(40), 1 + rnd.nextInt(10));
            boolean strings = rnd.nextInt(3) == 0;
            SetValue v = SetValue.createIntset(b("k"));
            Set<String> ref = new HashSet<>();
            SplittableRandom sr = new SplittableRandom(round);
            for (int op = 0; op < 2000; op++) {
                String m = strings && rnd.nextInt(20) == 0 ? "s" + rnd.nextInt(30) : Integer.toString(rnd.nextInt(90) - 10);
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> assertEquals(ref.add(m), v.add(b(m), limits));
                    case 2 -> assertEquals(ref.remove(m), v.remove(b(m)));
                    default -> {
                        if (rnd.nextInt(10) == 0 && !ref.isEmpty()) {
                            String p = s(v.popRandom(sr));
                            assertTrue(ref.remove(p));
                        } else {
                            assertEquals(ref.contains(m), v.contains(b(m)));
                        }
                    }
                }
                assertEquals(ref.size(), v.size());
            }
            Set<String> seen = new HashSet<>();
            v.forEach(m -> seen.add(s(m)));
            assertEquals(ref, seen);
            Set<String> copied = new HashSet<>();
            v.copyAs(b("o")).forEach(m -> copied.add(s(m)));
            assertEquals(ref, copied);
        }
    }

    @Test
    void popManyRebuildsSmallRemainderLikeRedis() {
        SetValue v = withMembers("a");
        for (int i = 0; i < 300; i++) {
            v.add(b("m" + i), L);
        }
        assertEquals("hashtable", v.encoding());
        Set<String> popped = new HashSet<>();
        v.popMany(291, new SplittableRandom(1), L, m -> assertTrue(popped.add(s(m))));
        assertEquals(291, popped.size());
        assertEquals(10, v.size());
        assertEquals("listpack", v.encoding());
        Set<String> rest = new HashSet<>();
        v.forEach(m -> rest.add(s(m)));
        rest.retainAll(popped);
        assertTrue(rest.isEmpty());

        SetValue ints = withMembers("0");
        for (int i = 0; i < 600; i++) {
            ints.add(b(Integer.toString(i)), L);
        }
        assertEquals("hashtable", ints.encoding());
        ints.popMany(595, new SplittableRandom(2), L, m -> { });
        // drawn from a hashtable, the remainder starts as a listpack even when all integers (as Redis)
        assertEquals("listpack", ints.encoding());
        assertEquals(5, ints.size());

        SetValue few = withMembers("0");
        for (int i = 0; i < 600; i++) {
            few.add(b(Integer.toString(i)), L);
        }
        few.popMany(10, new SplittableRandom(2), L, m -> { });
        assertEquals("hashtable", few.encoding());
        assertEquals(590, few.size());
    }

    @Test
    void popManyOfIntsetStaysIntset() {
        SetValue ints = withMembers("0");
        for (int i = 0; i < 100; i++) {
            ints.add(b(Integer.toString(i)), L);
        }
        ints.popMany(95, new SplittableRandom(2), L, m -> { });
        assertEquals("intset", ints.encoding());
        assertEquals(5, ints.size());
    }

    @Test
    void randomMembers() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : new int[] {5, 100, 1000}) {
            SetValue v = withMembers("x0");
            for (int i = 1; i < n; i++) {
                v.add(b("x" + i), L);
            }
            for (long count : new long[] {1, 2, n / 3, n - 1, n, n * 2L}) {
                Set<String> got = new HashSet<>();
                int[] calls = {0};
                v.randomMembers(count, true, r, m -> {
                    calls[0]++;
                    assertTrue(got.add(s(m)));
                });
                assertEquals(Math.min(count, n), calls[0]);
            }
            int[] calls = {0};
            v.randomMembers(7, false, r, m -> calls[0]++);
            assertEquals(7, calls[0]);
        }
    }

    @Test
    void convertToIntsetForIntegerResults() {
        SetValue v = SetValue.createListpack(b("k"));
        for (int i = 0; i < 200; i++) {
            v.add(b(Integer.toString(i)), L);
        }
        assertEquals("hashtable", v.encoding());
        v.maybeConvertToIntset(L);
        assertEquals("intset", v.encoding());
        assertEquals(200, v.size());
        assertTrue(v.contains(b("199")));
    }
}
