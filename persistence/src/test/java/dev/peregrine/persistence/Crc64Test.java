package dev.peregrine.persistence;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc64Test {
    @Test
    void matchesTheJonesCheckValue() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void incrementalUpdatesEqualOneShot() {
        byte[] data = new byte[1000];
        new Random(7).nextBytes(data);
        long whole = Crc64.of(data);
        for (int split = 0; split <= data.length; split += 37) {
            long crc = Crc64.update(0, data, 0, split);
            crc = Crc64.update(crc, data, split, data.length - split);
            assertEquals(whole, crc, "split at " + split);
        }
    }

    @Test
    void tableDrivenMatchesBitwise() {
        byte[] data = new byte[257];
        new Random(11).nextBytes(data);
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        assertEquals(crc, Crc64.of(data));
    }
}
