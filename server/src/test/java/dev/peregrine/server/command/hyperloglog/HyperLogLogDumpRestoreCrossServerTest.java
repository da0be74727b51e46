package dev.peregrine.server.command.hyperloglog;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.params.RestoreParams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HyperLogLogs (sparse and dense) and bitmaps (SETBIT, BITFIELD) built on one server travel to the other through
 * DUMP / RESTORE, both ways between redis-server and Peregrine, and keep their meaning: the same GET bytes, BITCOUNT,
 * DEBUG DIGEST-VALUE and, for HLLs, PFCOUNT (compared after PFCOUNT on both sides, since it rewrites the cached
 * cardinality) and the same bytes after further PFADDs on both sides.
 */
class HyperLogLogDumpRestoreCrossServerTest {
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);
    private static RedisServerProcess redis;
    private static TestServer server;
    private Jedis real;
    private Jedis ours;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start("--enable-debug-command", "yes");
        server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
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

    /** The HLL keys built on {@code j}: sparse, dense, promoted by PFADD, and merged (always dense). */
    private static List<String> buildHlls(Jedis j, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> keys = new ArrayList<>();
        int[] sizes = {1, 40, 900, 3000, 20000};
        for (int size : sizes) {
            String key = "hll:" + size;
            String[] els = elements(rnd, size);
            for (int i = 0; i < els.length; i += 1000) {
                j.pfadd(key, java.util.Arrays.copyOfRange(els, i, Math.min(els.length, i + 1000)));
            }
            keys.add(key);
        }
        j.pfadd("hll:empty");
        keys.add("hll:empty");
        j.pfmerge("hll:merged", "hll:40", "hll:900");
        keys.add("hll:merged");
        return keys;
    }

    /** The bitmap keys built on {@code j}: SETBIT at small and far offsets, BITFIELD writes, a digit-only value. */
    private static List<String> buildBitmaps(Jedis j, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            j.setbit("bm:small", rnd.nextInt(64), true);
        }
        keys.add("bm:small");
        // far offsets: a long, mostly zero value (compressed in the dump payload)
        for (int i = 0; i < 50; i++) {
            j.setbit("bm:far", rnd.nextInt(200_000), rnd.nextBoolean());
        }
        j.setbit("bm:far", 199_999, true);
        keys.add("bm:far");
        for (int i = 0; i < 40; i++) {
            j.sendCommand(Protocol.Command.BITFIELD, "bm:field", "OVERFLOW", "WRAP", "INCRBY",
                    rnd.nextBoolean() ? "i8" : "u13", "#" + rnd.nextInt(200), Integer.toString(rnd.nextInt(-300, 300)),
                    "SET", "i32", Integer.toString(rnd.nextInt(0, 5000)), Integer.toString(rnd.nextInt()));
        }
        keys.add("bm:field");
        // bits spelling "12345": a value that the dump may write as an integer
        for (int bit = 0; bit < 40; bit++) {
            if (("12345".charAt(bit / 8) >> (7 - bit % 8) & 1) == 1) {
                j.setbit("bm:digits", bit, true);
            }
        }
        keys.add("bm:digits");
        for (int i = 0; i < 8; i++) {
            j.setbit("bm:allones", i, true); // 0xff: not valid UTF-8, kept as raw bytes
        }
        keys.add("bm:allones");
        return keys;
    }

    private static Object digest(Jedis j, String key) {
        Object reply = j.sendCommand(DEBUG, b("DIGEST-VALUE"), b(key));
        assertTrue(reply instanceof List<?> && ((List<?>) reply).size() == 1, String.valueOf(reply));
        return new String((byte[]) ((List<?>) reply).get(0), StandardCharsets.US_ASCII);
    }

    /** DUMP each key on {@code from}, RESTORE it on {@code to}, and compare what both servers say about it. */
    private static void transferAndCompare(Jedis from, Jedis to, List<String> keys, boolean hll, String direction) {
        for (String key : keys) {
            String what = direction + " " + key;
            byte[] payload = from.dump(b(key));
            assertNotNull(payload, what);
            assertEquals("OK", to.restore(b(key), 0, payload, RestoreParams.restoreParams().replace()), what);
            assertArrayEquals(from.get(b(key)), to.get(b(key)), what + " GET");
            assertEquals(from.bitcount(key), to.bitcount(key), what + " BITCOUNT");
            assertEquals(digest(from, key), digest(to, key), what + " DIGEST-VALUE");
            // and back: the restored value dumps to a payload the first server restores to the same bytes
            byte[] back = to.dump(b(key));
            assertEquals("OK", from.restore(b(key + ":back"), 0, back), what + " restore back");
            assertArrayEquals(from.get(b(key)), from.get(b(key + ":back")), what + " round trip");
            if (hll) {
                assertEquals(from.pfcount(key), to.pfcount(key), what + " PFCOUNT");
                assertArrayEquals(from.get(b(key)), to.get(b(key)), what + " GET after PFCOUNT");
                String[] more = elements(new SplittableRandom(key.hashCode()), 300);
                assertEquals(from.pfadd(key, more), to.pfadd(key, more), what + " PFADD");
                assertArrayEquals(from.get(b(key)), to.get(b(key)), what + " GET after PFADD");
                assertEquals(from.pfcount(key), to.pfcount(key), what + " PFCOUNT after PFADD");
                assertEquals(digest(from, key), digest(to, key), what + " DIGEST-VALUE after PFADD");
            }
        }
    }

    @Test
    void hllsDumpedByRedisRestoreHere() {
        transferAndCompare(real, ours, buildHlls(real, 1), true, "redis->peregrine");
    }

    @Test
    void hllsDumpedHereRestoreInRedis() {
        transferAndCompare(ours, real, buildHlls(ours, 2), true, "peregrine->redis");
    }

    @Test
    void bitmapsDumpedByRedisRestoreHere() {
        transferAndCompare(real, ours, buildBitmaps(real, 3), false, "redis->peregrine");
    }

    @Test
    void bitmapsDumpedHereRestoreInRedis() {
        transferAndCompare(ours, real, buildBitmaps(ours, 4), false, "peregrine->redis");
    }

    @Test
    void bothServersBuildTheSameValues() {
        List<String> hlls = buildHlls(real, 5);
        buildHlls(ours, 5);
        List<String> bitmaps = buildBitmaps(real, 6);
        buildBitmaps(ours, 6);
        List<String> all = new ArrayList<>(hlls);
        all.addAll(bitmaps);
        for (String key : all) {
            assertArrayEquals(real.get(b(key)), ours.get(b(key)), key);
            assertEquals(digest(real, key), digest(ours, key), key);
        }
    }
}
