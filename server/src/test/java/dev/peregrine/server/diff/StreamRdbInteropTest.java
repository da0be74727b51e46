package dev.peregrine.server.diff;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.peregrine.server.diff.RdbInteropTest.bulk;
import static dev.peregrine.server.diff.RdbInteropTest.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams through RDB against a real redis-server: a file Peregrine SAVEs (type 19, STREAM_LISTPACKS_2) loads in
 * redis-server 7.0 with the same digests, entries, groups and pending lists, and a file redis-server saves loads
 * in Peregrine the same way; DUMP payloads of streams travel both ways.
 */
class StreamRdbInteropTest {
    /** Streams with deletions, trims, several nodes, groups with pending entries, an empty stream, a TTL. */
    static List<String> populate(RawConnection c) throws IOException {
        List<String> keys = new ArrayList<>();
        call(c, "XADD", "x:small", "1-1", "a", "1", "b", "two");
        call(c, "XADD", "x:small", "1-2", "a", "-3", "b", "");
        call(c, "XADD", "x:small", "2-0", "other", "x");
        keys.add("x:small");
        for (int i = 1; i <= 1500; i++) {
            if (i % 3 == 0) {
                call(c, "XADD", "x:big", i + "-" + i, "f", Integer.toString(i), "g", "v" + i);
            } else {
                call(c, "XADD", "x:big", i + "-0", "name", "n" + "x".repeat(i % 50), "n", Integer.toString(i * 7));
            }
        }
        for (int i = 10; i <= 1500; i += 37) {
            call(c, "XDEL", "x:big", i + "-0");
        }
        call(c, "XTRIM", "x:big", "MAXLEN", "1400");
        keys.add("x:big");
        call(c, "XGROUP", "CREATE", "x:big", "g1", "0");
        call(c, "XGROUP", "CREATE", "x:big", "g2", "$");
        call(c, "XGROUP", "CREATE", "x:big", "g3", "300-0", "ENTRIESREAD", "-1");
        call(c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "50", "STREAMS", "x:big", ">");
        call(c, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "20", "STREAMS", "x:big", ">");
        call(c, "XREADGROUP", "GROUP", "g1", "carol", "COUNT", "5", "NOACK", "STREAMS", "x:big", ">");
        call(c, "XACK", "x:big", "g1", "200-0", "201-0", "202-0");
        call(c, "XGROUP", "CREATECONSUMER", "x:big", "g1", "idle");
        call(c, "XREADGROUP", "GROUP", "g3", "dave", "COUNT", "3", "STREAMS", "x:big", ">");
        call(c, "XGROUP", "CREATE", "x:empty", "g", "$", "MKSTREAM");
        keys.add("x:empty");
        call(c, "XADD", "x:gone", "5-5", "a", "b");
        call(c, "XDEL", "x:gone", "5-5");
        call(c, "XSETID", "x:gone", "9-9", "ENTRIESADDED", "12", "MAXDELETEDID", "7-7");
        keys.add("x:gone");
        call(c, "XADD", "x:ttl", "1-1", "k", "v");
        call(c, "PEXPIRE", "x:ttl", "100000000");
        keys.add("x:ttl");
        return keys;
    }

    /** What must match across servers for one stream (XINFO STREAM FULL without times, PEL summaries). */
    static String describe(RawConnection c, String key) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(call(c, "DEBUG", "DIGEST-VALUE", key));
        sb.append(call(c, "XLEN", key));
        sb.append(call(c, "XRANGE", key, "-", "+"));
        sb.append(call(c, "XINFO", "GROUPS", key));
        String groups = call(c, "XINFO", "GROUPS", key);
        for (String g : new String[] {"g", "g1", "g2", "g3"}) {
            if (groups.contains("\r\n" + g + "\r\n")) {
                sb.append(call(c, "XPENDING", key, g));
                // times vary; 7.2's "inactive" field is not in 7.0's reply
                sb.append(call(c, "XINFO", "CONSUMERS", key, g).replaceAll(":-?\\d+\r\n", ":N\r\n")
                        .replace("$8\r\ninactive\r\n:N\r\n", "").replace("*8\r\n$4\r\nname", "*6\r\n$4\r\nname"));
            }
        }
        String info = call(c, "XINFO", "STREAM", key);
        // radix-tree-nodes depends on Redis's tree internals; keep the rest
        sb.append(info.replaceAll("radix-tree-nodes\r\n:\\d+", "radix-tree-nodes"));
        return sb.toString();
    }

    /** Equal descriptions; on a mismatch the message shows where they part. */
    static void same(String expected, String actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 200);
        assertEquals(expected.substring(from, Math.min(expected.length(), i + 200)),
                actual.substring(from, Math.min(actual.length(), i + 200)), what + " differs at " + i);
    }

    @Test
    void redisServerLoadsWhatPeregrineSaves(@TempDir Path dir) throws Exception {
        List<String> keys;
        List<String> expected = new ArrayList<>();
        String digest;
        try (TestServer server = TestServer.start(c -> {
                c.set("dir", dir.toString());
                c.set("dbfilename", "peregrine.rdb");
                c.set("enable-debug-command", "yes");
            });
             RawConnection p = new RawConnection(server.port())) {
            keys = populate(p);
            for (String k : keys) {
                expected.add(describe(p, k));
            }
            digest = call(p, "DEBUG", "DIGEST");
            assertEquals("+OK\r\n", call(p, "SAVE"));
            assertEquals("+OK\r\n", call(p, "DEBUG", "RELOAD"));
            for (int i = 0; i < keys.size(); i++) {
                same(expected.get(i), describe(p, keys.get(i)), "after DEBUG RELOAD: " + keys.get(i));
            }
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename",
                "peregrine.rdb", "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            assertEquals(digest, call(r, "DEBUG", "DIGEST"));
            for (int i = 0; i < keys.size(); i++) {
                same(expected.get(i), describe(r, keys.get(i)), keys.get(i));
            }
            String ttl = call(r, "PTTL", "x:ttl");
            assertTrue(Long.parseLong(ttl.substring(1).trim()) > 99_000_000L, ttl);
        }
    }

    @Test
    void peregrineLoadsWhatRedisServerSaves(@TempDir Path dir) throws Exception {
        List<String> keys;
        List<String> expected = new ArrayList<>();
        String digest;
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename",
                "dump.rdb", "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            keys = populate(r);
            for (String k : keys) {
                expected.add(describe(r, k));
            }
            digest = call(r, "DEBUG", "DIGEST");
            assertEquals("+OK\r\n", call(r, "SAVE"));
        }
        try (TestServer server = TestServer.start(c -> {
                c.set("dir", dir.toString());
                c.set("dbfilename", "dump.rdb");
                c.set("enable-debug-command", "yes");
            });
             RawConnection p = new RawConnection(server.port())) {
            assertEquals(digest, call(p, "DEBUG", "DIGEST"));
            for (int i = 0; i < keys.size(); i++) {
                same(expected.get(i), describe(p, keys.get(i)), keys.get(i));
            }
        }
    }

    /**
     * The same writes on both servers give the same streams, node for node (XINFO STREAM's radix-tree-keys), with
     * the default node limits and with small ones.
     */
    @Test
    void sameWritesGiveTheSameStreamsAndNodes() throws Exception {
        for (String[] limits : new String[][] {{"100", "4096"}, {"7", "300"}, {"0", "0"}}) {
            try (TestServer server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
                 RawConnection p = new RawConnection(server.port());
                 RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
                 RawConnection r = new RawConnection(redis.port())) {
                for (RawConnection c : new RawConnection[] {p, r}) {
                    call(c, "CONFIG", "SET", "stream-node-max-entries", limits[0]);
                    call(c, "CONFIG", "SET", "stream-node-max-bytes", limits[1]);
                }
                List<String> keys = populate(r);
                populate(p);
                assertEquals(call(r, "DEBUG", "DIGEST"), call(p, "DEBUG", "DIGEST"));
                for (String k : keys) {
                    same(describe(r, k), describe(p, k), k + " with limits " + String.join("/", limits));
                }
                for (String trim : new String[] {"MAXLEN ~ 1000", "MINID ~ 900", "MAXLEN ~ 3 LIMIT 50", "MAXLEN 700"}) {
                    List<Object> cmd = new ArrayList<>(List.of("XTRIM", "x:big"));
                    cmd.addAll(List.of((Object[]) trim.split(" ")));
                    assertEquals(call(r, cmd.toArray()), call(p, cmd.toArray()), trim);
                    same(describe(r, "x:big"), describe(p, "x:big"), trim);
                }
            }
        }
    }

    @Test
    void dumpPayloadsOfStreamsTravelBothWays() throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
             RawConnection p = new RawConnection(server.port());
             RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            List<String> keys = populate(r);
            for (String k : keys) {
                byte[] fromRedis = bulk(r, "DUMP", k);
                long pttl = Math.max(0, Long.parseLong(call(r, "PTTL", k).substring(1).trim()));
                assertEquals("+OK\r\n", call(p, "RESTORE", k, pttl, fromRedis), k);
                String want = describe(r, k);
                same(want, describe(p, k), k);
                byte[] fromUs = bulk(p, "DUMP", k);
                assertEquals("+OK\r\n", call(r, "RESTORE", "back:" + k, pttl, fromUs), k);
                same(want, describe(r, "back:" + k), k);
            }
        }
    }
}
