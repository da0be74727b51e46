package dev.peregrine.server.diff;

import dev.peregrine.persistence.Crc64;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our RDB writer against a real redis-server (7.0 here, which refuses RDB files and DUMP payloads newer than
 * version 10): a file Peregrine SAVEs, holding every type in every encoding, small and large, loads in
 * redis-server with the same DEBUG DIGEST, values and TTLs; DUMP payloads travel both ways (redis-server to
 * Peregrine and back) with equal DEBUG DIGEST-VALUE (scores are chosen so that 7.0's "%.17g" digest text equals
 * 7.2's shortest form); bad payloads and bad RESTORE arguments get the same replies
 * from both servers.
 */
class RdbInteropTest {
    private static final byte[] LARGE = new byte[20_000];
    private static final byte[] NOISE = new byte[3000];

    static {
        Arrays.fill(LARGE, (byte) 'L');
        new Random(11).nextBytes(NOISE);
    }

    static byte[][] argv(Object... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof byte[] b ? b : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        return a;
    }

    static String call(RawConnection c, Object... args) throws IOException {
        return new String(c.call(argv(args)), StandardCharsets.ISO_8859_1);
    }

    /** The content of a bulk reply; fails on anything else. */
    static byte[] bulk(RawConnection c, Object... args) throws IOException {
        byte[] r = c.call(argv(args));
        assertEquals('$', r[0], () -> "not a bulk: " + RawConnection.escape(r));
        int crlf = 1;
        while (r[crlf] != '\r') {
            crlf++;
        }
        int len = Integer.parseInt(new String(r, 1, crlf - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(r, crlf + 2, crlf + 2 + len);
    }

    /** Every type and encoding, small and large, some keys with a TTL, two databases. Returns the db-0 keys. */
    static List<String> populate(RawConnection c) throws IOException {
        List<String> keys = new ArrayList<>();
        call(c, "SELECT", 0);
        call(c, "SET", "s:int", "12345");
        call(c, "SET", "s:neg", "-5");
        call(c, "SET", "s:int64", "1099511627776");
        call(c, "SET", "s:str", "hello");
        call(c, "SET", "s:empty", "");
        call(c, "SET", "s:embstr", "x".repeat(40));
        call(c, "SET", "s:compressible", "abcdefgh".repeat(1000));
        call(c, "SET", "s:noise", NOISE);
        call(c, "SET", "s:large", LARGE);
        call(c, "SET", "s:ttl", "v", "PX", "100000000");
        call(c, "RPUSH", "l:small", "a", "b", "3", "-4000", "c");
        for (int i = 0; i < 2000; i += 100) {
            Object[] cmd = new Object[102];
            cmd[0] = "RPUSH";
            cmd[1] = "l:big";
            for (int j = 0; j < 100; j++) {
                cmd[2 + j] = (i + j) % 3 == 0 ? Integer.toString((i + j) * 7919) : "element-" + (i + j);
            }
            call(c, cmd);
        }
        call(c, "RPUSH", "l:plain", "head", LARGE, "tail");
        call(c, "HSET", "h:small", "f1", "v1", "42", "-7", "empty", "");
        for (int i = 0; i < 300; i++) {
            call(c, "HSET", "h:big", "field" + i, i % 2 == 0 ? Integer.toString(i) : "value" + i);
        }
        call(c, "HSET", "h:longval", "f", "v".repeat(100));
        call(c, "SADD", "set:ints", "1", "2", "3", "-70000", "9223372036854775807");
        call(c, "SADD", "set:strs", "x", "y", "12");
        call(c, "SADD", "set:mixed", "1", "2", "3", "x");
        call(c, "SREM", "set:mixed", "x");
        for (int i = 0; i < 1000; i += 100) {
            Object[] a = new Object[102];
            Object[] b = new Object[102];
            a[0] = b[0] = "SADD";
            a[1] = "set:big";
            b[1] = "set:bigints";
            for (int j = 0; j < 100; j++) {
                a[2 + j] = "member" + (i + j);
                b[2 + j] = Integer.toString((i + j) * 3);
            }
            call(c, a);
            call(c, b);
        }
        call(c, "ZADD", "z:small", "1", "one", "2.5", "two", "0", "zero", "inf", "top", "-inf", "bottom",
             "-0.125", "neg", "1048576.5", "big", "0.375", "frac");
        for (int i = 0; i < 300; i++) {
            call(c, "ZADD", "z:big", i % 7 == 0 ? Integer.toString(i) : Double.toString(i / 4.0), "m" + i);
        }
        call(c, "ZADD", "z:longmember", "5", "m".repeat(100));
        call(c, "EXPIRE", "l:small", "100000");
        call(c, "PEXPIRE", "h:big", "200000000");
        call(c, "EXPIRE", "z:big", "300000");
        @SuppressWarnings("unused")
        String r = call(c, "SELECT", 5);
        call(c, "SET", "in5", "five");
        call(c, "SADD", "set5", "a");
        call(c, "SELECT", 0);
        for (String k : new String[] {"s:int", "s:neg", "s:int64", "s:str", "s:empty", "s:embstr", "s:compressible",
                                      "s:noise", "s:large", "s:ttl", "l:small", "l:big", "l:plain", "h:small",
                                      "h:big", "h:longval", "set:ints", "set:strs", "set:mixed", "set:big",
                                      "set:bigints", "z:small", "z:big", "z:longmember"}) {
            keys.add(k);
        }
        return keys;
    }

    @Test
    void redisServerLoadsWhatPeregrineSaves(@TempDir Path dir) throws Exception {
        String digest;
        List<String> keys;
        List<String> valueDigests = new ArrayList<>();
        try (TestServer server = TestServer.start(c -> {
                c.set("dir", dir.toString());
                c.set("dbfilename", "peregrine.rdb");
                c.set("enable-debug-command", "yes");
                c.set("list-compress-depth", "1");
            });
             RawConnection p = new RawConnection(server.port())) {
            keys = populate(p);
            assertEquals("$9\r\nquicklist\r\n", call(p, "OBJECT", "ENCODING", "l:big"));
            assertEquals("$8\r\nlistpack\r\n", call(p, "OBJECT", "ENCODING", "set:mixed"));
            digest = call(p, "DEBUG", "DIGEST");
            for (String k : keys) {
                valueDigests.add(call(p, "DEBUG", "DIGEST-VALUE", k));
            }
            assertEquals("+OK\r\n", call(p, "SAVE"));
        }
        assertTrue(Files.size(dir.resolve("peregrine.rdb")) > 0);
        try (Stream files = new Stream(dir)) {
            assertEquals(List.of("peregrine.rdb"), files.names(), "no temp file left behind");
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename",
                                                                 "peregrine.rdb", "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(valueDigests.get(i), call(r, "DEBUG", "DIGEST-VALUE", keys.get(i)), keys.get(i));
            }
            assertEquals(":" + keys.size() + "\r\n", call(r, "DBSIZE"));
            assertEquals(digest, call(r, "DEBUG", "DIGEST"));
            assertEquals("$5\r\nhello\r\n", call(r, "GET", "s:str"));
            assertArrayEquals(NOISE, bulk(r, "GET", "s:noise"));
            assertArrayEquals(LARGE, bulk(r, "LINDEX", "l:plain", "1"));
            assertEquals("$5\r\n-4000\r\n", call(r, "LINDEX", "l:small", "3"));
            assertEquals("$3\r\ninf\r\n", call(r, "ZSCORE", "z:small", "top"));
            assertTrue(ttl(r, "PTTL", "s:ttl") > 99_000_000L);
            assertTrue(ttl(r, "TTL", "l:small") > 99_000L);
            assertTrue(ttl(r, "PTTL", "h:big") > 199_000_000L);
            assertEquals("$6\r\nintset\r\n", call(r, "OBJECT", "ENCODING", "set:mixed"));
            call(r, "SELECT", 5);
            assertEquals("$4\r\nfive\r\n", call(r, "GET", "in5"));
        }
    }

    private static long ttl(RawConnection c, String cmd, String key) throws IOException {
        String s = call(c, cmd, key);
        return Long.parseLong(s.substring(1).trim());
    }

    /** The names of the files in a directory. */
    private static final class Stream implements AutoCloseable {
        private final java.util.stream.Stream<Path> list;

        Stream(Path dir) throws IOException {
            list = Files.list(dir);
        }

        List<String> names() {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }

        @Override
        public void close() {
            list.close();
        }
    }

    @Test
    void dumpPayloadsTravelBothWaysForEveryType() throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
             RawConnection p = new RawConnection(server.port());
             RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            List<String> keys = populate(r);
            for (String k : keys) {
                byte[] fromRedis = bulk(r, "DUMP", k);
                long pttl = Math.max(0, ttl(r, "PTTL", k));
                assertEquals("+OK\r\n", call(p, "RESTORE", k, pttl, fromRedis), k);
                String redisDigest = call(r, "DEBUG", "DIGEST-VALUE", k);
                assertEquals(redisDigest, call(p, "DEBUG", "DIGEST-VALUE", k), k);
                byte[] fromUs = bulk(p, "DUMP", k);
                assertEquals(10, fromUs[fromUs.length - 10], "payload version");
                assertEquals("+OK\r\n", call(r, "RESTORE", "back:" + k, pttl, fromUs), k);
                assertEquals(redisDigest, call(r, "DEBUG", "DIGEST-VALUE", "back:" + k), k);
                assertEquals(call(r, "TYPE", k), call(p, "TYPE", k));
            }
            // rdbcompression off: payloads stay loadable
            call(p, "CONFIG", "SET", "rdbcompression", "no");
            byte[] plain = bulk(p, "DUMP", "s:compressible");
            assertTrue(plain.length > 8000);
            assertEquals("+OK\r\n", call(r, "RESTORE", "plain", 0, plain));
            assertEquals(call(r, "DEBUG", "DIGEST-VALUE", "s:compressible").substring(0, 20),
                         call(r, "DEBUG", "DIGEST-VALUE", "plain").substring(0, 20));
            assertEquals("$-1\r\n", call(p, "DUMP", "nosuchkey"));
        }
    }

    @Test
    void debugObjectReportsTheSerializedLengthOfEveryType() throws Exception {
        // without compression: our LZF blocks differ in length from liblzf's by a few bytes
        try (TestServer server = TestServer.start(c -> {
                c.set("enable-debug-command", "yes");
                c.set("rdbcompression", "no");
            });
             RawConnection p = new RawConnection(server.port());
             RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                                                                 "--rdbcompression", "no");
             RawConnection r = new RawConnection(redis.port())) {
            for (RawConnection c : new RawConnection[] {p, r}) {
                call(c, "RPUSH", "l", "a", "b", "3", "-4000");
                call(c, "HSET", "h", "f", "v", "42", "-7");
                call(c, "SADD", "ints", "3", "1", "2", "100000");
                call(c, "ZADD", "z", "1", "a", "2.5", "b");
                for (int i = 0; i < 600; i++) {
                    call(c, "ZADD", "bigz", Integer.toString(i), "member:" + i);
                    call(c, "HSET", "bigh", "field:" + i, "value:" + i);
                    call(c, "HSET", "lph", "f" + (i % 200), "value:" + i);
                    call(c, "RPUSH", "bigl", "element:" + i);
                }
            }
            for (String k : new String[] {"l", "h", "ints", "z", "bigz", "bigh", "lph", "bigl"}) {
                assertEquals(serializedLength(call(r, "DEBUG", "OBJECT", k)),
                             serializedLength(call(p, "DEBUG", "OBJECT", k)), k);
            }
        }
    }

    private static String serializedLength(String debugObject) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("serializedlength:(\\d+)").matcher(debugObject);
        assertTrue(m.find(), debugObject);
        return m.group(1);
    }

    /** A payload body with a correct footer for {@code version}. */
    static byte[] payload(byte[] body, int version) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = (byte) version;
        p[body.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    @Test
    void restoreAcceptsARedis72PayloadWithASetListpack() throws Exception {
        // type 20 (SET_LISTPACK, RDB 11), a listpack of "a", "b", "7"
        byte[] lp = {15, 0, 0, 0, 3, 0, (byte) 0x81, 'a', 2, (byte) 0x81, 'b', 2, 7, 1, (byte) 0xFF};
        byte[] body = new byte[2 + lp.length];
        body[0] = 20;
        body[1] = (byte) lp.length;
        System.arraycopy(lp, 0, body, 2, lp.length);
        try (TestServer server = TestServer.start();
             RawConnection p = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", call(p, "RESTORE", "s", 0, payload(body, 11)));
            assertEquals(":3\r\n", call(p, "SCARD", "s"));
            assertEquals(":1\r\n", call(p, "SISMEMBER", "s", "7"));
            assertEquals("-ERR DUMP payload version or checksum are wrong\r\n",
                         call(p, "RESTORE", "s2", 0, payload(body, 12)));
        }
    }

    @Test
    void badPayloadsAndArgumentsGetRedisReplies() throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
             RawConnection p = new RawConnection(server.port());
             RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            call(r, "RPUSH", "src", "a", "b", "c");
            call(r, "SET", "taken", "x");
            call(p, "SET", "taken", "x");
            byte[] good = bulk(r, "DUMP", "src");
            byte[] flipped = good.clone();
            flipped[3] ^= 1;
            byte[] badCrc = good.clone();
            badCrc[badCrc.length - 1] ^= 1;
            byte[] junk = payload(new byte[] {99, 1, 2, 3}, 10);
            byte[] truncatedBody = payload(Arrays.copyOf(good, good.length - 14), 10);
            byte[] emptyList = payload(new byte[] {18, 0}, 10);
            byte[] stream = payload(new byte[] {15, 0}, 10);
            Object[][] cases = {
                {"RESTORE", "k1", 0, good, "FOO"},
                {"RESTORE", "k1", 0, good, "IDLETIME"},
                {"RESTORE", "k1", 0, good, "IDLETIME", "-1"},
                {"RESTORE", "k1", 0, good, "IDLETIME", "x"},
                {"RESTORE", "k1", 0, good, "FREQ", "256"},
                {"RESTORE", "k1", 0, good, "FREQ", "-1"},
                {"RESTORE", "k1", 0, good, "IDLETIME", "5", "FREQ", "5"},
                {"RESTORE", "taken", 0, good},
                {"RESTORE", "taken", "-1", good},
                {"RESTORE", "k1", "-1", good},
                {"RESTORE", "k1", "abc", good},
                {"RESTORE", "k1", 0, "short"},
                {"RESTORE", "k1", 0, ""},
                {"RESTORE", "k1", 0, flipped},
                {"RESTORE", "k1", 0, badCrc},
                {"RESTORE", "k1", 0, payload(Arrays.copyOf(good, good.length - 10), 12)},
                {"RESTORE", "k1", 0, junk},
                {"RESTORE", "k1", 0, truncatedBody},
                {"RESTORE", "k1", 0, emptyList},
                {"RESTORE", "k1", 0, stream},
                {"RESTORE", "k1"},
                {"DUMP"},
                {"DUMP", "a", "b"},
                {"RESTORE", "k2", 0, good, "REPLACE", "ABSTTL"},
                {"RESTORE", "k2", 0, good},
                {"RESTORE", "k2", 0, good, "REPLACE"},
                {"RESTORE", "k3", "1", good, "ABSTTL"},
                {"EXISTS", "k3"},
                {"RESTORE", "k2", "1", good, "REPLACE", "ABSTTL"},
                {"EXISTS", "k2"},
                {"RESTORE", "k4", "100000", good},
                {"LRANGE", "k4", 0, -1},
                {"RESTORE", "taken", 0, good, "REPLACE", "IDLETIME", "1000"},
                {"OBJECT", "IDLETIME", "taken"},
                {"TYPE", "taken"},
            };
            for (Object[] cmd : cases) {
                String expected = call(r, cmd);
                String actual = call(p, cmd);
                String what = Arrays.deepToString(cmd).substring(0, Math.min(80, Arrays.deepToString(cmd).length()));
                if (cmd[0].equals("OBJECT")) {
                    long idle = Long.parseLong(actual.substring(1).trim());
                    assertTrue(idle >= 1000 && idle < 1010, what + " -> " + actual);
                    assertEquals(expected.charAt(0), actual.charAt(0));
                    continue;
                }
                assertEquals(expected, actual, what);
            }
            assertTrue(ttl(p, "PTTL", "k4") > 90_000);
            assertFalse(call(p, "GET", "k1").startsWith("$1"));
        }
    }
}
