package dev.peregrine.server.persistence;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
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
 * SAVE, LASTSAVE and DEBUG RELOAD on Peregrine alone: the file SAVE writes loads back at start-up and through DEBUG
 * RELOAD to the same DEBUG DIGEST; the save bookkeeping (LASTSAVE, INFO persistence); RELOAD's options and
 * errors; a save that cannot complete answers a bare {@code -ERR} and leaves no temp file.
 */
class SnapshotsTest {
    static String call(RawConnection c, Object... args) throws IOException {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        return new String(c.call(a), StandardCharsets.ISO_8859_1);
    }

    static TestServer start(Path dir) {
        return TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("dbfilename", "dump.rdb");
            c.set("enable-debug-command", "yes");
        });
    }

    static void fill(RawConnection c) throws IOException {
        call(c, "SET", "s", "v");
        call(c, "SET", "n", "42", "EX", "10000");
        call(c, "RPUSH", "l", "a", "b", "1");
        call(c, "HSET", "h", "f", "v");
        call(c, "SADD", "set", "1", "2");
        call(c, "ZADD", "z", "1.5", "m");
        call(c, "SELECT", 2);
        call(c, "SET", "two", "2");
        call(c, "SELECT", 0);
    }

    static String info(RawConnection c, String field) throws IOException {
        String s = call(c, "INFO", "persistence");
        int i = s.indexOf(field + ":");
        return s.substring(i + field.length() + 1, s.indexOf('\r', i));
    }

    @Test
    void saveWritesAFileThatLoadsBackAtStartUp(@TempDir Path dir) throws Exception {
        String digest;
        try (TestServer server = start(dir);
             RawConnection c = new RawConnection(server.port())) {
            long before = Long.parseLong(call(c, "LASTSAVE").substring(1).trim());
            fill(c);
            assertFalse(info(c, "rdb_changes_since_last_save").equals("0"));
            digest = call(c, "DEBUG", "DIGEST");
            Thread.sleep(1100); // LASTSAVE has a resolution of one second
            assertEquals("+OK\r\n", call(c, "SAVE"));
            long after = Long.parseLong(call(c, "LASTSAVE").substring(1).trim());
            assertTrue(after > before, before + " -> " + after);
            assertEquals("0", info(c, "rdb_changes_since_last_save"));
            assertEquals("1", info(c, "rdb_saves"));
            assertEquals(Long.toString(after), info(c, "rdb_last_save_time"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("dump.rdb"), files.map(p -> p.getFileName().toString()).toList());
        }
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("dump.rdb")), 9);
        assertEquals("REDIS0010", new String(head, StandardCharsets.US_ASCII));
        try (TestServer server = start(dir);
             RawConnection c = new RawConnection(server.port())) {
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
        }
    }

    @Test
    void debugReloadSavesFlushesAndLoads(@TempDir Path dir) throws Exception {
        try (TestServer server = start(dir);
             RawConnection c = new RawConnection(server.port())) {
            fill(c);
            String digest = call(c, "DEBUG", "DIGEST");
            assertEquals("+OK\r\n", call(c, "DEBUG", "RELOAD"));
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            assertTrue(Long.parseLong(call(c, "TTL", "n").substring(1).trim()) > 9000);
            // NOSAVE: back to the file, dropping later changes
            call(c, "SET", "later", "x");
            call(c, "DEL", "s");
            assertEquals("+OK\r\n", call(c, "DEBUG", "RELOAD", "NOSAVE"));
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            // NOFLUSH without MERGE: the file's keys clash with ours
            assertEquals("-ERR Error trying to load the RDB dump, check server logs.\r\n",
                         call(c, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"));
            assertEquals(digest, call(c, "DEBUG", "DIGEST"));
            // NOFLUSH MERGE: the file's values win, other keys stay
            call(c, "SET", "s", "changed");
            call(c, "SET", "extra", "kept");
            assertEquals("+OK\r\n", call(c, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"));
            assertEquals("$1\r\nv\r\n", call(c, "GET", "s"));
            assertEquals("$4\r\nkept\r\n", call(c, "GET", "extra"));
            assertEquals("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n",
                         call(c, "DEBUG", "RELOAD", "FAST"));
            // no file: the load fails after the flush, as in Redis
            Files.delete(dir.resolve("dump.rdb"));
            assertEquals("-ERR Error trying to load the RDB dump, check server logs.\r\n",
                         call(c, "DEBUG", "RELOAD", "NOSAVE"));
            assertEquals(":0\r\n", call(c, "DBSIZE"));
        }
    }

    @Test
    void aSaveThatCannotCompleteAnswersErrAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("dump.rdb");
        Files.createDirectory(blocker);
        Files.writeString(blocker.resolve("inside"), "x");
        try (TestServer server = start(dir);
             RawConnection c = new RawConnection(server.port())) {
            call(c, "SET", "k", "v");
            assertEquals("-ERR\r\n", call(c, "SAVE"));
            assertEquals("-ERR\r\n", call(c, "DEBUG", "RELOAD"));
            assertEquals("$1\r\nv\r\n", call(c, "GET", "k"));
            assertFalse(info(c, "rdb_changes_since_last_save").equals("0"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("dump.rdb"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
