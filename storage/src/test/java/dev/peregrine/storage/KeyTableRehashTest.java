package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Lookups, inserts and removals interleaved with an incremental rehash, including the step that finishes it. */
class KeyTableRehashTest {
    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void lookupBeforeEveryInsertAcrossRehashes() {
        KeyTable t = new KeyTable();
        for (int i = 0; i < 5000; i++) {
            byte[] k = key(i);
            assertNull(t.get(k));
            t.put(k, KeyHash.hash(k), StringEntry.create(k, k, Entry.NO_EXPIRE, 0));
        }
        assertEquals(5000, t.size());
        for (int i = 0; i < 5000; i++) {
            assertNotNull(t.get(key(i)), "key " + i);
        }
        for (int i = 0; i < 5000; i++) {
            assertNotNull(t.remove(key(i)), "key " + i);
            assertNull(t.get(key(i)));
        }
        assertEquals(0, t.size());
    }
}
