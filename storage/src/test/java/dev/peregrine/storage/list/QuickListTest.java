package dev.peregrine.storage.list;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.peregrine.storage.list.ListpackTest.b;
import static dev.peregrine.storage.list.ListpackTest.randomElement;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickListTest {
    static List<byte[]> contents(QuickList q) {
        List<byte[]> out = new ArrayList<>();
        long n = 0;
        int nodes = 0;
        for (QuickList.Node node = q.head; node != null; node = node.next) {
            assertTrue(node.lp.size() > 0, "no empty node");
            if (node.lp.size() > 1) {
                assertTrue(!QuickList.exceedsLimit(q.fill(), node.lp.bytes(), node.lp.size())
                           || node.lp.size() == 1, "node within limit");
            }
            out.addAll(ListpackTest.contents(node.lp));
            n += node.lp.size();
            nodes++;
        }
        assertEquals(q.size(), n);
        assertEquals(q.nodeCount(), nodes);
        return out;
    }

    /** With depth d and at least 2d nodes, the d nodes at each end are never compressed. */
    static void assertEndsPlain(QuickList q) {
        int d = q.compressDepth();
        if (d == 0 || q.nodeCount() < 2 * d) {
            return;
        }
        QuickList.Node f = q.head;
        QuickList.Node b = q.tail;
        for (int i = 0; i < d; i++) {
            assertTrue(!f.lp.isCompressed() && !b.lp.isCompressed(), "end nodes plain");
            f = f.next;
            b = b.prev;
        }
    }

    @Test
    void interiorNodesAreCompressed() {
        QuickList q = new QuickList(-2, 1);
        List<byte[]> model = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] v = b("element-" + (i % 100) + "-padding-padding-padding");
            q.pushTail(v);
            model.add(v);
        }
        int compressed = 0;
        for (QuickList.Node n = q.head; n != null; n = n.next) {
            if (n.lp.isCompressed()) {
                compressed++;
            }
        }
        assertTrue(q.nodeCount() > 10);
        assertEquals(q.nodeCount() - 2, compressed);
        assertArrayEquals(model.get(2500), q.get(2500));
        q.insert(2500, b("in the middle"));
        model.add(2500, b("in the middle"));
        ListpackTest.assertSame(model, contents(q));
        assertEndsPlain(q);
        // contents() decompressed every node while reading: the interior stays readable whatever the state
        for (QuickList.Node n = q.head.next; n != q.tail; n = n.next) {
            n.lp.compress();
        }
        ListpackTest.assertSame(model, contents(q.copy()));
    }

    @Test
    void limits() {
        assertEquals(8192, QuickList.sizeLimit(-2));
        assertEquals(4096, QuickList.sizeLimit(-1));
        assertEquals(65536, QuickList.sizeLimit(-5));
        assertEquals(1, QuickList.countLimit(0));
        assertTrue(QuickList.exceedsLimit(5, 100, 6));
        assertTrue(QuickList.exceedsLimit(5, 8193, 2));
        assertTrue(!QuickList.exceedsLimit(-2, 8192, 100000));
    }

    @Test
    void randomOperationsMatchArrayList() {
        Random r = new Random(7);
        int[] fills = {-1, -2, 3, 1, 0, 16, -5};
        for (int fill : fills) {
            for (int round = 0; round < 6; round++) {
                int depth = round % 3;
                QuickList q = new QuickList(fill, depth);
                List<byte[]> model = new ArrayList<>();
                for (int op = 0; op < 600; op++) {
                    int kind = r.nextInt(8);
                    byte[] v = r.nextInt(50) == 0 ? b("L".repeat(9000 + r.nextInt(60000))) : randomElement(r);
                    if (kind == 0) {
                        q.pushTail(v);
                        model.add(v);
                    } else if (kind == 1) {
                        q.pushHead(v);
                        model.add(0, v);
                    } else if (kind == 2) {
                        int i = r.nextInt(model.size() + 1);
                        q.insert(i, v);
                        model.add(i, v);
                    } else if (kind == 3 && !model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        q.replace(i, v);
                        model.set(i, v);
                    } else if (kind == 4 && !model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        int n = Math.min(model.size() - i, 1 + r.nextInt(30));
                        q.deleteRange(i, n);
                        model.subList(i, i + n).clear();
                    } else if (kind == 5 && !model.isEmpty()) {
                        assertArrayEquals(model.remove(0), q.popHead());
                    } else if (kind == 6 && !model.isEmpty()) {
                        assertArrayEquals(model.remove(model.size() - 1), q.popTail());
                    } else if (kind == 7 && !model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        assertArrayEquals(model.get(i), q.get(i));
                    }
                    assertEquals(model.size(), q.size());
                    assertEndsPlain(q);
                }
                ListpackTest.assertSame(model, contents(q));
                ListpackTest.assertSame(model, contents(q.copy()));
            }
        }
    }

    @Test
    void pushesLeaveFullEndNodesWithoutSpareCapacity() {
        for (boolean atTail : new boolean[] {true, false}) {
            QuickList q = new QuickList(-2);
            List<byte[]> model = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                byte[] v = b("element:" + (100000 + i));
                if (atTail) {
                    q.pushTail(v);
                    model.add(v);
                } else {
                    q.pushHead(v);
                    model.add(0, v);
                }
            }
            assertTrue(q.nodeCount() > 3);
            QuickList.Node open = atTail ? q.tail : q.head;
            for (QuickList.Node n = q.head; n != null; n = n.next) {
                if (n != open) {
                    assertEquals(n.lp.bytes() - Listpack.OVERHEAD, n.lp.capacity(), "full node is exact");
                }
            }
            List<byte[]> got = contents(q);
            assertEquals(model.size(), got.size());
            for (int i = 0; i < model.size(); i++) {
                assertArrayEquals(model.get(i), got.get(i));
            }
            // a trimmed node still takes appends after pops make room
            byte[] last = atTail ? q.popTail() : q.popHead();
            assertArrayEquals(atTail ? model.get(model.size() - 1) : model.get(0), last);
        }
    }

    @Test
    void trimToSizeKeepsContents() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 100; i++) {
            lp.append(b("v" + i));
        }
        assertTrue(lp.capacity() > lp.bytes() - Listpack.OVERHEAD);
        lp.trimToSize();
        assertEquals(lp.bytes() - Listpack.OVERHEAD, lp.capacity());
        lp.append(b("more"));
        List<byte[]> got = ListpackTest.contents(lp);
        assertEquals(101, got.size());
        assertArrayEquals(b("v99"), got.get(99));
        assertArrayEquals(b("more"), got.get(100));
    }
}
