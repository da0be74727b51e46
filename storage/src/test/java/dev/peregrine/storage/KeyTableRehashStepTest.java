package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Lookups, inserts and removals whose own rehash step completes the rehash must still find the key. */
class KeyTableRehashStepTest {
    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static KeyTable filledPastFirstGrowth(int n) {
        KeyTable t = new KeyTable();
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            t.put(k, KeyHash.hash(k), StringEntry.create(k, k, Entry.NO_EXPIRE, 0));
        }
        return t;
    }

    @Test
    void getWhoseStepFinishesTheRehash() {
        KeyTable t = filledPastFirstGrowth(13);
        assertNotNull(t.get(key(0)));
        for (int i = 0; i < 13; i++) {
            assertNotNull(t.get(key(i)), "key " + i);
        }
        assertNull(t.get(key(99)));
    }

    @Test
    void putWhoseStepFinishesTheRehash() {
        KeyTable t = filledPastFirstGrowth(13);
        byte[] k = key(0);
        assertNotNull(t.put(k, KeyHash.hash(k), StringEntry.create(k, k, Entry.NO_EXPIRE, 0)));
        assertEquals(13, t.size());
    }

    @Test
    void removeWhoseStepFinishesTheRehash() {
        KeyTable t = filledPastFirstGrowth(13);
        assertNotNull(t.remove(key(5)));
        assertEquals(12, t.size());
        assertNull(t.get(key(5)));
    }
}
