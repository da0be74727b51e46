package dev.peregrine.server.persistence;

import dev.peregrine.server.PeregrineServer;
import dev.peregrine.server.TestServer;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.diff.RawConnection;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up from the append-only file: Peregrine's own AOF after a restart, an AOF directory written by a real
 * redis-server (RDB base + incremental file), an old single-file AOF, and the refusals: a truncated file without
 * {@code aof-load-truncated}, a corrupt file, an unknown command.
 */
class AofLoadTest {

    private static String call(RawConnection c, String... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new String(c.call(a), StandardCharsets.ISO_8859_1);
    }

    private static TestServer start(Path dir, String... directives) {
        return TestServer.start(c -> {
            c.set("appendonly", "yes");
            c.set("dir", dir.toString());
            c.set("enable-debug-command", "yes");
            for (int i = 0; i < directives.length; i += 2) {
                c.set(directives[i], directives[i + 1]);
            }
        });
    }

    private static void fill(RawConnection c) throws IOException {
        call(c, "SET", "str", "hello");
        call(c, "SET", "ttl", "v", "EX", "100000");
        call(c, "INCRBYFLOAT", "float", "1.25");
        call(c, "RPUSH", "list", "a", "b", "3");
        call(c, "HSET", "hash", "f1", "v1", "f2", "v2");
        call(c, "SADD", "set", "x", "y", "1");
        call(c, "ZADD", "zset", "1", "one", "2.5", "two");
        for (int i = 0; i < 200; i++) {
            call(c, "HSET", "bighash", "field" + i, "value" + i);
            call(c, "ZADD", "bigzset", Integer.toString(i), "m" + i);
            call(c, "SADD", "bigset", "member" + i);
        }
        call(c, "SPOP", "bigset", "10");
        call(c, "SELECT", "3");
        call(c, "SET", "in-db-3", "yes");
        call(c, "SELECT", "0");
        call(c, "DEL", "list");
        call(c, "RPUSH", "list", "again");
    }

    @Test
    void aRestartFindsEveryWrite(@TempDir Path dir) throws Exception {
        String digest;
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            fill(c);
            digest = call(c, "DEBUG", "DIGEST");
        }
        assertTrue(Files.exists(dir.resolve("appendonlydir/appendonly.aof.manifest")));
        assertTrue(Files.exists(dir.resolve("appendonlydir/appendonly.aof.1.base.rdb")));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            String ttl = call(c, "TTL", "ttl");
            assertTrue(Long.parseLong(ttl.substring(1).trim()) > 99_000, ttl);
            call(c, "SET", "after", "restart");
            digest = call(c, "DEBUG", "DIGEST");
        }
        // the second run appended to the same incremental file
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")));
    }

    @Test
    void loadsAnAofWrittenByRedis(@TempDir Path redisDir, @TempDir Path ourDir) throws Exception {
        String digest;
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always",
                "--dir", redisDir.toString(), "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            fill(r);
            // a rewrite puts part of the data in the RDB base, the rest goes to a new incremental file
            call(r, "BGREWRITEAOF");
            waitRewrite(r);
            call(r, "SET", "after-rewrite", "1");
            call(r, "LPUSH", "list", "x");
            digest = call(r, "DEBUG", "DIGEST");
        }
        copyDir(redisDir.resolve("appendonlydir"), ourDir.resolve("appendonlydir"));
        try (TestServer s = start(ourDir); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            assertEquals("+OK\r\n", call(c, "SELECT", "3"));
            assertEquals("$3\r\nyes\r\n", call(c, "GET", "in-db-3"));
        }
    }

    private static void waitRewrite(RawConnection r) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (call(r, "INFO", "persistence").contains("aof_rewrite_in_progress:0")
                    && !call(r, "INFO", "persistence").contains("aof_rewrite_scheduled:1")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("rewrite did not finish");
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void anOldSingleFileAofIsMovedIntoTheDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("appendonly.aof"), resp("SELECT", "0") + resp("SET", "k", "v")
                + resp("RPUSH", "l", "a", "b"));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals("$1\r\nv\r\n", call(c, "GET", "k"));
            assertEquals(":2\r\n", call(c, "LLEN", "l"));
            call(c, "SET", "k2", "v2");
        }
        assertTrue(Files.exists(dir.resolve("appendonlydir/appendonly.aof")));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals("$2\r\nv2\r\n", call(c, "GET", "k2"));
            assertEquals("$1\r\nv\r\n", call(c, "GET", "k"));
        }
    }

    @Test
    void anOldAofWithAnRdbPreambleLoads(@TempDir Path redisDir, @TempDir Path dir) throws Exception {
        String digest;
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--dbfilename",
                "dump.rdb", "--enable-debug-command", "yes");
             RawConnection r = new RawConnection(redis.port())) {
            fill(r);
            assertEquals("+OK\r\n", call(r, "SAVE"));
            call(r, "SET", "after", "preamble");
            call(r, "SELECT", "3");
            call(r, "DEL", "in-db-3");
            call(r, "SELECT", "0");
            digest = call(r, "DEBUG", "DIGEST");
        }
        byte[] rdb = Files.readAllBytes(redisDir.resolve("dump.rdb"));
        String tail = resp("SELECT", "0") + resp("SET", "after", "preamble") + resp("SELECT", "3")
                + resp("DEL", "in-db-3");
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(rdb);
        file.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(dir.resolve("appendonly.aof"), file.toByteArray());
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void debugLoadaofReloadsWhatIsOnDisk(@TempDir Path dir) throws Exception {
        try (TestServer s = start(dir, "aof-timestamp-enabled", "yes"); RawConnection c = new RawConnection(s.port())) {
            fill(c);
            String digest = call(c, "DEBUG", "DIGEST");
            assertEquals("+OK\r\n", call(c, "DEBUG", "LOADAOF"));
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            // the reload appended nothing: a second one finds the same
            assertEquals("+OK\r\n", call(c, "DEBUG", "LOADAOF"));
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
        String incr = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"),
                StandardCharsets.ISO_8859_1);
        assertTrue(incr.startsWith("#TS:"), "aof-timestamp-enabled annotates the file");
    }

    private static Path writeAof(Path dir, String incr) throws IOException {
        Path d = dir.resolve("appendonlydir");
        Files.createDirectories(d);
        Files.writeString(d.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        Path f = d.resolve("appendonly.aof.1.incr.aof");
        Files.writeString(f, incr, StandardCharsets.ISO_8859_1);
        return f;
    }

    @Test
    void aTruncatedTailIsCutWhenAllowed(@TempDir Path dir) throws Exception {
        String whole = resp("SELECT", "0") + resp("SET", "a", "1");
        Path f = writeAof(dir, whole + resp("SET", "b", "2").substring(0, 12));
        try (TestServer s = start(dir); RawConnection c = new RawConnection(s.port())) {
            assertEquals("$1\r\n1\r\n", call(c, "GET", "a"));
            assertEquals("$-1\r\n", call(c, "GET", "b"));
            call(c, "SET", "c", "3");
        }
        // a new process starts its appends with a SELECT, as Redis does
        assertEquals(whole + resp("SELECT", "0") + resp("SET", "c", "3"),
                Files.readString(f, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aTruncatedTailStopsStartUpWhenNotAllowed(@TempDir Path dir) throws Exception {
        Path f = writeAof(dir, resp("SET", "a", "1") + "*3\r\n$3\r\nSET");
        Exception e = assertThrows(Exception.class, () -> startRaw(dir, "aof-load-truncated", "no"));
        assertTrue(rootMessage(e).contains("Unexpected end of file"), rootMessage(e));
        assertTrue(Files.readString(f).endsWith("SET"), "the file is left alone");
    }

    @Test
    void aCorruptFileOrAnUnknownCommandStopsStartUp(@TempDir Path dir) throws Exception {
        writeAof(dir, resp("SET", "a", "1") + "garbage\r\n" + resp("SET", "b", "2"));
        Exception e = assertThrows(Exception.class, () -> startRaw(dir));
        assertTrue(rootMessage(e).contains("Bad file format reading the append only file"), rootMessage(e));
        writeAof(dir, resp("SET", "a", "1") + resp("NOSUCHCOMMAND", "x"));
        e = assertThrows(Exception.class, () -> startRaw(dir));
        assertTrue(rootMessage(e).contains("Unknown command 'NOSUCHCOMMAND' reading the append only file"),
                rootMessage(e));
    }

    private static void startRaw(Path dir, String... directives) throws Exception {
        ServerConfig config = new ServerConfig();
        config.set("port", "0");
        config.set("bind", "127.0.0.1");
        config.set("appendonly", "yes");
        config.set("dir", dir.toString());
        for (int i = 0; i < directives.length; i += 2) {
            config.set(directives[i], directives[i + 1]);
        }
        PeregrineServer s = new PeregrineServer(config);
        try {
            s.start();
        } finally {
            s.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
