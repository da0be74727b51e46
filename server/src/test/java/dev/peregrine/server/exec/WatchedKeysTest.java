package dev.peregrine.server.exec;

import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WATCH bookkeeping without a network: dirty marking, stale keys, flushes and swaps. */
class WatchedKeysTest {
    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Client client(long id) {
        return new Client(id, null, null, 0, true);
    }

    private static void set(Database db, String key, long expireAt) {
        db.put(k(key), StringEntry.create(k(key), k("v"), expireAt, 0));
    }

    @Test
    void touchMarksEveryWatcherDirtyAndDropsItsWatches() {
        WatchedKeys w = new WatchedKeys();
        Database db0 = new Database(0);
        Client a = client(1);
        Client b = client(2);
        w.watch(a, db0, k("x"), 0);
        w.watch(a, db0, k("y"), 0);
        w.watch(a, db0, k("x"), 0);
        w.watch(b, db0, k("x"), 0);
        assertEquals(2, w.watchedKeys());
        assertEquals(2, w.watchingClients());
        w.touch(new Database(1), k("x")); // another database: not the watched key
        assertFalse(a.dirtyCas());
        w.touch(db0, k("x"));
        assertTrue(a.dirtyCas());
        assertTrue(b.dirtyCas());
        assertNull(a.watched);
        assertTrue(w.isEmpty());
        assertEquals(0, w.watchingClients());
    }

    @Test
    void keyStaleWhenWatchedChangesOnlyWhenItGetsAValue() {
        WatchedKeys w = new WatchedKeys();
        Database db = new Database(0);
        Client a = client(1);
        set(db, "s", 100);
        w.watch(a, db, k("s"), 200); // its time passed already
        assertFalse(w.anyExpired(a, null, 300));
        db.remove(k("s"));
        w.touch(db, k("s")); // expired to deleted: no change
        assertFalse(a.dirtyCas());
        set(db, "s", Entry.NO_EXPIRE);
        w.touch(db, k("s"));
        assertTrue(a.dirtyCas());
    }

    @Test
    void flushTouchesOnlyKeysThatExist() {
        WatchedKeys w = new WatchedKeys();
        Database db = new Database(0);
        Client a = client(1);
        Client b = client(2);
        set(db, "here", Entry.NO_EXPIRE);
        w.watch(a, db, k("here"), 0);
        w.watch(b, db, k("absent"), 0);
        w.touchAllInDb(db, null, 0);
        assertTrue(a.dirtyCas());
        assertFalse(b.dirtyCas());
    }

    @Test
    void swapTouchesKeysExistingInEitherDatabase() {
        WatchedKeys w = new WatchedKeys();
        Database db0 = new Database(0);
        Database db1 = new Database(1);
        Client a = client(1);
        Client b = client(2);
        set(db1, "other", Entry.NO_EXPIRE);
        w.watch(a, db0, k("other"), 0);
        w.watch(b, db0, k("none"), 0);
        w.touchAllInDb(db0, db1, 0);
        w.touchAllInDb(db1, db0, 0);
        assertTrue(a.dirtyCas());
        assertFalse(b.dirtyCas());
    }
}
