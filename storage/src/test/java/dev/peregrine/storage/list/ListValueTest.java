package dev.peregrine.storage.list;

import dev.peregrine.storage.ValueType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;

import static dev.peregrine.storage.list.ListpackTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListValueTest {
    private static final byte[] KEY = b("k");

    static List<byte[]> contents(ListValue v) {
        List<byte[]> out = new ArrayList<>();
        v.range(0, v.size(), new ElementSink() {
            @Override
            public void string(byte[] buf, int off, int len) {
                byte[] e = new byte[len];
                System.arraycopy(buf, off, e, 0, len);
                out.add(e);
            }

            @Override
            public void integer(long value) {
                out.add(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            }
        });
        List<byte[]> back = new ArrayList<>();
        for (ListValue.Cursor c = v.cursor(-1, false); c.valid(); c.advance()) {
            back.add(0, c.get());
        }
        ListpackTest.assertSame(out, back);
        return out;
    }

    private static void push(ListValue v, byte[] e, boolean head, int fill) {
        v.beforeGrow(new byte[][] {e}, 0, 0, fill);
        v.push(e, head);
    }

    @Test
    void typeAndEncoding() {
        ListValue v = new ListValue(KEY);
        assertEquals(ValueType.LIST, v.type());
        assertEquals("listpack", v.encoding());
        assertArrayEquals(KEY, v.key());
    }

    @Test
    void byteLimitConversionAndBack() {
        int fill = -2;
        ListValue v = new ListValue(KEY);
        byte[] e = b("x".repeat(100)); // 103 bytes per entry; 7 + 103k + 100 > 8192 first at k = 80
        for (int i = 0; i < 79; i++) {
            push(v, e, false, fill);
        }
        assertEquals("listpack", v.encoding());
        push(v, e, false, fill);
        assertEquals("quicklist", v.encoding());
        // back to one node of 79 entries (8144 bytes > 4096): still a quicklist
        v.pop(false);
        v.afterShrink(fill);
        assertEquals("quicklist", v.encoding());
        while (v.size() > 40) {
            v.pop(true);
            v.afterShrink(fill);
            assertEquals("quicklist", v.encoding());
        }
        v.pop(true); // 39 entries: 7 + 39 * 103 = 4024 <= 4096
        v.afterShrink(fill);
        assertEquals("listpack", v.encoding());
        assertEquals(39, v.size());
    }

    @Test
    void countLimitConversionAndBack() {
        int fill = 5;
        ListValue v = new ListValue(KEY);
        byte[][] argv = {b("lpush"), b("k"), b("a"), b("b"), b("c"), b("d"), b("e")};
        v.beforeGrow(argv, 2, 6, fill);
        assertEquals("listpack", v.encoding());
        for (int i = 2; i <= 6; i++) {
            v.push(argv[i], true);
        }
        push(v, b("f"), true, fill);
        assertEquals("quicklist", v.encoding());
        v.deleteRange(0, 3);
        v.afterShrink(fill);
        assertEquals("quicklist", v.encoding()); // 3 > 5/2
        v.pop(true);
        v.afterShrink(fill);
        assertEquals("listpack", v.encoding());
        ListpackTest.assertSame(List.of(b("b"), b("a")), contents(v));
    }

    @Test
    void largeElementConvertsAtOnce() {
        ListValue v = new ListValue(KEY);
        push(v, b("y".repeat(8200)), false, -2);
        assertEquals("quicklist", v.encoding());
        v.afterShrink(-2);
        assertEquals("quicklist", v.encoding());
    }

    @Test
    void copyIsDeep() {
        for (int n : new int[] {3, 3000}) {
            ListValue v = new ListValue(KEY);
            for (int i = 0; i < n; i++) {
                push(v, b("e" + i), false, -2);
            }
            ListValue c = (ListValue) v.copyAs(b("other"));
            assertArrayEquals(b("other"), c.key());
            assertEquals(v.encoding(), c.encoding());
            v.set(0, b("changed"));
            assertArrayEquals(b("e0"), c.get(0));
            assertNotSame(v, c);
            assertEquals(n, c.size());
        }
    }

    @Test
    void randomOperationsMatchLinkedList() {
        Random r = new Random(3);
        int[] fills = {-2, -1, 4, 128};
        for (int fill : fills) {
            for (int round = 0; round < 8; round++) {
                int depth = round % 3;
                ListValue v = new ListValue(KEY);
                LinkedList<byte[]> model = new LinkedList<>();
                for (int op = 0; op < 1500; op++) {
                    int kind = r.nextInt(10);
                    byte[] e = r.nextInt(4) == 0 ? b(Integer.toString(r.nextInt(5)))
                                                 : ListpackTest.randomElement(r);
                    if (kind <= 1) {
                        int n = 1 + r.nextInt(4);
                        byte[][] argv = new byte[n][];
                        for (int i = 0; i < n; i++) {
                            argv[i] = r.nextBoolean() ? e : ListpackTest.randomElement(r);
                        }
                        v.beforeGrow(argv, 0, n - 1, fill, depth);
                        for (byte[] a : argv) {
                            v.push(a, kind == 0);
                            if (kind == 0) {
                                model.addFirst(a);
                            } else {
                                model.addLast(a);
                            }
                        }
                    } else if (kind == 2 && !model.isEmpty()) {
                        boolean head = r.nextBoolean();
                        assertArrayEquals(head ? model.removeFirst() : model.removeLast(), v.pop(head));
                        v.afterShrink(fill);
                    } else if (kind == 3) {
                        long i = r.nextInt(model.size() + 3) - (model.size() + 1) / 2;
                        long idx = i < 0 ? i + model.size() : i;
                        byte[] got = v.get(i);
                        if (idx < 0 || idx >= model.size()) {
                            assertNull(got);
                        } else {
                            assertArrayEquals(model.get((int) idx), got);
                        }
                    } else if (kind == 4 && !model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        v.beforeGrow(e, fill, depth);
                        assertTrue(v.set(i, e));
                        v.afterShrink(fill);
                        model.set(i, e);
                    } else if (kind == 5) {
                        int i = r.nextInt(model.size() + 1);
                        v.beforeGrow(e, fill, depth);
                        v.insert(i, e);
                        model.add(i, e);
                    } else if (kind == 6 && !model.isEmpty()) {
                        // LREM-like: remove matches walking one way
                        boolean forward = r.nextBoolean();
                        Listpack.Element ei = Listpack.Element.asInt(e);
                        int removed = 0;
                        for (ListValue.Cursor c = v.cursor(forward ? 0 : -1, forward); c.valid(); ) {
                            if (c.matches(e, ei) && removed < 2) {
                                c.remove();
                                removed++;
                            } else {
                                c.advance();
                            }
                        }
                        int expectRemoved = 0;
                        var it = forward ? model.iterator() : model.descendingIterator();
                        while (it.hasNext() && expectRemoved < 2) {
                            if (java.util.Arrays.equals(it.next(), e)) {
                                it.remove();
                                expectRemoved++;
                            }
                        }
                        assertEquals(expectRemoved, removed);
                        v.afterShrink(fill);
                    } else if (kind == 7 && !model.isEmpty()) {
                        int start = r.nextInt(model.size());
                        int n = r.nextInt(model.size() - start + 1);
                        v.deleteRange(start, n);
                        model.subList(start, start + n).clear();
                        v.afterShrink(fill);
                    } else if (kind == 8 && !model.isEmpty()) {
                        int start = r.nextInt(model.size());
                        int n = r.nextInt(model.size() - start + 1);
                        List<byte[]> got = new ArrayList<>();
                        v.range(start, n, new ElementSink() {
                            @Override
                            public void string(byte[] buf, int off, int len) {
                                got.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                            }

                            @Override
                            public void integer(long value) {
                                got.add(b(Long.toString(value)));
                            }
                        });
                        ListpackTest.assertSame(model.subList(start, start + n), got);
                    }
                    assertEquals(model.size(), v.size());
                }
                ListpackTest.assertSame(model, contents(v));
            }
        }
    }
}
