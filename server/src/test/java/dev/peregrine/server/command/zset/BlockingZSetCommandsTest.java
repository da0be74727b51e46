package dev.peregrine.server.command.zset;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BZPOPMIN, BZPOPMAX and BZMPOP over the blocking framework, with several connections to a real server. */
class BlockingZSetCommandsTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    private static void awaitBlocked(RawResp control, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String info = null;
        while (System.currentTimeMillis() < deadline) {
            info = control.call("INFO", "clients");
            if (info.contains("blocked_clients:" + n + "\r\n")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + n + " blocked clients: " + info);
    }

    private static String bulk(String b) {
        return "$" + b.length() + "\r\n" + b + "\r\n";
    }

    private static String arr(String... bulks) {
        StringBuilder sb = new StringBuilder("*").append(bulks.length).append("\r\n");
        for (String b : bulks) {
            sb.append(bulk(b));
        }
        return sb.toString();
    }

    @Test
    void servesAtOnceWhenMembersExist() throws Exception {
        try (TestServer server = TestServer.start(); RawResp c = new RawResp(server.port())) {
            c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
            assertEquals(arr("z", "a", "1"), c.call("BZPOPMIN", "nokey", "z", "0"));
            assertEquals(arr("z", "d", "4"), c.call("BZPOPMAX", "z", "nokey", "1"));
            assertEquals("*2\r\n" + bulk("z") + "*2\r\n" + arr("c", "3") + arr("b", "2"),
                         c.call("BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "5"));
            assertEquals(":0\r\n", c.call("EXISTS", "z"));
            c.call("SET", "s", "x");
            assertEquals(WRONGTYPE, c.call("BZPOPMIN", "nokey", "s", "0"));
            assertEquals(WRONGTYPE, c.call("BZMPOP", "0", "1", "s", "MIN"));
            c.call("HELLO", "3");
            c.call("ZADD", "z3", "1.5", "m");
            assertEquals("*3\r\n$2\r\nz3\r\n$1\r\nm\r\n,1.5\r\n", c.call("BZPOPMIN", "z3", "0"));
        }
    }

    @Test
    void argumentErrors() throws Exception {
        try (TestServer server = TestServer.start(); RawResp c = new RawResp(server.port())) {
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BZPOPMIN", "k", "abc"));
            assertEquals("-ERR timeout is negative\r\n", c.call("BZPOPMAX", "k", "-1"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("BZMPOP", "0", "0", "k", "MIN"));
            assertEquals("-ERR syntax error\r\n", c.call("BZMPOP", "0", "1", "k", "UP"));
            assertEquals("-ERR count should be greater than 0\r\n",
                         c.call("BZMPOP", "0", "1", "k", "MIN", "COUNT", "0"));
            // the timeout is parsed after the other arguments, as Redis's BZMPOP does
            assertEquals("-ERR syntax error\r\n", c.call("BZMPOP", "x", "1", "k", "UP"));
            assertEquals("-ERR wrong number of arguments for 'bzpopmin' command\r\n", c.call("BZPOPMIN", "k"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void zaddWakesWaitersInBlockingOrder(String mode) throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("executor-mode", mode));
             RawResp control = new RawResp(server.port()); RawResp a = new RawResp(server.port());
             RawResp b = new RawResp(server.port()); RawResp m = new RawResp(server.port())) {
            a.send("BZPOPMIN", "z", "0");
            awaitBlocked(control, 1);
            b.send("BZPOPMAX", "other", "z", "0");
            awaitBlocked(control, 2);
            m.send("BZMPOP", "0", "1", "z", "MIN", "COUNT", "10");
            awaitBlocked(control, 3);
            // one ZADD of three members: each waiter in turn takes from what is left
            assertEquals(":3\r\n", control.call("ZADD", "z", "1", "x", "2", "y", "3", "w"));
            assertEquals(arr("z", "x", "1"), a.read());
            assertEquals(arr("z", "w", "3"), b.read());
            assertEquals("*2\r\n" + bulk("z") + "*1\r\n" + arr("y", "2"), m.read());
            assertEquals(":0\r\n", control.call("EXISTS", "z"));
            awaitBlocked(control, 0);
            // a sorted set arriving by ZUNIONSTORE also serves a waiter
            a.send("BZPOPMIN", "dst", "0");
            awaitBlocked(control, 1);
            control.call("ZADD", "src", "5", "e");
            assertEquals(":1\r\n", control.call("ZUNIONSTORE", "dst", "1", "src"));
            assertEquals(arr("dst", "e", "5"), a.read());
        }
    }

    @Test
    void timeoutAnswersANullArray() throws Exception {
        try (TestServer server = TestServer.start(); RawResp c = new RawResp(server.port())) {
            assertEquals("*-1\r\n", c.call("BZPOPMIN", "z", "0.05"));
            assertEquals("*-1\r\n", c.call("BZMPOP", "0.05", "1", "z", "MIN"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("BZPOPMAX", "z", "0.05"));
        }
    }
}
