package dev.peregrine.server.command.server;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.command.RealRedis;
import dev.peregrine.server.command.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TIME, LASTSAVE and SHUTDOWN; errors compared with redis-server. */
class ServerCommandsTest {
    static TestServer server;
    static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void timeIsSecondsAndMicroseconds() {
        try (Jedis j = server.jedis()) {
            long before = System.currentTimeMillis() / 1000;
            List<String> t = j.time();
            long after = System.currentTimeMillis() / 1000;
            assertEquals(2, t.size());
            long seconds = Long.parseLong(t.get(0));
            long micros = Long.parseLong(t.get(1));
            assertTrue(seconds >= before && seconds <= after, t.toString());
            assertTrue(micros >= 0 && micros < 1_000_000, t.toString());
        }
    }

    @Test
    void lastsaveIsStartTimeUntilSomethingIsSaved() {
        try (Jedis j = server.jedis()) {
            assertEquals(server.server().engine().startTime() / 1000, j.lastsave());
        }
    }

    @Test
    void shutdownArgumentErrorsMatchRedis() throws Exception {
        String[][] cases = {
            {"SHUTDOWN", "FOO"},
            {"SHUTDOWN", "NOSAVE", "SAVE"},
            {"SHUTDOWN", "ABORT"},
            {"SHUTDOWN", "ABORT", "NOW"},
            {"SHUTDOWN", "FORCE", "ABORT"},
            {"TIME", "x"},
            {"LASTSAVE", "x"},
        };
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (String[] c : cases) {
                assertEquals(Resp.call(theirs, c), Resp.call(ours, c), String.join(" ", c));
            }
        }
    }

    @Test
    void shutdownStopsTheServerWithoutReplying() throws Exception {
        TestServer victim = TestServer.start();
        try (Socket s = victim.socket()) {
            assertEquals("+PONG\r\n", Resp.call(s, "PING"));
            Resp.send(s, "SHUTDOWN", "NOSAVE", "NOW");
            assertEquals(-1, s.getInputStream().read(), "connection closes without a reply");
            Thread waiter = new Thread(() -> {
                try {
                    victim.server().awaitStop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            waiter.join(30_000);
            assertTrue(!waiter.isAlive(), "server stopped");
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", victim.port()).close());
        } finally {
            victim.close();
        }
    }
}
