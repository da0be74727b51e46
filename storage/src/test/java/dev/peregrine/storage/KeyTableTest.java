package dev.peregrine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeyTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A lookup, insert or removal whose rehash step completes the rehash must still work (it used to NPE). */
    @Test
    void operationsSurviveTheStepThatFinishesARehash() {
        for (int n = 13; n < 200; n++) {
            KeyTable t = new KeyTable();
            for (int i = 0; i < n; i++) {
                byte[] k = b("k" + i);
                t.put(k, KeyHash.hash(k), StringEntry.create(k, b("v"), Entry.NO_EXPIRE, 0));
            }
            for (int i = 0; i < n; i++) {
                assertNotNull(t.get(b("k" + i)), "get k" + i + " of " + n);
            }
            for (int i = 0; i < n; i++) {
                assertNotNull(t.remove(b("k" + i)), "remove k" + i + " of " + n);
                assertNull(t.get(b("k" + i)));
            }
            assertEquals(0, t.size());
        }
    }
}
