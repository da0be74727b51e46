package dev.peregrine.server.diff;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dump.rdb written by a real redis-server, copied into Peregrine's {@code dir}, is loaded at start-up: every
 * key, type, value and expiry, as DEBUG DIGEST (order-independent, equal for equal data) and a few reads show.
 */
class StartupLoadTest {
    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return a;
    }

    private static String call(RawConnection c, String... args) throws IOException {
        return new String(c.call(argv(args)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void loadsADumpWrittenByRedis(@TempDir Path dir) throws Exception {
        String redisDigest;
        // encodings both versions agree on (7.0's lists and small sets differ from 7.2's, which we follow)
        String[] compared = {"hash", "bighash", "zset", "bigzset", "ints", "num", "str"};
        java.util.Map<String, String> redisEncodings = new java.util.HashMap<>();
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename", "dump.rdb",
                                                                 "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            call(r, "SET", "str", "hello");
            call(r, "SET", "num", "12345");
            call(r, "SET", "ttl", "v", "PX", "100000000");
            call(r, "RPUSH", "list", "a", "b", "3", "c");
            call(r, "HSET", "hash", "f1", "v1", "f2", "v2");
            call(r, "SADD", "ints", "1", "2", "3");
            call(r, "SADD", "set", "x", "y");
            call(r, "ZADD", "zset", "1", "one", "2.5", "two");
            call(r, "DEBUG", "POPULATE", "2000", "many");
            for (int i = 0; i < 300; i++) {
                call(r, "HSET", "bighash", "field" + i, "value" + i);
                call(r, "ZADD", "bigzset", Integer.toString(i), "m" + i);
                call(r, "RPUSH", "biglist", "element-" + i);
            }
            call(r, "SELECT", "5");
            call(r, "SET", "in-db-5", "yes");
            call(r, "SELECT", "0");
            redisDigest = call(r, "DEBUG", "DIGEST");
            for (String k : compared) {
                redisEncodings.put(k, call(r, "OBJECT", "ENCODING", k));
            }
            assertEquals("+OK\r\n", call(r, "SAVE"));
        }
        assertTrue(Files.size(dir.resolve("dump.rdb")) > 0);
        try (TestServer server = TestServer.start(c -> {
                c.set("dir", dir.toString());
                c.set("dbfilename", "dump.rdb");
                c.set("enable-debug-command", "yes");
            });
             RawConnection p = new RawConnection(server.port())) {
            assertEquals(redisDigest, call(p, "DEBUG", "DIGEST"));
            assertEquals("$5\r\nhello\r\n", call(p, "GET", "str"));
            assertEquals(":2011\r\n", call(p, "DBSIZE"));
            String ttl = call(p, "TTL", "ttl");
            assertTrue(ttl.startsWith(":") && Long.parseLong(ttl.substring(1).trim()) > 99_000, ttl);
            for (String k : compared) {
                assertEquals(redisEncodings.get(k), call(p, "OBJECT", "ENCODING", k), k);
            }
            assertEquals("$8\r\nskiplist\r\n", call(p, "OBJECT", "ENCODING", "bigzset"));
            call(p, "SELECT", "5");
            assertEquals("$3\r\nyes\r\n", call(p, "GET", "in-db-5"));
        }
    }

    @Test
    void aCorruptDumpStopsStartUpAndLoadsNothing(@TempDir Path dir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename", "dump.rdb");
             RawConnection r = new RawConnection(redis.port())) {
            call(r, "SET", "k", "v");
            call(r, "RPUSH", "l", "a", "b");
            assertEquals("+OK\r\n", call(r, "SAVE"));
        }
        Path file = dir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("dbfilename", "dump.rdb");
        }));
        String message = String.valueOf(e.getCause().getMessage());
        assertTrue(message.contains("dump.rdb") && message.contains("offset"), message);
        // a truncated file too
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertNotEquals(null, assertThrows(IllegalStateException.class, () -> TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("dbfilename", "dump.rdb");
        })).getCause());
    }
}
