package dev.peregrine.replication;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationBacklogTest {
    @Test
    void servesEveryCoveredOffsetAfterRandomAppends() {
        Random rnd = new Random(3);
        for (int capacity : new int[] {1, 7, 64, 1000}) {
            ReplicationBacklog backlog = new ReplicationBacklog(capacity, 100);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int round = 0; round < 200; round++) {
                byte[] chunk = new byte[rnd.nextInt(capacity * 2 + 1)];
                rnd.nextBytes(chunk);
                backlog.append(chunk, 0, chunk.length);
                stream.write(chunk, 0, chunk.length);
                byte[] all = stream.toByteArray();
                assertEquals(100 + all.length, backlog.endOffset());
                assertEquals(Math.min(capacity, all.length), backlog.length());
                long from = backlog.startOffset() + rnd.nextInt(backlog.length() + 1);
                byte[] expected = Arrays.copyOfRange(all, (int) (from - 100), all.length);
                assertArrayEquals(expected, backlog.copyFrom(from), "capacity " + capacity + " round " + round);
            }
        }
    }

    @Test
    void refusesOffsetsOutsideTheBacklog() {
        ReplicationBacklog backlog = new ReplicationBacklog(4, 0);
        backlog.append(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6);
        assertTrue(backlog.covers(2));
        assertTrue(backlog.covers(6));
        assertFalse(backlog.covers(1));
        assertFalse(backlog.covers(7));
        assertArrayEquals(new byte[] {3, 4, 5, 6}, backlog.copyFrom(2));
        assertArrayEquals(new byte[0], backlog.copyFrom(6));
        assertThrows(IllegalArgumentException.class, () -> backlog.copyFrom(1));
    }
}
