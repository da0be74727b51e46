package dev.peregrine.storage.list;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListpackTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A random element: small/large integers, integer-looking non-canonical strings, strings of many sizes. */
    static byte[] randomElement(Random r) {
        switch (r.nextInt(9)) {
            case 0: return b(Integer.toString(r.nextInt(128)));
            case 1: return b(Integer.toString(r.nextInt(8192) - 4096));
            case 2: return b(Long.toString(r.nextLong()));
            case 3: return b(Integer.toString(r.nextInt()));
            case 4: return b("0" + r.nextInt(100));
            case 5: return b(r.nextBoolean() ? "-9223372036854775808" : "-9223372036854775807");
            case 6: return b("x".repeat(r.nextInt(64)));
            case 7: return b("y".repeat(64 + r.nextInt(4100)));
            default: return b("z".repeat(r.nextInt(200)) + r.nextInt());
        }
    }

    static List<byte[]> contents(Listpack lp) {
        List<byte[]> out = new ArrayList<>();
        for (int p = lp.first(); p >= 0; p = lp.next(p)) {
            out.add(lp.get(p));
        }
        List<byte[]> back = new ArrayList<>();
        for (int p = lp.last(); p >= 0; p = lp.prev(p)) {
            back.add(0, lp.get(p));
        }
        assertEquals(out.size(), back.size());
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(out.get(i), back.get(i));
        }
        return out;
    }

    static void assertSame(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "element " + i);
        }
    }

    @Test
    void entrySizesMatchRedisListpack() {
        Listpack lp = new Listpack();
        assertEquals(7, lp.bytes());
        lp.append(b("5"));          // 7-bit uint: 1 + backlen 1
        assertEquals(9, lp.bytes());
        lp.append(b("-100"));       // 13-bit int: 2 + 1
        assertEquals(12, lp.bytes());
        lp.append(b("30000"));      // 16-bit: 3 + 1
        assertEquals(16, lp.bytes());
        lp.append(b("abc"));        // 6-bit string: 1 + 3 + 1
        assertEquals(21, lp.bytes());
        lp.append(b("a".repeat(100))); // 12-bit string: 2 + 100 + 1
        assertEquals(21 + 103, lp.bytes());
        lp.append(b("a".repeat(200))); // 2 + 200 + backlen 2
        assertEquals(21 + 103 + 204, lp.bytes());
        lp.append(b("012"));        // not canonical: a string
        assertFalse(lp.isInt(lp.last()));
        lp.append(b("9223372036854775807"));
        assertTrue(lp.isInt(lp.last()));
        assertEquals(9223372036854775807L, lp.intValue(lp.last()));
    }

    @Test
    void compressionRoundTrip() {
        Listpack lp = new Listpack();
        List<byte[]> model = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] v = b(i % 2 == 0 ? Integer.toString(i) : "value-" + (i % 7) + "-abcabcabc");
            lp.append(v);
            model.add(v);
        }
        int bytes = lp.bytes();
        assertTrue(lp.compress());
        assertTrue(lp.isCompressed());
        assertEquals(bytes, lp.bytes());
        assertEquals(200, lp.size());
        Listpack copy = lp.copy();
        assertTrue(copy.isCompressed());
        assertSame(model, contents(lp)); // reading decompresses
        assertFalse(lp.isCompressed());
        assertSame(model, contents(copy));
        Listpack small = new Listpack();
        small.append(b("tiny"));
        assertFalse(small.compress()); // under 48 bytes
        Listpack random = new Listpack();
        Random r = new Random(1);
        byte[] noise = new byte[300];
        r.nextBytes(noise);
        random.append(noise);
        assertFalse(random.compress()); // does not shrink enough
        assertArrayEquals(noise, random.get(random.first()));
    }

    @Test
    void integersRoundTrip() {
        long[] values = {0, 127, 128, -1, -4096, 4095, -4097, 4096, 32767, -32768, 32768, 8388607, -8388608,
                         8388608, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                         Long.MIN_VALUE + 1};
        Listpack lp = new Listpack();
        for (long v : values) {
            lp.prepend(b(Long.toString(v)));
        }
        int i = values.length - 1;
        for (int p = lp.first(); p >= 0; p = lp.next(p), i--) {
            assertTrue(lp.isInt(p));
            assertEquals(values[i], lp.intValue(p));
            assertArrayEquals(b(Long.toString(values[i])), lp.get(p));
        }
    }

    @Test
    void randomOperationsMatchArrayList() {
        Random r = new Random(42);
        for (int round = 0; round < 30; round++) {
            Listpack lp = new Listpack();
            List<byte[]> model = new ArrayList<>();
            for (int op = 0; op < 400; op++) {
                int kind = r.nextInt(9);
                byte[] v = randomElement(r);
                if (kind == 0) {
                    lp.append(v);
                    model.add(v);
                } else if (kind == 1) {
                    lp.prepend(v);
                    model.add(0, v);
                } else if (kind == 2) {
                    int i = r.nextInt(model.size() + 1);
                    lp.insert(i == model.size() ? -1 : lp.seek(i), v);
                    model.add(i, v);
                } else if (kind == 3 && !model.isEmpty()) {
                    int i = r.nextInt(model.size());
                    lp.replace(lp.seek(i), v);
                    model.set(i, v);
                } else if (kind == 4 && !model.isEmpty()) {
                    int i = r.nextInt(model.size());
                    int n = 1 + r.nextInt(5);
                    lp.delete(lp.seek(i), n);
                    for (int k = 0; k < n && i < model.size(); k++) {
                        model.remove(i);
                    }
                } else if (kind == 5 && !model.isEmpty()) {
                    assertArrayEquals(model.remove(0), lp.popFirst());
                } else if (kind == 6 && !model.isEmpty()) {
                    assertArrayEquals(model.remove(model.size() - 1), lp.popLast());
                } else if (kind == 7 && !model.isEmpty()) {
                    int i = r.nextInt(model.size());
                    assertArrayEquals(model.get(i), lp.get(lp.seek(i)));
                    assertArrayEquals(model.get(i), lp.get(lp.seek(i - model.size())));
                    assertTrue(lp.matches(lp.seek(i), model.get(i), Listpack.Element.asInt(model.get(i))));
                } else if (kind == 8 && !model.isEmpty()) {
                    int i = r.nextInt(model.size() + 1);
                    Listpack tail = lp.split(i);
                    assertSame(model.subList(i, model.size()), contents(tail));
                    lp.appendAll(tail);
                }
                assertEquals(model.size(), lp.size());
                long bytes = 7;
                for (byte[] e : model) {
                    bytes += Listpack.entryBytes(e);
                }
                assertEquals(bytes, lp.bytes());
            }
            assertSame(model, contents(lp));
        }
    }
}
