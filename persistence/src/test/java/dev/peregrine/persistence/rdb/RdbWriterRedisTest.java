package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Database;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Files written by {@link RdbFileWriter} holding every type and encoding ({@link RdbWriterTest#dataset}) are
 * loaded by a real redis-server (7.0 on this machine: it refuses anything newer than RDB 10) and hold exactly our
 * data there, with compression and checksum on and off; and a value our DUMP wrote RESTOREs in it.
 */
class RdbWriterRedisTest {
    @BeforeAll
    static void requireRedis() {
        if (!RedisProcess.available()) {
            assertFalse("true".equals(System.getenv("CI")), "redis-server missing");
            Assumptions.abort("no redis-server");
        }
    }

    private static void check(Path dir, boolean compression, boolean checksum) throws Exception {
        Database[] dbs = RdbWriterTest.dataset();
        Keyspace expected = Keyspace.ofDatabases(dbs);
        expected.keys.remove("0/s:expired");
        String name = "w-" + compression + "-" + checksum + ".rdb";
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            RdbFileWriter.save(dbs, out, new RdbFileWriter.Options(compression, checksum, "7.2.4",
                                                                   System.currentTimeMillis() / 1000, 1 << 20));
        }
        String[] log = new String[1];
        try (RedisProcess r = RedisProcess.start(dir, name, log, "--enable-debug-command", "yes",
                                                 "--list-compress-depth", "1")) {
            assertNotNull(r, () -> "redis-server refused our file: " + log[0]);
            assertEquals(expected.toString(), Keyspace.ofRedis(r).toString());
            // a DUMP payload of ours restores there, for every value
            RdbEncoder enc = new RdbEncoder();
            r.ok("SELECT", 9);
            int[] n = {0};
            List<Object> entries = new java.util.ArrayList<>();
            dbs[0].forEach(entries::add);
            for (Object e : entries) {
                byte[] payload = DumpPayload.create(e, enc, compression);
                assertEquals("OK", r.ok("RESTORE", "restored:" + n[0]++, 0, payload));
            }
            assertEquals((long) entries.size(), r.ok("DBSIZE"));
        }
    }

    @Test
    void redisLoadsOurFilesWithCompressionAndChecksum(@TempDir Path dir) throws Exception {
        check(dir, true, true);
    }

    @Test
    void redisLoadsOurFilesWithoutCompressionOrChecksum(@TempDir Path dir) throws Exception {
        check(dir, false, false);
    }
}
