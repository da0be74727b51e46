package dev.peregrine.server.command.hyperloglog;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HLL strings move between redis-server and Peregrine with GET/SET and keep their meaning: the same PFCOUNT on
 * both sides, sparse and dense, and PFMERGE / PFADD on either side produce the same bytes.
 */
class HyperLogLogCrossServerTest {
    private static RedisServerProcess redis;
    private static TestServer server;
    private Jedis real;
    private Jedis ours;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void connect() {
        real = new Jedis("127.0.0.1", redis.port());
        ours = server.jedis();
        real.flushAll();
        ours.flushAll();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] elements(SplittableRandom rnd, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "el:" + rnd.nextInt(1_000_000);
        }
        return out;
    }

    @Test
    void valuesWrittenByRedisCountTheSameHere() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int size : new int[] {1, 10, 100, 1000, 5000, 50000}) {
            String key = "h" + size;
            String[] els = elements(rnd, size);
            for (int i = 0; i < els.length; i += 1000) {
                real.pfadd(key, java.util.Arrays.copyOfRange(els, i, Math.min(els.length, i + 1000)));
            }
            byte[] value = real.get(b(key));
            ours.set(b(key), value);
            assertEquals(real.pfcount(key), ours.pfcount(key), "size " + size);
            assertArrayEquals(real.get(b(key)), ours.get(b(key)), "cached cardinality bytes, size " + size);
            // adding more on both sides keeps the bytes equal (sparse edits and promotion alike)
            String[] more = elements(rnd, 50);
            assertEquals(real.pfadd(key, more), ours.pfadd(key, more));
            assertArrayEquals(real.get(b(key)), ours.get(b(key)), "after PFADD, size " + size);
        }
    }

    @Test
    void valuesWrittenHereCountTheSameInRedis() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int size : new int[] {3, 300, 3000, 30000}) {
            String key = "p" + size;
            String[] els = elements(rnd, size);
            for (int i = 0; i < els.length; i += 1000) {
                ours.pfadd(key, java.util.Arrays.copyOfRange(els, i, Math.min(els.length, i + 1000)));
            }
            real.set(b(key), ours.get(b(key)));
            assertEquals(ours.pfcount(key), real.pfcount(key), "size " + size);
            assertEquals(ours.pfcount(key, "p3"), real.pfcount(key, "p3"));
        }
    }

    @Test
    void pfmergeGivesTheSameBytes() {
        SplittableRandom rnd = new SplittableRandom(3);
        String[] keys = {"a", "b", "c"};
        int[] sizes = {20, 200, 20000};
        for (int k = 0; k < keys.length; k++) {
            String[] els = elements(rnd, sizes[k]);
            real.pfadd(keys[k], els);
            ours.set(b(keys[k]), real.get(b(keys[k])));
        }
        for (String[] merge : new String[][] {{"m1", "a"}, {"m2", "a", "b"}, {"m3", "b", "c"}, {"a", "b"}}) {
            String[] sources = java.util.Arrays.copyOfRange(merge, 1, merge.length);
            real.pfmerge(merge[0], sources);
            ours.pfmerge(merge[0], sources);
            assertArrayEquals(real.get(b(merge[0])), ours.get(b(merge[0])), String.join(" ", merge));
            assertEquals(real.pfcount(merge[0]), ours.pfcount(merge[0]));
        }
        assertEquals(real.pfcount("a", "b", "c", "m3"), ours.pfcount("a", "b", "c", "m3"));
    }
}
