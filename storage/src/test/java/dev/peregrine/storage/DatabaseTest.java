package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {
    private static final long NOW = 1_700_000_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] str(String key, String value, long expireAt) {
        return StringEntry.create(b(key), b(value), expireAt, 0);
    }

    @Test
    void setExpireMaintainsTheVolatileSet() {
        Database db = new Database(0);
        db.put(b("a"), str("a", "1", Entry.NO_EXPIRE));
        db.put(b("o"), new TestObject(b("o"), "x"));
        assertEquals(0, db.volatileCount());
        assertTrue(db.setExpire(b("a"), NOW + 1000));
        assertTrue(db.setExpire(b("o"), NOW + 1000));
        assertFalse(db.setExpire(b("missing"), NOW + 1000));
        assertEquals(2, db.volatileCount());
        assertEquals(NOW + 1000, Entry.expireAt(db.peek(b("a"))));
        assertEquals("1", s(StringEntry.value((byte[]) db.peek(b("a")))));
        // changing an expiry again does not count the key twice
        assertTrue(db.setExpire(b("a"), NOW + 2000));
        assertEquals(2, db.volatileCount());
        assertTrue(db.setExpire(b("a"), Entry.NO_EXPIRE));
        assertEquals(1, db.volatileCount());
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(db.peek(b("a"))));
        // overwriting a volatile key with a persistent entry drops it from the set; removal too
        db.put(b("o"), new TestObject(b("o"), "y"));
        assertEquals(0, db.volatileCount());
        db.put(b("v"), str("v", "1", NOW + 5));
        assertEquals(1, db.volatileCount());
        db.remove(b("v"));
        assertEquals(0, db.volatileCount());
    }

    @Test
    void activeExpireDeletesOnlyKeysWhoseTimePassed() {
        Database db = new Database(0);
        List<String> expired = new ArrayList<>();
        db.expiryListener((d, key, e) -> expired.add(s(key)));
        for (int i = 0; i < 300; i++) {
            db.put(b("dead" + i), str("dead" + i, "v", NOW - 1));
            db.put(b("live" + i), str("live" + i, "v", NOW + 60_000));
            db.put(b("plain" + i), str("plain" + i, "v", Entry.NO_EXPIRE));
        }
        db.put(b("objdead"), new TestObject(b("objdead"), "x"));
        db.setExpire(b("objdead"), NOW);
        assertEquals(601, db.volatileCount());
        int rounds = 0;
        while (db.volatileCount() > 300 && rounds++ < 100_000) {
            db.activeExpire(NOW, Database.EXPIRE_SAMPLE);
        }
        assertEquals(300, db.volatileCount());
        assertEquals(600, db.size());
        assertEquals(301, expired.size());
        assertTrue(expired.contains("objdead"));
        assertTrue(expired.stream().allMatch(k -> k.startsWith("dead") || k.equals("objdead")));
        assertEquals(0, db.activeExpire(NOW, Database.EXPIRE_SAMPLE));
        assertTrue(db.averageTtl() > 0);
    }

    @Test
    void lookupExpiresLazily() {
        Database db = new Database(3);
        List<String> expired = new ArrayList<>();
        db.expiryListener((d, key, e) -> {
            assertEquals(3, d.id());
            expired.add(s(key));
        });
        db.put(b("k"), str("k", "v", NOW + 10));
        assertNotNull(db.lookup(b("k"), NOW + 9));
        assertNull(db.lookup(b("k"), NOW + 10));
        assertEquals(List.of("k"), expired);
        assertEquals(0, db.size());
        assertEquals(0, db.volatileCount());

        // a replica keeps the key until told to delete it
        db.expireOnAccess(false);
        db.put(b("r"), str("r", "v", NOW));
        assertNull(db.lookup(b("r"), NOW + 1));
        assertEquals(1, db.size());
        assertNotNull(db.peek(b("r")));
        assertEquals(List.of("k"), expired);
        // while its primary's commands run, such a key reads as present
        db.expiredVisible(true);
        assertNotNull(db.lookup(b("r"), NOW + 1));
        db.expiredVisible(false);
        assertNull(db.lookup(b("r"), NOW + 1));
        assertEquals(List.of("k"), expired);
    }

    @Test
    void swapExchangesContentsButNotIds() {
        Database a = new Database(0);
        Database c = new Database(1);
        a.put(b("x"), str("x", "in-a", NOW + 100));
        c.put(b("y"), str("y", "in-c", Entry.NO_EXPIRE));
        c.put(b("z"), str("z", "in-c", Entry.NO_EXPIRE));
        Database.swap(a, c);
        assertEquals(0, a.id());
        assertEquals(2, a.size());
        assertEquals(1, c.size());
        assertNull(a.peek(b("x")));
        assertEquals("in-a", s(StringEntry.value((byte[]) c.peek(b("x")))));
        assertEquals(1, c.volatileCount());
        assertEquals(0, a.volatileCount());
        // the active expire cycle of the new home finds the swapped volatile key
        assertEquals(1, c.activeExpire(NOW + 100, Database.EXPIRE_SAMPLE));
        assertEquals(0, c.size());
    }

    @Test
    void rekeyMovesAnObjectBetweenDatabases() {
        Database a = new Database(0);
        Database c = new Database(1);
        TestObject o = new TestObject(b("src"), "val");
        a.put(b("src"), o);
        a.setExpire(b("src"), NOW + 500);
        Object e = a.remove(b("src"));
        assertSame(o, e);
        assertEquals(0, a.volatileCount());
        ObjectEntry moved = Database.rekey((ObjectEntry) e, b("dst"));
        c.put(b("dst"), moved);
        assertArrayEquals(b("dst"), Entry.key(c.peek(b("dst"))));
        assertEquals(NOW + 500, Entry.expireAt(c.peek(b("dst"))));
        assertEquals(1, c.volatileCount());
    }

    @Test
    void randomEntryAndClear() {
        Database db = new Database(0);
        assertNull(db.randomEntry());
        for (int i = 0; i < 20; i++) {
            db.put(b("k" + i), str("k" + i, "v", i % 2 == 0 ? NOW + 1000 : Entry.NO_EXPIRE));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            seen.add(s(Entry.key(db.randomEntry())));
        }
        assertEquals(20, seen.size());
        db.clear();
        assertEquals(0, db.size());
        assertEquals(0, db.volatileCount());
        assertNull(db.randomEntry());
    }

    @Test
    void writeBarrierSeesOldEntriesBeforeTheyChange() {
        Database db = new Database(0);
        List<Object> seen = new ArrayList<>();
        db.put(b("k"), str("k", "1", Entry.NO_EXPIRE));
        Object first = db.peek(b("k"));
        db.writeBarrier((d, e) -> seen.add(e));
        db.put(b("k"), str("k", "2", Entry.NO_EXPIRE));
        assertSame(first, seen.get(0));
        Object second = db.peek(b("k"));
        db.setExpire(b("k"), NOW + 10);
        assertSame(second, seen.get(1));
        Object third = db.peek(b("k"));
        db.remove(b("k"));
        assertSame(third, seen.get(2));
        assertNull(db.remove(b("k")));
        assertEquals(3, seen.size());
    }
}
