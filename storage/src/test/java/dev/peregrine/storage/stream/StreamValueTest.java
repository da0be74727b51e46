package dev.peregrine.storage.stream;

import dev.peregrine.storage.list.Listpack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] fv(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = b(s[i]);
        }
        return out;
    }

    private static StreamValue stream(int n, long maxEntries) {
        StreamValue s = new StreamValue(b("k"));
        for (int i = 1; i <= n; i++) {
            s.append(new StreamId(i, 0), fv("f", Integer.toString(i)), 4096, maxEntries);
        }
        return s;
    }

    private static List<String> ids(StreamValue s, StreamId from, StreamId to, boolean rev) {
        List<String> out = new ArrayList<>();
        s.range(from, to, rev, (id, x) -> out.add(id.toString()));
        return out;
    }

    @Test
    void idsCompareUnsignedAndStep() {
        assertTrue(StreamId.MAX.compareTo(new StreamId(1, 0)) > 0);
        assertEquals("18446744073709551615-18446744073709551615", StreamId.MAX.toString());
        assertNull(StreamId.MAX.next());
        assertNull(StreamId.MIN.previous());
        assertEquals(new StreamId(2, 0), new StreamId(1, -1L).next());
        assertEquals(new StreamId(1, -1L), new StreamId(2, 0).previous());
        StreamId id = new StreamId(0x0102030405060708L, -2L);
        assertEquals(id, StreamId.fromKeyBytes(id.toKeyBytes()));
    }

    @Test
    void autoIdsAreMonotonicEvenWhenTheClockGoesBack() {
        StreamValue s = new StreamValue(b("k"));
        StreamId a = s.autoId(1000);
        s.append(a, fv("a", "1"), 4096, 100);
        StreamId b = s.autoId(900); // clock went back
        assertEquals(new StreamId(1000, 1), b);
        s.append(b, fv("a", "2"), 4096, 100);
        assertEquals(new StreamId(1001, 0), s.autoId(1001));
        assertEquals(new StreamId(1000, 2), s.autoSeq(1000));
        assertNull(s.autoSeq(999));
        s.lastId(new StreamId(5, -1L));
        assertNull(s.autoSeq(5));
        assertEquals(new StreamId(6, 0), s.autoId(3));
        s.lastId(StreamId.MAX);
        assertNull(s.autoId(3));
    }

    @Test
    void nodesSplitByEntriesAndBytesAndKeepMasterFields() {
        StreamValue s = stream(250, 100);
        assertEquals(3, s.nodeCount());
        assertEquals(250, s.length());
        assertEquals(250, s.entriesAdded());
        assertEquals(new StreamId(1, 0), s.firstId());
        assertEquals(new StreamId(250, 0), s.lastId());
        // a node's listpack: count, deleted, master fields, terminator, then entries
        Listpack first = s.nodes().firstEntry().getValue();
        assertEquals(100, first.intValue(first.first()));
        StreamValue big = new StreamValue(b("k"));
        byte[] value = new byte[1000];
        for (int i = 1; i <= 10; i++) {
            big.append(new StreamId(i, 0), new byte[][] {b("f"), value}, 4096, 100);
        }
        assertEquals(3, big.nodeCount()); // four ~1 KB entries fit under 4096 bytes
        // different fields are stored in full and read back
        s.append(new StreamId(300, 0), fv("x", "1", "y", "2"), 4096, 100);
        assertArrayEquals(fv("x", "1", "y", "2"), s.get(new StreamId(300, 0)));
        assertArrayEquals(fv("f", "7"), s.get(new StreamId(7, 0)));
        assertNull(s.get(new StreamId(7, 1)));
    }

    @Test
    void rangesBothWaysWithBounds() {
        StreamValue s = stream(20, 6);
        assertEquals(List.of("5-0", "6-0", "7-0"), ids(s, new StreamId(5, 0), new StreamId(7, 0), false));
        assertEquals(List.of("7-0", "6-0", "5-0"), ids(s, new StreamId(5, 0), new StreamId(7, 0), true));
        assertEquals(20, ids(s, StreamId.MIN, StreamId.MAX, true).size());
        assertEquals(List.of(), ids(s, new StreamId(8, 0), new StreamId(7, 0), false));
        assertEquals(List.of("20-0"), ids(s, new StreamId(19, 1), StreamId.MAX, false));
        assertEquals(new StreamId(20, 0), s.edgeId(false));
    }

    @Test
    void deletesFlagEntriesAndDropEmptyNodes() {
        StreamValue s = stream(10, 5);
        assertEquals(2, s.nodeCount());
        assertTrue(s.delete(new StreamId(1, 0)));
        assertFalse(s.delete(new StreamId(1, 0)));
        assertFalse(s.delete(new StreamId(99, 0)));
        assertEquals(new StreamId(2, 0), s.firstId());
        assertEquals(new StreamId(1, 0), s.maxDeletedId());
        assertEquals(new StreamId(1, 0), s.firstIdWithTombstones()); // still flagged in its node
        for (int i = 2; i <= 5; i++) {
            assertTrue(s.delete(new StreamId(i, 0)));
        }
        assertEquals(1, s.nodeCount());
        assertEquals(5, s.length());
        assertEquals(new StreamId(6, 0), s.firstId());
        assertEquals(10, s.entriesAdded());
        assertEquals(List.of("6-0", "7-0", "8-0", "9-0", "10-0"), ids(s, StreamId.MIN, StreamId.MAX, false));
    }

    @Test
    void trimsWholeNodesApproximatelyAndEntriesExactly() {
        StreamValue s = stream(20, 5);
        assertEquals(0, s.trim(false, 17, null, true, 0)); // the first node cannot go whole
        assertEquals(5, s.trim(false, 15, null, true, 0));
        assertEquals(15, s.length());
        assertEquals(3, s.trim(false, 12, null, false, 0));
        assertEquals(new StreamId(9, 0), s.firstId());
        assertEquals(new StreamId(6, 0), s.firstIdWithTombstones());
        assertEquals(4, s.trim(true, 0, new StreamId(13, 0), false, 0));
        assertEquals(new StreamId(13, 0), s.firstId());
        // whole nodes only, while they fit the limit: the 3 left in the first node go, the next 5 would pass it
        assertEquals(3, s.trim(true, 0, new StreamId(100, 0), true, 5));
        assertEquals(5, s.trim(true, 0, new StreamId(100, 0), false, 0));
        assertEquals(0, s.length());
        assertEquals(0, s.nodeCount());
        assertEquals(StreamId.MIN, s.firstId());
        assertEquals(StreamId.MAX, s.firstIdWithTombstones());
    }

    @Test
    void groupsPelsAndLag() {
        StreamValue s = stream(5, 100);
        ConsumerGroup g = s.createGroup(b("g"), StreamId.MIN, 0);
        assertNull(s.createGroup(b("g"), StreamId.MIN, 0));
        assertEquals(5, s.lag(g));
        Consumer c = g.createConsumer(b("alice"), 10);
        assertNull(g.createConsumer(b("alice"), 10));
        assertEquals(-1, c.activeTime);
        Nack n = new Nack(c, 10, 1);
        g.pel.put(new StreamId(1, 0), n);
        c.pel.put(new StreamId(1, 0), n);
        g.lastId = new StreamId(2, 0);
        g.entriesRead = 2;
        assertEquals(3, s.lag(g));
        s.delete(new StreamId(4, 0)); // a tombstone after the group's position: lag unknown
        assertEquals(StreamValue.LAG_UNKNOWN, s.lag(g));
        g.entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        g.lastId = new StreamId(5, 0);
        assertEquals(0, s.lag(g)); // the last ID's counter is always known
        g.entriesRead = 7; // above the stream's entries added (XGROUP SETID ENTRIESREAD): a negative lag, not unknown
        s.entriesAdded(6);
        assertEquals(-1, s.lag(g));
        assertEquals(1, g.deleteConsumer(b("alice")));
        assertTrue(g.pel.isEmpty());
        assertEquals(-1, g.deleteConsumer(b("alice")));
        StreamValue copy = s.copyAs(b("k2"));
        assertEquals(1, copy.groupCount());
        assertEquals(s.ids(), copy.ids());
        assertTrue(s.destroyGroup(b("g")));
        assertFalse(s.destroyGroup(b("g")));
        assertEquals(1, copy.groupCount());
    }

    @Test
    void loadNodeChecksTheLayout() {
        StreamValue src = stream(3, 100);
        StreamValue dst = new StreamValue(b("k"));
        var e = src.nodes().firstEntry();
        dst.loadNode(e.getKey(), e.getValue().copy());
        dst.loadFinished();
        assertEquals(src.ids(), dst.ids());
        assertThrows(IllegalArgumentException.class, () -> dst.loadNode(e.getKey(), e.getValue().copy()));
        Listpack bad = new Listpack();
        for (String x : new String[] {"2", "0", "1", "f", "0", "2", "0", "0", "v", "4"}) {
            bad.append(b(x));
        }
        assertThrows(IllegalArgumentException.class, () -> new StreamValue(b("k")).loadNode(StreamId.MIN, bad));
    }

    @Test
    void aLargeStreamCostsLittleMoreThanItsData() {
        StreamValue s = new StreamValue(b("k"));
        int n = 200_000;
        for (int i = 1; i <= n; i++) {
            s.append(s.autoId(1_700_000_000_000L), fv("sensor", "t", "value", Integer.toString(i)), 4096, 100);
        }
        assertEquals(n, s.length());
        assertEquals(n / 100, s.nodeCount());
        long bytes = 0;
        for (Listpack lp : s.nodes().values()) {
            bytes += lp.bytes();
        }
        // same-fields entries hold flags, two ID deltas, the two values and the lp-count: about 16 bytes each
        // for about 7 bytes of values, with field names once per node
        assertTrue(bytes < 20L * n, "bytes " + bytes);
    }
}
