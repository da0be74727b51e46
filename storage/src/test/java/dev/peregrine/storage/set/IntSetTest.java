package dev.peregrine.storage.set;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntSetTest {
    @Test
    void widthUpgradesAndKeepsOrder() {
        IntSet s = new IntSet();
        s.add(5);
        s.add(-3);
        assertEquals(2, s.width());
        s.add(70000);
        assertEquals(4, s.width());
        s.add(-5_000_000_000L);
        assertEquals(8, s.width());
        assertEquals(-5_000_000_000L, s.get(0));
        assertEquals(-3, s.get(1));
        assertEquals(5, s.get(2));
        assertEquals(70000, s.get(3));
        assertTrue(s.contains(70000));
        assertFalse(s.add(5));
        assertTrue(s.remove(-3));
        assertFalse(s.remove(-3));
        assertFalse(s.contains(Long.MAX_VALUE));
        assertTrue(s.add(Long.MAX_VALUE));
        assertTrue(s.add(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, s.min());
        assertEquals(Long.MAX_VALUE, s.max());
    }

    @Test
    void matchesTreeSet() {
        Random rnd = new Random(5);
        IntSet s = new IntSet();
        TreeSet<Long> ref = new TreeSet<>();
        for (int i = 0; i < 50_000; i++) {
            long v = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextInt(200) - 100;
                case 1 -> rnd.nextInt(200_000) - 100_000;
                default -> rnd.nextLong() % 1000 * 10_000_000_000L;
            };
            if (rnd.nextInt(3) > 0) {
                assertEquals(ref.add(v), s.add(v));
            } else {
                assertEquals(ref.remove(v), s.remove(v));
            }
            assertEquals(ref.size(), s.size());
        }
        int i = 0;
        for (long v : ref) {
            assertEquals(v, s.get(i++));
        }
    }
}
