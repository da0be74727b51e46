package dev.peregrine.storage.hll;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperLogLogTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static HyperLogLog of(int sparseMax, String... elements) {
        HyperLogLog h = HyperLogLog.create();
        for (String e : elements) {
            h.add(b(e), sparseMax);
        }
        return h;
    }

    @Test
    void emptyHllIsOneXZeroWithAValidZeroCache() {
        HyperLogLog h = HyperLogLog.create();
        assertEquals("48594c4c010000000000000000000000" + "7fff", HexFormat.of().formatHex(h.toBytes()));
        assertTrue(HyperLogLog.cacheValid(h.array(), 0));
        assertEquals(0, HyperLogLog.count(h.array(), 0, h.length()));
    }

    @Test
    void sparseBytesMatchWhatRedisServerWrites() {
        // GET after "PFADD x a b c hello world" on redis-server 7
        HyperLogLog h = of(3000, "a", "b", "c", "hello", "world");
        h.invalidateCache();
        assertEquals("48594c4c0100000000000000000000804ab588563c80430a804da5844bfb80425a",
                HexFormat.of().formatHex(h.toBytes()));
        assertEquals(5, HyperLogLog.count(h.array(), 0, h.length()));
        HyperLogLog a = of(3000, "a");
        assertEquals("Z:12711 v:2,1 Z:3672", HyperLogLog.decodeSparse(a.array(), 0, a.length()));
        HyperLogLog empty = of(3000, "");
        assertEquals("Z:5938 v:2,1 Z:10445", HyperLogLog.decodeSparse(empty.array(), 0, empty.length()));
    }

    @Test
    void murmurHashOfTheEmptyInputDependsOnlyOnTheSeed() {
        long h = MurmurHash64A.hash(new byte[0], 0, 0, HyperLogLog.SEED);
        // register 5938 with pattern length 2, as redis-server decodes PFADD of the empty string
        assertEquals(5938, h & (HyperLogLog.REGISTERS - 1));
        assertEquals(1, Long.numberOfTrailingZeros(h >>> HyperLogLog.P));
    }

    @Test
    void sparseAndDenseAgreeAndPromotionHappensAtTheConfiguredSize() {
        HyperLogLog sparse = HyperLogLog.create();
        HyperLogLog small = HyperLogLog.create();
        HyperLogLog dense = HyperLogLog.create();
        assertTrue(dense.toDense());
        for (int i = 0; i < 5000; i++) {
            byte[] e = b("element:" + i);
            sparse.add(e, Integer.MAX_VALUE);
            small.add(e, 300);
            dense.add(e, 0);
        }
        assertEquals(HyperLogLog.SPARSE, sparse.encoding());
        assertEquals(HyperLogLog.DENSE, small.encoding());
        assertEquals(HyperLogLog.DENSE_SIZE, dense.length());
        long s = HyperLogLog.count(sparse.array(), 0, sparse.length());
        assertEquals(s, HyperLogLog.count(dense.array(), 0, dense.length()));
        assertEquals(s, HyperLogLog.count(small.array(), 0, small.length()));
        assertTrue(Math.abs(s - 5000) < 5000 * 0.05, "estimate " + s);
        byte[] a = new byte[HyperLogLog.REGISTERS];
        byte[] d = new byte[HyperLogLog.REGISTERS];
        assertTrue(HyperLogLog.merge(a, sparse.array(), 0, sparse.length()));
        assertTrue(HyperLogLog.merge(d, dense.array(), 0, dense.length()));
        assertArrayEquals(a, d);
        assertEquals(s, HyperLogLog.countRegisters(a));
        assertTrue(sparse.toDense());
        assertArrayEquals(java.util.Arrays.copyOfRange(dense.toBytes(), HyperLogLog.HEADER, HyperLogLog.DENSE_SIZE),
                java.util.Arrays.copyOfRange(sparse.toBytes(), HyperLogLog.HEADER, HyperLogLog.DENSE_SIZE));
    }

    @Test
    void corruptSparseValuesAreDetected() {
        byte[] v = HexFormat.of().parseHex("48594c4c0100000000000000000000807f");
        assertTrue(HyperLogLog.isValid(v, 0, v.length));
        assertEquals(-1, HyperLogLog.count(v, 0, v.length));
        assertFalse(HyperLogLog.merge(new byte[HyperLogLog.REGISTERS], v, 0, v.length));
        assertFalse(HyperLogLog.copyOf(v, 0, v.length).toDense());
        assertFalse(HyperLogLog.isValid(b("HYLL"), 0, 4));
        byte[] dense = new byte[HyperLogLog.HEADER];
        System.arraycopy(b("HYLL"), 0, dense, 0, 4);
        assertFalse(HyperLogLog.isValid(dense, 0, dense.length), "dense values have exactly 12304 bytes");
    }

    @Test
    void cacheIsLittleEndianWithAStaleBit() {
        byte[] v = HyperLogLog.create().toBytes();
        HyperLogLog.writeCache(v, 0, 0x0102);
        assertEquals(2, v[8]);
        assertEquals(1, v[9]);
        assertEquals(0x0102, HyperLogLog.cachedCount(v, 0));
        HyperLogLog h = HyperLogLog.copyOf(v, 0, v.length);
        h.invalidateCache();
        assertFalse(HyperLogLog.cacheValid(h.array(), 0));
    }

    @Test
    void selfTestPasses() {
        assertNull(HyperLogLogSelfTest.run(3000));
    }
}
