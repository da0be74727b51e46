package dev.peregrine.server.exec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class parsing and the publish mask of {@link KeyspaceEvents}, without a server. */
class KeyspaceEventsTest {
    @Test
    void parsesClassesAsRedis() {
        assertEquals(KeyspaceEvents.ALL | KeyspaceEvents.KEYSPACE | KeyspaceEvents.KEYEVENT,
                KeyspaceEvents.parse("KEA"));
        assertEquals(KeyspaceEvents.NEW | KeyspaceEvents.KEY_MISS | KeyspaceEvents.ALL,
                KeyspaceEvents.parse("Amn"));
        assertEquals(0, KeyspaceEvents.parse(""));
        assertEquals(-1, KeyspaceEvents.parse("Kq"));
        assertEquals(KeyspaceEvents.GENERIC | KeyspaceEvents.STRING | KeyspaceEvents.LIST | KeyspaceEvents.SET
                | KeyspaceEvents.HASH | KeyspaceEvents.ZSET | KeyspaceEvents.EXPIRED | KeyspaceEvents.EVICTED
                | KeyspaceEvents.STREAM | KeyspaceEvents.MODULE, KeyspaceEvents.parse("g$lshzxetd"));
    }

    @Test
    void publishesOnlyWithKeyspaceOrKeyevent() {
        KeyspaceEvents e = new KeyspaceEvents(null);
        e.configure("g$");
        assertFalse(e.enabled(KeyspaceEvents.GENERIC), "no K nor E: nothing is published");
        e.configure("Kg");
        assertTrue(e.enabled(KeyspaceEvents.GENERIC));
        assertFalse(e.enabled(KeyspaceEvents.STRING));
        e.configure("EA");
        assertTrue(e.enabled(KeyspaceEvents.EXPIRED));
        assertFalse(e.enabled(KeyspaceEvents.NEW), "A leaves out n");
        assertFalse(e.enabled(KeyspaceEvents.KEY_MISS), "A leaves out m");
        e.configure("");
        assertFalse(e.enabled(KeyspaceEvents.GENERIC));
    }
}
