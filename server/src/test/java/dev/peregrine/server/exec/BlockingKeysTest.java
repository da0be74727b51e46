package dev.peregrine.server.exec;

import dev.peregrine.storage.ValueType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bookkeeping of blocked clients, without a network: FIFO per key, ready keys, time-outs. */
class BlockingKeysTest {
    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Client client(long id) {
        return new Client(id, null, null, 0, true);
    }

    @Test
    void waitersPerKeyInBlockingOrderAndUnblockRemovesFromEveryKey() {
        BlockingKeys b = new BlockingKeys();
        Client c1 = client(1);
        Client c2 = client(2);
        Client c3 = client(3);
        b.block(c1, 0, new byte[][] {k("x"), k("y"), k("x")}, 0, ValueType.LIST);
        b.block(c2, 0, new byte[][] {k("y")}, 0, ValueType.LIST);
        b.block(c3, 1, new byte[][] {k("x")}, 0, ValueType.LIST);
        assertEquals(3, b.blockedClients());
        assertEquals(3, b.blockingKeys());
        assertArrayEquals(new Client[] {c1, c2}, b.waitersOf(new BlockingKeys.DbKey(0, k("y"))));
        assertArrayEquals(new Client[] {c1}, b.waitersOf(new BlockingKeys.DbKey(0, k("x"))));
        b.unblock(c1);
        assertNull(c1.blocked);
        assertNull(b.waitersOf(new BlockingKeys.DbKey(0, k("x"))));
        assertArrayEquals(new Client[] {c2}, b.waitersOf(new BlockingKeys.DbKey(0, k("y"))));
        assertEquals(2, b.blockedClients());
        assertEquals(2, b.blockingKeys());
        b.unblock(c1); // no-op
        assertEquals(2, b.blockedClients());
    }

    @Test
    void onlyWaitedKeysBecomeReadyOnceEachInSignalOrder() {
        BlockingKeys b = new BlockingKeys();
        b.block(client(1), 0, new byte[][] {k("x"), k("y")}, 0, ValueType.LIST);
        b.signal(0, k("z"));
        b.signal(1, k("x"));
        assertFalse(b.hasReady());
        b.signal(0, k("y"));
        b.signal(0, k("x"));
        b.signal(0, k("y"));
        List<BlockingKeys.DbKey> ready = b.takeReady();
        assertEquals(2, ready.size());
        assertArrayEquals(k("y"), ready.get(0).key);
        assertArrayEquals(k("x"), ready.get(1).key);
        assertFalse(b.hasReady());
    }

    @Test
    void timeoutsExpireStrictlyAfterTheirTimeInOrderAndSkipUnblockedClients() {
        BlockingKeys b = new BlockingKeys();
        Client c1 = client(1);
        Client c2 = client(2);
        Client c3 = client(3);
        b.block(c1, 0, new byte[][] {k("x")}, 200, ValueType.LIST);
        b.block(c2, 0, new byte[][] {k("x")}, 100, ValueType.LIST);
        b.block(c3, 0, new byte[][] {k("x")}, 0, ValueType.LIST);
        assertEquals(2, b.clientsWithTimeout());
        assertEquals(100, b.earliestTimeout());
        assertTrue(b.expired(100).isEmpty());
        assertEquals(List.of(c2), b.expired(101));
        b.unblock(c2);
        b.unblock(c1);
        assertEquals(0, b.clientsWithTimeout());
        assertEquals(0, b.earliestTimeout());
        assertTrue(b.expired(1_000).isEmpty());
    }
}
