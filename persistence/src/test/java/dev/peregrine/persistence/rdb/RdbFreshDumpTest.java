package dev.peregrine.persistence.rdb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Dumps written by a real redis-server (7.0 on this machine: RDB v10) holding every type in the encodings it
 * writes, loaded by our reader and loader and compared with what the server returns; then the same dump truncated
 * at many offsets and with flipped bits, which must always be refused with an {@link RdbFormatException}.
 */
class RdbFreshDumpTest {
    private static Path dir;
    private static RedisProcess redis;
    /** Keys with an expiry, across databases. */
    private static int volatileKeys;

    @BeforeAll
    static void start() throws Exception {
        if (!RedisProcess.available()) {
            assertFalse("true".equals(System.getenv("CI")), "redis-server missing");
            Assumptions.abort("no redis-server");
        }
        dir = Files.createTempDirectory("rdb-fresh");
        redis = RedisProcess.start(dir, "dump.rdb", null, "--enable-debug-command", "yes",
                                   "--list-compress-depth", "1");
        assertNotNull(redis);
        populate(redis);
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void populate(RedisProcess r) throws IOException {
        Random rnd = new Random(42);
        r.ok("SELECT", 0);
        r.ok("SET", "int8", "100");
        r.ok("SET", "int16", "-3000");
        r.ok("SET", "int32", "2000000000");
        r.ok("SET", "int64", "1099511627776");
        r.ok("SET", "short", "hello");
        r.ok("SET", "empty", "");
        r.ok("SET", "compressible", "abcdefgh".repeat(1000));
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        r.ok("SET", "binary", binary);
        byte[] noise = new byte[3000];
        rnd.nextBytes(noise);
        r.ok("SET", "incompressible", noise);
        r.ok("SET", "ttl-ms", "v", "PX", "1000000");
        r.ok("SET", "ttl-s", "v", "EX", "2000000");
        volatileKeys += 2;
        r.ok("RPUSH", "lsmall", "a", "1", "-5", "300", "70000", "-8000000", "5000000000", "-1", "string");
        for (int i = 0; i < 5000; i++) {
            r.ok("RPUSH", "lbig", i % 3 == 0 ? "element-" + i + "-" + "x".repeat(i % 50) : String.valueOf(i * 7919L));
        }
        r.ok("HSET", "hsmall", "f1", "v1", "f2", "2", "f3", "-300", "f4", "");
        for (int i = 0; i < 1000; i++) {
            r.ok("HSET", "hbig", "field:" + i, i % 2 == 0 ? String.valueOf(i) : "value-" + i);
        }
        r.ok("HSET", "hlongvalue", "f", "y".repeat(200));
        r.ok("SADD", "sint", "1", "2", "3", "-100", "70000", "1099511627776");
        r.ok("SADD", "sint16", "1", "2", "3");
        r.ok("SADD", "sstr", "a", "b", "c");
        for (int i = 0; i < 1000; i++) {
            r.ok("SADD", "sbig", "member:" + i);
        }
        r.ok("PEXPIRE", "lsmall", "5000000");
        volatileKeys++;

        r.ok("SELECT", 1);
        r.ok("SET", "k", "db1");
        r.ok("RPUSH", "l", "x", "y");
        r.ok("PEXPIRE", "l", "3000000");
        r.ok("HSET", "h", "a", "b");
        r.ok("EXPIRE", "h", "4000");
        volatileKeys += 2;

        r.ok("SELECT", 2);
        r.ok("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000");
        r.ok("RPUSH", "lplain", "small", "p".repeat(2000), "tiny", "q".repeat(3000), "r".repeat(1500));
        r.ok("SADD", "s", "1", "x");
        r.ok("PEXPIRE", "s", "7000000");
        volatileKeys++;

        r.ok("SELECT", 15);
        r.ok("SET", "last", "db15");
        r.ok("SELECT", 0);
    }

    private static void addZsets(RedisProcess r) throws IOException {
        r.ok("SELECT", 3);
        r.ok("ZADD", "zsmall", "1", "a", "-2.5", "b", "inf", "c", "-inf", "d", "3.141592653589793", "e");
        for (int i = 0; i < 300; i++) {
            r.ok("ZADD", "zbig", String.valueOf(i * 0.1), "m" + i);
        }
        r.ok("SELECT", 0);
    }

    private static byte[] save(RedisProcess r) throws IOException {
        r.ok("SAVE");
        return Files.readAllBytes(dir.resolve("dump.rdb"));
    }

    private static RdbLoader.Result load(byte[] file, long now) throws IOException {
        return new RdbLoader(RdbLoader.Options.DEFAULTS, now, 0).load(new ByteArrayInputStream(file));
    }

    @Test
    void everyTypeMatchesTheServer() throws Exception {
        byte[] file = save(redis);
        Keyspace expected = Keyspace.ofRedis(redis);
        long now = System.currentTimeMillis();
        assertEquals(expected.toString(), Keyspace.ofReader(file, now).toString());
        RdbLoader.Result res = load(file, now);
        assertEquals(expected.toString(), Keyspace.ofDatabases(res.databases()).toString());
        assertTrue(res.checksumVerified());
        assertEquals(expected.keys.size(), res.keysLoaded());
        assertEquals("hashtable", encoding(res, 0, "hbig"));
        assertEquals("listpack", encoding(res, 0, "hsmall"));
        assertEquals("hashtable", encoding(res, 0, "hlongvalue"));
        assertEquals("intset", encoding(res, 0, "sint"));
        assertEquals("hashtable", encoding(res, 0, "sbig"));
        assertEquals("quicklist", encoding(res, 0, "lbig"));
        assertEquals("listpack", encoding(res, 0, "lsmall"));
        assertEquals("int", encoding(res, 0, "int32"));
        assertTrue(res.aux().containsKey("redis-ver"), res.aux().toString());
    }

    private static String encoding(RdbLoader.Result res, int db, String key) {
        return dev.peregrine.storage.Entry.encoding(res.databases()[db].peek(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void zsetsLoadAsRedisHasThem() throws Exception {
        try (RedisProcess r = RedisProcess.start(dir, "z.rdb", null)) {
            addZsets(r);
            r.ok("SAVE");
            byte[] file = Files.readAllBytes(dir.resolve("z.rdb"));
            assertEquals(Keyspace.ofRedis(r).toString(), Keyspace.ofReader(file, System.currentTimeMillis())
                    .toString());
            RdbLoader.Result res = load(file, 0);
            assertEquals(Keyspace.ofRedis(r).toString(), Keyspace.ofDatabases(res.databases()).toString());
        }
    }

    @Test
    void keysExpiredAtLoadTimeAreSkipped() throws Exception {
        byte[] file = save(redis);
        RdbLoader.Result all = load(file, 0);
        RdbLoader.Result later = load(file, Long.MAX_VALUE / 2);
        assertEquals(volatileKeys, later.expiredSkipped());
        assertEquals(all.keysLoaded() - volatileKeys, later.keysLoaded());
        assertEquals(null, later.databases()[0].peek("ttl-ms".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        byte[] file = save(redis);
        int step = Math.max(1, file.length / 3000);
        for (int len = 0; len < file.length; len += len < 2000 ? 1 : step) {
            assertRefused(Arrays.copyOf(file, len), "truncated at " + len);
        }
        for (int len = file.length - 20; len < file.length; len++) {
            assertRefused(Arrays.copyOf(file, len), "truncated at " + len);
        }
    }

    @Test
    void flippedBitsAreRefusedByTheChecksum() throws Exception {
        byte[] file = save(redis);
        Random rnd = new Random(7);
        for (int i = 0; i < 1500; i++) {
            byte[] copy = file.clone();
            int at = i < 500 ? i % file.length : rnd.nextInt(file.length);
            copy[at] ^= (byte) (1 << rnd.nextInt(8));
            assertRefused(copy, "bit flipped at " + at);
        }
    }

    @Test
    void flippedBitsWithoutChecksumNeverCrash() throws Exception {
        // a zero checksum is what rdbchecksum=no writes (immutable at run time, so zero it here)
        byte[] file = save(redis);
        Arrays.fill(file, file.length - 8, file.length, (byte) 0);
        assertFalse(load(file, 0).checksumVerified());
        Random rnd = new Random(11);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] copy = file.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                copy[rnd.nextInt(file.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                load(copy, 0);
            } catch (RdbFormatException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("RDB error"), e.getMessage());
            } catch (Throwable t) {
                fail("not an RdbFormatException", t);
            }
        }
        assertTrue(refused > 0);
    }

    private static void assertRefused(byte[] copy, String what) {
        try {
            load(copy, 0);
            fail(what + ": loaded");
        } catch (RdbFormatException e) {
            assertTrue(e.getMessage().startsWith("RDB error"), e.getMessage());
        } catch (Throwable t) {
            fail(what + ": not an RdbFormatException", t);
        }
    }
}
