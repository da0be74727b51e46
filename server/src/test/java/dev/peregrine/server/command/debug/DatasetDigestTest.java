package dev.peregrine.server.command.debug;

import dev.peregrine.server.command.RealRedis;
import dev.peregrine.server.command.Resp;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DatasetDigest} on an engine's keyspace against DEBUG DIGEST / DIGEST-VALUE of redis-server holding the
 * same strings, with and without expiry, across databases.
 */
class DatasetDigestTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void put(Engine e, int db, String key, String value, long expireAt) {
        e.db(db).put(b(key), StringEntry.create(b(key), b(value), expireAt, 0));
    }

    private static String stripStatus(String reply) {
        return reply.substring(1, reply.length() - 2);
    }

    @Test
    void matchesRedis() throws Exception {
        Engine engine = new Engine(new ServerConfig(), new ServerInfo());
        DatasetDigest digest = new DatasetDigest();
        long future = System.currentTimeMillis() + 3_600_000;
        try (RealRedis redis = RealRedis.start(); Socket s = redis.socket()) {
            assertEquals(stripStatus(Resp.call(s, "DEBUG", "DIGEST")), DatasetDigest.hex(digest.dataset(engine)));
            Resp.call(s, "SET", "foo", "bar");
            put(engine, 0, "foo", "bar", Entry.NO_EXPIRE);
            Resp.call(s, "SET", "n", "12345");
            put(engine, 0, "n", "12345", Entry.NO_EXPIRE);
            Resp.call(s, "SET", "bin", "a\0b\u00ff");
            put(engine, 0, "bin", "a\0b\u00ff", Entry.NO_EXPIRE);
            Resp.call(s, "SET", "ttl", "v", "EX", "3600");
            put(engine, 0, "ttl", "v", future);
            Resp.call(s, "SELECT", "5");
            Resp.call(s, "SET", "foo", "bar");
            put(engine, 5, "foo", "bar", Entry.NO_EXPIRE);
            Resp.call(s, "SET", "empty", "");
            put(engine, 5, "empty", "", Entry.NO_EXPIRE);
            assertEquals(stripStatus(Resp.call(s, "DEBUG", "DIGEST")), DatasetDigest.hex(digest.dataset(engine)));
            Resp.call(s, "SELECT", "0");
            for (String key : new String[] {"foo", "n", "bin", "ttl"}) {
                String theirs = Resp.call(s, "DEBUG", "DIGEST-VALUE", key);
                byte[] d = new byte[20];
                digest.mixValue(d, engine.db(0).peek(b(key)));
                assertEquals(theirs, "*1\r\n+" + DatasetDigest.hex(d) + "\r\n", key);
            }
        }
    }
}
