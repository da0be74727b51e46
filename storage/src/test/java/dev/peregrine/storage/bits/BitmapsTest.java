package dev.peregrine.storage.bits;

import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitmapsTest {
    private static int naiveBit(byte[] b, long bit) {
        return bit / 8 < b.length ? (b[(int) (bit / 8)] >> (7 - (int) (bit % 8))) & 1 : 0;
    }

    @Test
    void bitZeroIsTheMostSignificantBitOfTheFirstByte() {
        byte[] b = new byte[3];
        assertEquals(0, Bitmaps.setBit(b, 1, 0, 1));
        assertEquals((byte) 0x80, b[1]);
        assertEquals(1, Bitmaps.setBit(b, 1, 0, 0));
        Bitmaps.setBit(b, 0, 15, 1);
        assertEquals(1, b[1]);
        assertEquals(1, Bitmaps.getBit(b, 0, 3, 15));
        assertEquals(0, Bitmaps.getBit(b, 0, 3, 1000), "past the end reads as zero");
    }

    @Test
    void countsAndSearchesMatchABitByBitWalk() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int round = 0; round < 300; round++) {
            int len = 1 + rnd.nextInt(200);
            byte[] b = new byte[len + 5];
            rnd.nextBytes(b);
            if (round % 3 == 0) {
                java.util.Arrays.fill(b, 2, 2 + len, (byte) (round % 2 == 0 ? 0 : 0xff));
                b[2 + rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
            }
            byte[] value = java.util.Arrays.copyOfRange(b, 2, 2 + len);
            long from = rnd.nextInt(len * 8);
            long to = from + rnd.nextInt((int) (len * 8 - from));
            long expectedCount = 0;
            long first1 = -1;
            long first0 = -1;
            for (long i = from; i <= to; i++) {
                int bit = naiveBit(value, i);
                expectedCount += bit;
                if (bit == 1 && first1 < 0) {
                    first1 = i;
                }
                if (bit == 0 && first0 < 0) {
                    first0 = i;
                }
            }
            assertEquals(expectedCount, Bitmaps.countBits(b, 2, from, to));
            assertEquals(first1, Bitmaps.findBit(b, 2, from, to, 1));
            assertEquals(first0, Bitmaps.findBit(b, 2, from, to, 0));
        }
        byte[] big = new byte[1 << 16];
        rnd.nextBytes(big);
        long n = 0;
        for (byte x : big) {
            n += Integer.bitCount(x & 0xff);
        }
        assertEquals(n, Bitmaps.popcount(big, 0, big.length));
        assertEquals(n - Integer.bitCount(big[0] & 0xff), Bitmaps.popcount(big, 1, big.length - 1));
    }

    @Test
    void bitopPadsShorterValuesWithZeros() {
        byte[][] srcs = {{(byte) 0xf0, 0x0f}, {(byte) 0xff}, null};
        int[] offs = {0, 0, 0};
        int[] lens = {2, 1, 0};
        assertArrayEquals(new byte[] {0, 0}, Bitmaps.bitop(Bitmaps.AND, srcs, offs, lens));
        assertArrayEquals(new byte[] {(byte) 0xff, 0x0f}, Bitmaps.bitop(Bitmaps.OR, srcs, offs, lens));
        assertArrayEquals(new byte[] {0x0f, 0x0f}, Bitmaps.bitop(Bitmaps.XOR, srcs, offs, lens));
        assertArrayEquals(new byte[] {0x0f, (byte) 0xf0},
                Bitmaps.bitop(Bitmaps.NOT, new byte[][] {srcs[0]}, new int[] {0}, new int[] {2}));
        assertNull(Bitmaps.bitop(Bitmaps.OR, new byte[][] {null, null}, new int[2], new int[2]));
    }

    @Test
    void fieldsReadAndWriteAcrossByteBoundaries() {
        byte[] b = new byte[16];
        Bitmaps.setField(b, 0, 5, 13, 0x1abc);
        assertEquals(0x1abc, Bitmaps.getUnsigned(b, 0, 16, 5, 13));
        assertEquals(0x1abc - 0x2000, Bitmaps.getSigned(b, 0, 16, 5, 13));
        Bitmaps.setField(b, 0, 60, 64, -2);
        assertEquals(-2, Bitmaps.getSigned(b, 0, 16, 60, 64));
        assertEquals(Long.MAX_VALUE - 1, Bitmaps.getUnsigned(b, 0, 16, 61, 63));
        assertEquals(0, Bitmaps.getUnsigned(b, 0, 2, 16, 8), "bits past the value read as zero");
    }

    @Test
    void overflowFollowsRedisComparisons() {
        assertEquals(1, Bitmaps.signedOverflow(100, 100, 8));
        assertEquals(-1, Bitmaps.signedOverflow(-100, -100, 8));
        assertEquals(0, Bitmaps.signedOverflow(100, 27, 8));
        assertEquals(-56, Bitmaps.signedWrap(100, 100, 8));
        assertEquals(127, Bitmaps.signedLimit(1, 8));
        assertEquals(1, Bitmaps.signedOverflow(Long.MAX_VALUE, 1, 64));
        assertEquals(Long.MIN_VALUE, Bitmaps.signedWrap(Long.MAX_VALUE, 1, 64));
        // a SET far below the range wraps Redis's max-value difference and counts as an upward overflow
        assertEquals(1, Bitmaps.signedOverflow(Long.MIN_VALUE, 0, 8));
        assertEquals(1, Bitmaps.unsignedOverflow(-1, 0, 8), "a negative SET is a huge unsigned value");
        assertEquals(255, Bitmaps.unsignedWrap(-1, 0, 8));
        assertEquals(-1, Bitmaps.unsignedOverflow(5, -10, 8));
        assertEquals(0, Bitmaps.unsignedLimit(-1, 8));
    }

    @Test
    void writableEntryChangesRawEntriesInPlaceAndGrowsOthers() {
        byte[] key = {'k'};
        byte[] grown = Bitmaps.writableEntry(key, null, 3, 0);
        assertEquals(3, StringEntry.valueLength(grown));
        assertTrue(StringEntry.isRaw(grown));
        assertSame(grown, Bitmaps.writableEntry(key, grown, 2, 0));
        byte[] embstr = StringEntry.create(key, new byte[] {1, 2}, 12345L, 0);
        byte[] w = Bitmaps.writableEntry(key, embstr, 1, 0);
        assertNotSame(embstr, w);
        assertArrayEquals(new byte[] {1, 2}, StringEntry.value(w));
        assertEquals(12345L, StringEntry.expireAt(w));
        assertEquals(Entry.NO_EXPIRE, StringEntry.expireAt(grown));
    }
}
