package dev.peregrine.persistence.rdb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads every file of {@code $PEREGRINE_SHARED/rdb-samples} (old encodings from the Valkey test assets) and
 * compares with what a real redis-server holds after loading the same file. Skipped when the samples or
 * redis-server are absent, unless {@code CI=true}.
 */
class RdbSamplesTest {
    private static Path samples;

    @BeforeAll
    static void locate() {
        String shared = System.getenv("PEREGRINE_SHARED");
        Path p = shared == null ? null : Path.of(shared, "rdb-samples");
        boolean ci = "true".equals(System.getenv("CI"));
        if (p == null || !Files.isDirectory(p)) {
            assertFalse(ci, "rdb-samples missing under PEREGRINE_SHARED=" + shared);
            Assumptions.abort("no rdb-samples");
        }
        if (!RedisProcess.available()) {
            assertFalse(ci, "redis-server missing");
            Assumptions.abort("no redis-server");
        }
        samples = p;
    }

    private static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(samples.resolve(name));
    }

    /** The file's keys as a real redis-server reports them after loading it. */
    private static Keyspace redisView(String name, Path tmp) throws Exception {
        Files.copy(samples.resolve(name), tmp.resolve(name));
        tmp.resolve(name).toFile().setWritable(true);
        String[] log = new String[1];
        try (RedisProcess r = RedisProcess.start(tmp, name, log)) {
            if (r == null) {
                throw new IllegalStateException("redis-server refused " + name + ": " + log[0]);
            }
            return Keyspace.ofRedis(r);
        }
    }

    private static RdbLoader.Result load(byte[] file) throws IOException {
        return new RdbLoader(RdbLoader.Options.DEFAULTS, System.currentTimeMillis(), 0)
                .load(new ByteArrayInputStream(file));
    }

    private void matchesRedis(String name, Path tmp) throws Exception {
        Keyspace expected = redisView(name, tmp);
        byte[] file = sample(name);
        assertEquals(expected.toString(), Keyspace.ofReader(file, System.currentTimeMillis()).toString());
        RdbLoader.Result res = load(file);
        assertEquals(expected.toString(), Keyspace.ofDatabases(res.databases()).toString());
        assertEquals(expected.keys.size(), res.keysLoaded());
    }

    @Test
    void encodings(@TempDir Path tmp) throws Exception {
        Keyspace expected = redisView("encodings.rdb", tmp);
        assertTrue(expected.keys.size() >= 13, expected.toString());
        byte[] file = sample("encodings.rdb");
        // the reader decodes every key, zsets included
        assertEquals(expected.toString(), Keyspace.ofReader(file, System.currentTimeMillis()).toString());
        RdbLoader.Result res = load(file);
        assertEquals(expected.toString(), Keyspace.ofDatabases(res.databases()).toString());
    }

    @Test
    void hashZipmap(@TempDir Path tmp) throws Exception {
        matchesRedis("hash-zipmap.rdb", tmp);
    }

    @Test
    void hashZiplist(@TempDir Path tmp) throws Exception {
        matchesRedis("hash-ziplist.rdb", tmp);
    }

    @Test
    void listQuicklist(@TempDir Path tmp) throws Exception {
        matchesRedis("list-quicklist.rdb", tmp);
    }

    @Test
    void scriptBackup(@TempDir Path tmp) throws Exception {
        matchesRedis("scriptbackup.rdb", tmp);
        RdbLoader.Result res = load(sample("scriptbackup.rdb"));
        assertTrue(res.aux().containsKey("lua"), res.aux().toString());
    }

    @Test
    void zsetZiplist(@TempDir Path tmp) throws Exception {
        matchesRedis("zset-ziplist.rdb", tmp);
    }

    @Test
    void corruptZiplistIsRefusedLikeRedis(@TempDir Path tmp) throws Exception {
        Files.copy(samples.resolve("corrupt_ziplist.rdb"), tmp.resolve("c.rdb"));
        String[] log = new String[1];
        try (RedisProcess r = RedisProcess.start(tmp, "c.rdb", log)) {
            assertNull(r, "redis-server loaded the corrupt ziplist");
        }
        assertTrue(log[0].contains("integrity"), log[0]);
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(sample("corrupt_ziplist.rdb")));
        assertTrue(e.getMessage().matches("RDB error at offset \\d+: ziplist of the value of key .* invalid at"
                                          + " byte \\d+: .*"), e.getMessage());
    }

    /**
     * Redis does not refuse this file: it loads it and skips each of its nine empty keys with a warning, and so do
     * we (the keys are well-formed encodings holding no element).
     */
    @Test
    void emptyKeysAreSkippedLikeRedis(@TempDir Path tmp) throws Exception {
        Keyspace expected = redisView("corrupt_empty_keys.rdb", tmp);
        assertEquals(0, expected.keys.size());
        RdbLoader.Result res = load(sample("corrupt_empty_keys.rdb"));
        assertEquals(0, res.keysLoaded());
        assertEquals(9, res.emptySkipped());
        assertTrue(res.checksumVerified());
    }

    @Test
    void aofPreambleReadsTheRdbPart() throws Exception {
        byte[] file = sample("rdb-preamble.aof");
        RdbLoader.Result res = load(file);
        assertEquals("1", res.aux().get("aof-preamble"), res.aux().toString());
        assertEquals("0/k1 -> string exp=-1 [v1]\n0/k2 -> string exp=-1 [v2]\n",
                     Keyspace.ofDatabases(res.databases()).toString());
        assertTrue(res.checksumVerified());
        RdbReader reader = new RdbReader(new ByteArrayInputStream(file));
        reader.read((db, key, exp, v) -> { });
        String tail = new String(file, (int) reader.offset(), file.length - (int) reader.offset(),
                                 java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(tail.startsWith("*2\r\n$6\r\nSELECT"), tail);
    }
}
