package dev.peregrine.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.InputStream;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry and idle time-outs as a client sees them, through the periodic task of a real server. */
class ExpiryIntegrationTest {
    private static final long GENEROUS_MS = 15_000;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long statsField(Jedis j, String field) {
        for (String line : j.info("stats").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field + " in INFO stats");
    }

    private static String debug(Jedis j, String... args) {
        return redis.clients.jedis.util.SafeEncoder.encode((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), args));
    }

    @Test
    void activeExpiryDeletesKeysNobodyReads() throws Exception {
        try (Jedis j = server.jedis()) {
            j.select(3);
            long before = statsField(j, "expired_keys");
            for (int i = 0; i < 500; i++) {
                j.set("act:" + i, "v", SetParams.setParams().px(50));
            }
            j.set("act:keep", "v");
            long deadline = System.currentTimeMillis() + GENEROUS_MS;
            while (j.dbSize() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, j.dbSize(), "the active cycle should delete every expired key without any access");
            assertEquals("v", j.get("act:keep"));
            assertTrue(statsField(j, "expired_keys") - before >= 500);
        }
    }

    @Test
    void withTheActiveCycleOffOnlyAccessExpiresKeys() throws Exception {
        try (Jedis j = server.jedis()) {
            j.select(4);
            assertEquals("OK", debug(j, "SET-ACTIVE-EXPIRE", "0"));
            try {
                for (int i = 0; i < 50; i++) {
                    j.set("lazy:" + i, "v", SetParams.setParams().px(20));
                }
                Thread.sleep(300);
                assertEquals(50, j.dbSize(), "expired keys stay until accessed while the cycle is off");
                assertNull(j.get("lazy:0"));
                assertEquals(49, j.dbSize(), "a read deletes the expired key it touches");
                assertEquals(0, j.exists("lazy:1", "lazy:2"));
                assertEquals(47, j.dbSize());
            } finally {
                assertEquals("OK", debug(j, "SET-ACTIVE-EXPIRE", "1"));
            }
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (Socket idle = server.socket()) {
            assertEquals("+PONG\r\n", TestServer.exchange(idle, "PING\r\n", 7));
            try (Jedis admin = server.jedis()) {
                admin.configSet("timeout", "1");
            }
            try {
                InputStream in = idle.getInputStream();
                idle.setSoTimeout((int) GENEROUS_MS);
                assertEquals(-1, in.read(), "the server should close a connection idle for more than 1 s");
            } finally {
                try (Jedis admin = server.jedis()) {
                    admin.configSet("timeout", "0");
                }
            }
        }
    }
}
