package dev.peregrine.storage.hash;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesHashMapTest {
    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void packedEntryRoundTripsAcrossVarintSizes() {
        int[] lengths = {0, 1, 127, 128, 300, 16383, 16384, 70000};
        for (int f : lengths) {
            for (int v : new int[] {0, 1, 200}) {
                byte[] field = filled(f, 7);
                byte[] value = filled(v, 3);
                byte[] e = BytesHashMap.pack(field, value);
                int vs = f < 128 ? 1 : f < 16384 ? 2 : 3;
                assertEquals(vs + f + v, e.length, "entry length for field " + f);
                assertEquals(f, BytesHashMap.fieldLength(e));
                assertEquals(vs, BytesHashMap.fieldOffset(e));
                assertEquals(vs + f, BytesHashMap.valueOffset(e));
                assertEquals(v, BytesHashMap.entryValueLength(e));
                assertArrayEquals(field, BytesHashMap.field(e));
                assertArrayEquals(value, BytesHashMap.value(e));
            }
        }
    }

    @Test
    void fieldLengthIsLowBitsFirstVarint() {
        byte[] e = BytesHashMap.pack(new byte[130], new byte[] {9});
        assertEquals((byte) 0x82, e[0]);
        assertEquals((byte) 0x01, e[1]);
        assertEquals(9, e[e.length - 1]);
    }

    @Test
    void lookupComparesWholeFieldNotPrefixOrValue() {
        BytesHashMap m = new BytesHashMap(0);
        assertTrue(m.put("ab".getBytes(), "cd".getBytes()));
        assertNull(m.get("a".getBytes()));
        assertNull(m.get("abc".getBytes()));
        assertNull(m.get("abcd".getBytes()));
        assertArrayEquals("cd".getBytes(), m.get("ab".getBytes()));
        assertEquals(2, m.valueLength("ab".getBytes()));
        assertEquals(-1, m.valueLength("x".getBytes()));
        assertFalse(m.put("ab".getBytes(), new byte[0]));
        assertEquals(0, m.get("ab".getBytes()).length);
        assertTrue(m.put(new byte[0], "empty-field".getBytes()));
        assertArrayEquals("empty-field".getBytes(), m.get(new byte[0]));
        assertTrue(m.put("n".getBytes(), null));
        assertEquals(0, m.valueLength("n".getBytes()));
        byte[] got = m.get("ab".getBytes());
        Arrays.fill(got, (byte) 1);
        assertEquals(0, m.valueLength("ab".getBytes()));
    }
}
