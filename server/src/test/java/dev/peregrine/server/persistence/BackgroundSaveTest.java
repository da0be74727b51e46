package dev.peregrine.server.persistence;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BGSAVE and BGREWRITEAOF without fork: the file holds the dataset exactly as it was when the command ran, while
 * writes made during the save (overwrites, deletions, in-place changes of aggregates, FLUSHDB) are served and do
 * not leak into it; redis-server loads the results. Also save points, SHUTDOWN SAVE/NOSAVE, MISCONF after a
 * failed save, and the INFO persistence fields.
 */
class BackgroundSaveTest {

    static String call(RawConnection c, String... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new String(c.call(a), StandardCharsets.ISO_8859_1);
    }

    static TestServer start(Path dir, String... directives) {
        return TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("enable-debug-command", "yes");
            for (int i = 0; i < directives.length; i += 2) {
                c.set(directives[i], directives[i + 1]);
            }
        });
    }

    static void fill(RawConnection c) throws IOException {
        call(c, "DEBUG", "POPULATE", "30000", "key", "20");
        for (int i = 0; i < 300; i++) {
            call(c, "HSET", "hash" + (i % 7), "f" + i, "v" + i);
            call(c, "RPUSH", "list" + (i % 5), "e" + i);
            call(c, "SADD", "set" + (i % 3), "m" + i);
            call(c, "ZADD", "zset" + (i % 3), Integer.toString(i), "m" + i);
        }
        call(c, "SET", "ttl", "v", "EX", "100000");
        call(c, "SELECT", "1");
        call(c, "DEBUG", "POPULATE", "5000", "one");
        call(c, "SELECT", "0");
    }

    /** Writes that touch saved and unsaved parts alike; run right after the save started. */
    static void writeDuringSave(RawConnection c) throws IOException {
        for (int i = 0; i < 30000; i += 7) {
            call(c, "SET", "key:" + i, "changed");
            call(c, "DEL", "key:" + (i + 1));
        }
        for (int i = 0; i < 7; i++) {
            call(c, "HSET", "hash" + i, "new", "x");
            call(c, "LPUSH", "list" + (i % 5), "new");
            call(c, "SREM", "set" + (i % 3), "m" + i);
            call(c, "ZINCRBY", "zset" + (i % 3), "1000", "m" + i);
        }
        call(c, "PERSIST", "ttl");
        call(c, "SET", "brand-new", "1");
        call(c, "SELECT", "1");
        call(c, "FLUSHDB");
        call(c, "SELECT", "0");
    }

    static void waitIdle(RawConnection c) throws Exception {
        for (int i = 0; i < 1000; i++) {
            String info = call(c, "INFO", "persistence");
            if (info.contains("rdb_bgsave_in_progress:0") && info.contains("aof_rewrite_in_progress:0")
                    && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("background save did not finish");
    }

    @Test
    void bgsaveIsAPointInTimeSnapshotThatRedisLoads(@TempDir Path dir) throws Exception {
        String digestAtSave;
        String digestAfter;
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            fill(c);
            digestAtSave = call(c, "DEBUG", "DIGEST");
            assertEquals("+Background saving started\r\n", call(c, "BGSAVE"));
            writeDuringSave(c);
            digestAfter = call(c, "DEBUG", "DIGEST");
            waitIdle(c);
            String info = call(c, "INFO", "persistence");
            assertTrue(info.contains("rdb_last_bgsave_status:ok"), info);
            assertTrue(info.contains("rdb_saves:1"), info);
        }
        assertFalse(digestAtSave.equals(digestAfter), "the writes changed the dataset");
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename", "dump.rdb",
                "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            assertEquals(digestAtSave, call(r, "DEBUG", "DIGEST"));
        }
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digestAtSave, call(c, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void oneBackgroundSaveAtATime(@TempDir Path dir) throws Exception {
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            call(c, "DEBUG", "POPULATE", "200000");
            // all in one packet: the later ones run before the first snapshot can progress
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", s.port())) {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("BGSAVE\r\nBGSAVE\r\nSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
                String expected = "+Background saving started\r\n-ERR Background save already in progress\r\n"
                        + "-ERR Background save already in progress\r\n";
                byte[] got = raw.getInputStream().readNBytes(expected.length());
                assertEquals(expected, new String(got, StandardCharsets.ISO_8859_1));
            }
            waitIdle(c);
            assertEquals("-ERR syntax error\r\n", call(c, "BGSAVE", "now"));
        }
    }

    @Test
    void bgrewriteaofMakesANewBaseWhileWritesGoOn(@TempDir Path dir) throws Exception {
        String digest;
        try (TestServer s = start(dir, "appendonly", "yes"); RawConnection c = new RawConnection(s.port())) {
            fill(c);
            assertEquals("+Background append only file rewriting started\r\n", call(c, "BGREWRITEAOF"));
            writeDuringSave(c);
            waitIdle(c);
            digest = call(c, "DEBUG", "DIGEST");
            String info = call(c, "INFO", "persistence");
            assertTrue(info.contains("aof_rewrites:1") && info.contains("aof_last_bgrewrite_status:ok"), info);
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        assertFalse(Files.exists(aofDir.resolve("appendonly.aof.1.incr.aof")));
        assertFalse(Files.exists(aofDir.resolve("appendonly.aof.1.base.rdb")));
        try (TestServer s = start(dir, "appendonly", "yes"); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            assertEquals(digest, call(r, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void appendonlyCanBeTurnedOnAndOffAtRuntime(@TempDir Path dir) throws Exception {
        String digestWithAof;
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            fill(c);
            assertEquals("+OK\r\n", call(c, "CONFIG", "SET", "appendonly", "yes"));
            writeDuringSave(c);
            waitIdle(c);
            call(c, "SET", "after-base", "1");
            digestWithAof = call(c, "DEBUG", "DIGEST");
            assertTrue(call(c, "INFO", "persistence").contains("aof_enabled:1"));
            assertEquals("+OK\r\n", call(c, "CONFIG", "SET", "appendonly", "no"));
            call(c, "SET", "not-in-the-aof", "1");
            assertTrue(call(c, "INFO", "persistence").contains("aof_enabled:0"));
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        try (TestServer s = start(dir, "appendonly", "yes"); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digestWithAof, call(c, "DEBUG", "DIGEST"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            assertEquals(digestWithAof, call(r, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void withoutRdbPreambleTheRewrittenBaseIsCommands(@TempDir Path dir) throws Exception {
        String digest;
        try (TestServer s = start(dir, "appendonly", "yes", "aof-use-rdb-preamble", "no");
             RawConnection c = new RawConnection(s.port())) {
            fill(c);
            // scores whose %.17g form (redis-server 7.0's digest) equals the shortest one (ours, as 7.2)
            call(c, "ZADD", "scores", "inf", "a", "-inf", "b", "0.5", "c", "-2.5", "d", "1000", "e");
            call(c, "XADD", "stream", "1-1", "f", "v");
            call(c, "XGROUP", "CREATE", "stream", "g", "0");
            call(c, "XREADGROUP", "GROUP", "g", "c1", "STREAMS", "stream", ">");
            call(c, "PEXPIRE", "stream", "100000000");
            assertEquals("+Background append only file rewriting started\r\n", call(c, "BGREWRITEAOF"));
            writeDuringSave(c);
            waitIdle(c);
            digest = call(c, "DEBUG", "DIGEST");
        }
        Path aofDir = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        String base = Files.readString(aofDir.resolve("appendonly.aof.2.base.aof"), StandardCharsets.ISO_8859_1);
        assertTrue(base.startsWith("*2\r\n$6\r\nSELECT\r\n"), base.substring(0, 40));
        assertTrue(base.contains("$5\r\nHMSET\r\n") && base.contains("$9\r\nPEXPIREAT\r\n"));
        try (TestServer s = start(dir, "appendonly", "yes"); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            assertEquals(digest, call(r, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void savePointsTriggerABackgroundSave(@TempDir Path dir) throws Exception {
        try (TestServer s = start(dir, "save", "1 2"); RawConnection c = new RawConnection(s.port())) {
            call(c, "SET", "a", "1");
            call(c, "SET", "b", "2");
            for (int i = 0; i < 300 && !call(c, "INFO", "persistence").contains("rdb_saves:1"); i++) {
                Thread.sleep(20);
            }
            waitIdle(c);
            String info = call(c, "INFO", "persistence");
            assertTrue(info.contains("rdb_changes_since_last_save:0"), info);
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    @Test
    void shutdownSavesUnlessToldNot(@TempDir Path dir) throws Exception {
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            call(c, "SET", "a", "1");
            c.send(new byte[][] {"SHUTDOWN".getBytes(StandardCharsets.US_ASCII), "NOSAVE".getBytes(StandardCharsets.US_ASCII)});
            s.server().awaitStop();
        }
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            call(c, "SET", "a", "1");
            c.send(new byte[][] {"SHUTDOWN".getBytes(StandardCharsets.US_ASCII), "SAVE".getBytes(StandardCharsets.US_ASCII)});
            s.server().awaitStop();
        }
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals("$1\r\n1\r\n", call(c, "GET", "a"));
        }
    }

    @Test
    void aFailedBackgroundSaveStopsWritesWithMisconf(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dump.rdb").resolve("occupied")); // the rename cannot replace it
        try (TestServer s = start(dir, "save", "3600 1"); RawConnection c = new RawConnection(s.port())) {
            call(c, "SET", "a", "1");
            assertEquals("+Background saving started\r\n", call(c, "BGSAVE"));
            waitIdle(c);
            assertTrue(call(c, "INFO", "persistence").contains("rdb_last_bgsave_status:err"));
            String reply = call(c, "SET", "b", "2");
            assertTrue(reply.startsWith("-MISCONF Redis is configured to save RDB snapshots"), reply);
            assertTrue(call(c, "PING").startsWith("-MISCONF"));
            assertEquals("$1\r\n1\r\n", call(c, "GET", "a"), "reads still work");
            call(c, "CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
            assertEquals("+OK\r\n", call(c, "SET", "b", "2"));
        }
    }
}
