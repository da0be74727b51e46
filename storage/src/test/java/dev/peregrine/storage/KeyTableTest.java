package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Object entry(String key, String value) {
        return StringEntry.create(b(key), b(value), Entry.NO_EXPIRE, 0);
    }

    private static String valueOf(Object e) {
        return e instanceof byte[] ? s(StringEntry.value((byte[]) e)) : ((TestObject) e).value;
    }

    @Test
    void conformsToHashMapThroughGrowthAndShrinking() {
        SplittableRandom r = new SplittableRandom(42);
        KeyTable t = new KeyTable();
        Map<String, String> model = new HashMap<>();
        boolean sawRehash = false;
        boolean sawShrink = false;
        int maxCapacity = 0;
        for (int round = 0; round < 6; round++) {
            int target = round % 2 == 0 ? 3000 + r.nextInt(3000) : r.nextInt(20);
            int keySpace = 8000;
            int ops = 0;
            while ((round % 2 == 0 ? model.size() < target : model.size() > target) && ops < 200_000) {
                ops++;
                String k = "k" + r.nextInt(keySpace);
                int op = r.nextInt(10);
                boolean growing = round % 2 == 0;
                if (op < (growing ? 6 : 2)) {
                    String v = "v" + r.nextInt();
                    Object e = r.nextBoolean() ? entry(k, v) : new TestObject(b(k), v);
                    Object old = t.put(b(k), KeyHash.hash(b(k)), e);
                    String prev = model.put(k, v);
                    assertEquals(prev, old == null ? null : valueOf(old));
                } else if (op < 8) {
                    if (!growing && !model.isEmpty() && r.nextBoolean()) {
                        k = model.keySet().iterator().next(); // drain, so the table really shrinks
                    }
                    Object old = t.remove(b(k));
                    String prev = model.remove(k);
                    assertEquals(prev, old == null ? null : valueOf(old));
                } else {
                    Object e = t.get(b(k));
                    assertEquals(model.get(k), e == null ? null : valueOf(e));
                    if (e != null) {
                        assertTrue(Entry.keyEquals(e, b(k)));
                    }
                }
                if (r.nextInt(50) == 0) {
                    t.rehashSlots(1 + r.nextInt(8));
                }
                int cap = t.capacity();
                if (t.rehashing()) {
                    sawRehash = true;
                    if (cap < maxCapacity) {
                        sawShrink = true;
                    }
                }
                maxCapacity = Math.max(maxCapacity, cap);
                assertEquals(model.size(), t.size());
            }
            checkAll(t, model);
        }
        assertTrue(sawRehash, "the test never saw an incremental rehash in progress");
        assertTrue(sawShrink, "the test never saw the table shrink");
    }

    private static void checkAll(KeyTable t, Map<String, String> model) {
        Map<String, String> seen = new HashMap<>();
        t.forEach(e -> assertNull(seen.put(s(Entry.key(e)), valueOf(e)), "forEach visited a key twice"));
        assertEquals(model, seen);
        for (Map.Entry<String, String> me : model.entrySet()) {
            Object e = t.get(b(me.getKey()));
            assertNotNull(e, me.getKey());
            assertEquals(me.getValue(), valueOf(e));
        }
    }

    @Test
    void clearResets() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 1000; i++) {
            t.put(b("k" + i), KeyHash.hash(b("k" + i)), entry("k" + i, "v"));
        }
        t.clear();
        assertEquals(0, t.size());
        assertEquals(KeyTable.MIN_CAPACITY, t.capacity());
        assertNull(t.get(b("k1")));
        assertEquals(0, t.scan(0, e -> { }));
    }

    @Test
    void scanReturnsEveryStableKeyWhileTheTableGrowsAndShrinks() {
        for (long seed = 1; seed <= 6; seed++) {
            scanUnderChurn(seed);
        }
    }

    private static void scanUnderChurn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        KeyTable t = new KeyTable();
        Set<String> stable = new HashSet<>();
        int stableCount = 50 + r.nextInt(2000);
        for (int i = 0; i < stableCount; i++) {
            String k = "stable:" + i;
            stable.add(k);
            t.put(b(k), KeyHash.hash(b(k)), entry(k, "x"));
        }
        // transient keys come and go in waves between SCAN calls, so the table grows and shrinks (and is often
        // in the middle of a rehash) while the scan proceeds
        java.util.ArrayList<String> transients = new java.util.ArrayList<>();
        int next = 0;
        boolean growing = r.nextBoolean();
        int peak = 2000 + r.nextInt(30000);
        Set<String> returned = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        int capacityChanges = 0;
        int lastCapacity = t.capacity();
        do {
            cursor = t.scan(cursor, e -> returned.add(s(Entry.key(e))));
            calls++;
            int batch = 1 + r.nextInt(200);
            for (int i = 0; i < batch; i++) {
                if (growing) {
                    String k = "t:" + next++;
                    transients.add(k);
                    t.put(b(k), KeyHash.hash(b(k)), entry(k, "y"));
                    if (transients.size() >= peak) {
                        growing = false;
                    }
                } else if (!transients.isEmpty()) {
                    String k = transients.remove(transients.size() - 1);
                    assertNotNull(t.remove(b(k)));
                } else {
                    growing = true;
                    peak = 2000 + r.nextInt(30000);
                }
            }
            if (r.nextInt(4) == 0) {
                t.rehashSlots(r.nextInt(64));
            }
            if (t.capacity() != lastCapacity) {
                capacityChanges++;
                lastCapacity = t.capacity();
            }
            assertTrue(calls < 10_000_000, "scan did not finish");
        } while (cursor != 0);
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(returned);
        assertEquals(Set.of(), missing, "seed " + seed + ": keys present for the whole scan were not returned");
        assertTrue(capacityChanges > 0, "the table never resized during the scan");
    }

    @Test
    void fullScanOfAQuietTableReturnsEachKeyOnce() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5000; i++) {
            t.put(b("k" + i), KeyHash.hash(b("k" + i)), entry("k" + i, "v"));
        }
        t.rehashFor(Long.MAX_VALUE / 2);
        Map<String, Integer> counts = new HashMap<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, e -> counts.merge(s(Entry.key(e)), 1, Integer::sum));
        } while (cursor != 0);
        assertEquals(5000, counts.size());
        assertTrue(counts.values().stream().allMatch(c -> c == 1));
    }

    @Test
    void randomEntryCoversTheTable() {
        KeyTable t = new KeyTable();
        SplittableRandom r = new SplittableRandom(3);
        assertNull(t.randomEntry(r));
        for (int i = 0; i < 50; i++) {
            t.put(b("k" + i), KeyHash.hash(b("k" + i)), entry("k" + i, "v"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            Object e = t.randomEntry(r);
            assertNotNull(e);
            seen.add(s(Entry.key(e)));
        }
        assertEquals(50, seen.size());
        // a sparse table during a shrink still finds its one key
        for (int i = 1; i < 50; i++) {
            t.remove(b("k" + i));
        }
        for (int i = 0; i < 100; i++) {
            Object e = t.randomEntry(r);
            assertNotNull(e);
            assertEquals("k0", s(Entry.key(e)));
        }
    }

    @Test
    void replaceKeepsOneSlot() {
        KeyTable t = new KeyTable();
        Object a = entry("k", "1");
        Object c = entry("k", "2");
        assertNull(t.put(b("k"), KeyHash.hash(b("k")), a));
        assertSame(a, t.put(b("k"), KeyHash.hash(b("k")), c));
        assertEquals(1, t.size());
        assertSame(c, t.get(b("k")));
    }
}
