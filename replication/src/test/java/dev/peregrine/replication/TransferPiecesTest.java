package dev.peregrine.replication;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferPiecesTest {

    @Test
    void eofWindowReleasesPayloadOnlyWhateverTheChunking() {
        byte[] mark = ReplicationIds.random().getBytes(StandardCharsets.US_ASCII);
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] payload = new byte[r.nextInt(300)];
            r.nextBytes(payload);
            byte[] all = new byte[payload.length + mark.length];
            System.arraycopy(payload, 0, all, 0, payload.length);
            System.arraycopy(mark, 0, all, payload.length, mark.length);
            EofMarkWindow w = new EofMarkWindow(mark);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int p = 0;
            boolean done = false;
            while (p < all.length) {
                int n = Math.min(all.length - p, 1 + r.nextInt(60));
                done = w.offer(all, p, n, out::write);
                p += n;
                if (p < all.length) {
                    // a payload that happens to end in the mark before the true end would stop early, as in Redis
                    assertFalse(done && p < all.length && !endsWithMark(all, p, mark));
                }
            }
            assertTrue(done);
            assertArrayEquals(payload, out.toByteArray());
        }
    }

    private static boolean endsWithMark(byte[] b, int end, byte[] mark) {
        if (end < mark.length) {
            return false;
        }
        for (int i = 0; i < mark.length; i++) {
            if (b[end - mark.length + i] != mark[i]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void respEncodingIsTheMultiBulkForm() {
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n0123456789\r\n",
                     new String(RespCommands.encode("SET", "k", "0123456789"), StandardCharsets.US_ASCII));
        byte[][] argv = {new byte[0], new byte[123]};
        assertEquals(RespCommands.encode(argv).length, RespCommands.size(argv));
    }

    @Test
    void pipeDeliversBytesInOrderThenEndOrFailure() throws Exception {
        ChunkPipe pipe = new ChunkPipe(0);
        int[] drained = {0};
        pipe.onDrain(() -> drained[0]++);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                byte[] b = new byte[i];
                java.util.Arrays.fill(b, (byte) i);
                pipe.write(b, 0, b.length);
            }
            pipe.finish();
        });
        writer.start();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[17];
        int n;
        while ((n = pipe.read(buf, 0, buf.length)) > 0) {
            got.write(buf, 0, n);
        }
        writer.join();
        byte[] g = got.toByteArray();
        assertEquals(99 * 100 / 2, g.length);
        int p = 0;
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals((byte) i, g[p++]);
            }
        }
        assertEquals(0, pipe.pendingBytes());
        assertTrue(drained[0] > 0);

        ChunkPipe failing = new ChunkPipe(0);
        failing.write(new byte[] {1, 2}, 0, 2);
        failing.fail("link lost");
        assertEquals(1, failing.read());
        assertEquals(2, failing.read());
        IOException e = assertThrows(IOException.class, failing::read);
        assertEquals("link lost", e.getMessage());
    }
}
