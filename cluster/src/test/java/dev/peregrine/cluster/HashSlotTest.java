package dev.peregrine.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HashSlotTest {
    private static int slot(String key) {
        return HashSlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crc16MatchesTheXmodemCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, HashSlot.crc16(check, 0, check.length));
    }

    @Test
    void slotsMatchRedisClusterKeyslot() {
        // values answered by CLUSTER KEYSLOT on redis-server
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(0, slot(""));
    }

    @Test
    void hashTagsSelectTheTaggedPart() {
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("user1000"), slot("{user1000}.followers"));
        assertEquals(slot("{}user"), HashSlot.crc16("{}user".getBytes(StandardCharsets.UTF_8), 0, 6) & 16383);
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(slot("foo{{bar}}zap"), slot("{bar"));
    }
}
