package dev.peregrine.server.command.list;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking list commands and the blocking framework, with several connections against a real server, in both
 * executor modes; tricky orderings are compared with a real redis-server when one is installed.
 */
class BlockingCommandsTest {

    private static TestServer start(String mode) {
        return TestServer.start(c -> c.set("executor-mode", mode));
    }

    /** Waits (generously) until INFO reports {@code n} blocked clients. */
    private static void awaitBlocked(RawResp control, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            String info = control.call("INFO", "clients");
            last = info;
            if (info.contains("blocked_clients:" + n + "\r\n")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + n + " blocked clients: " + last);
    }

    private static String arr(String... bulks) {
        StringBuilder sb = new StringBuilder("*").append(bulks.length).append("\r\n");
        for (String b : bulks) {
            sb.append(bulk(b));
        }
        return sb.toString();
    }

    private static String bulk(String b) {
        return "$" + b.length() + "\r\n" + b + "\r\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void servesAtOnceWhenElementsExist(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp c = new RawResp(server.port())) {
            c.call("RPUSH", "l", "a", "b", "c", "d", "e");
            assertEquals(arr("l", "a"), c.call("BLPOP", "nokey", "l", "0"));
            assertEquals(arr("l", "e"), c.call("BRPOP", "l", "nokey", "1"));
            assertEquals("*2\r\n$1\r\nl\r\n" + arr("d", "c"), c.call("BLMPOP", "0", "2", "x", "l", "RIGHT", "COUNT", "2"));
            assertEquals(bulk("b"), c.call("BLMOVE", "l", "m", "LEFT", "RIGHT", "0"));
            assertEquals(":0\r\n", c.call("EXISTS", "l"));
            assertEquals(bulk("b"), c.call("BRPOPLPUSH", "m", "m", "0"));
            c.call("SET", "s", "x");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    c.call("BLPOP", "nokey", "s", "0"));
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    c.call("BLMOVE", "m", "s", "LEFT", "LEFT", "0"));
        }
    }

    @Test
    void argumentErrors() throws Exception {
        try (TestServer server = TestServer.start(); RawResp c = new RawResp(server.port())) {
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BLPOP", "k", "abc"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BLPOP", "k", " 1"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BLPOP", "k", "nan"));
            assertEquals("-ERR timeout is negative\r\n", c.call("BLPOP", "k", "-1"));
            assertEquals("-ERR timeout is negative\r\n", c.call("BRPOPLPUSH", "a", "b", "-0.5"));
            assertEquals("-ERR timeout is out of range\r\n", c.call("BLPOP", "k", "inf"));
            assertEquals("-ERR timeout is out of range\r\n", c.call("BLPOP", "k", "1e300"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("BLMPOP", "0", "0", "k", "LEFT"));
            assertEquals("-ERR syntax error\r\n", c.call("BLMPOP", "0", "2", "k", "LEFT"));
            assertEquals("-ERR syntax error\r\n", c.call("BLMPOP", "0", "1", "k", "UP"));
            assertEquals("-ERR count should be greater than 0\r\n", c.call("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"));
            // BLMPOP checks its other arguments before the timeout; BLMOVE its directions
            assertEquals("-ERR syntax error\r\n", c.call("BLMPOP", "x", "1", "k", "UP"));
            assertEquals("-ERR syntax error\r\n", c.call("BLMOVE", "a", "b", "LEFT", "UP", "x"));
            assertEquals("-ERR wrong number of arguments for 'blpop' command\r\n", c.call("BLPOP", "k"));
            assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n",
                    c.call("CLIENT", "UNBLOCK", "1", "NOW"));
            assertEquals(":0\r\n", c.call("CLIENT", "UNBLOCK", "999999"));
            assertEquals("-ERR unknown subcommand or wrong number of arguments for 'Unblock'. Try CLIENT HELP.\r\n",
                    c.call("CLIENT", "Unblock", "1", "TIMEOUT", "x"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void pushWakesWaitersInBlockingOrderAndOnlyAsManyAsElements(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp a = new RawResp(server.port()); RawResp b = new RawResp(server.port());
             RawResp c = new RawResp(server.port())) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            b.send("BLPOP", "k", "0");
            awaitBlocked(control, 2);
            c.send("BRPOP", "k", "0");
            awaitBlocked(control, 3);
            assertTrue(control.call("INFO", "clients").contains("total_blocking_keys:1\r\n"));
            assertTrue(control.call("CLIENT", "LIST").contains("flags=b"));
            assertEquals(":1\r\n", control.call("LPUSH", "k", "x"));
            assertEquals(arr("k", "x"), a.read());
            awaitBlocked(control, 2);
            // one command pushing several elements serves several waiters, each taking what is left
            assertEquals(":3\r\n", control.call("RPUSH", "k", "p", "q", "r"));
            assertEquals(arr("k", "p"), b.read());
            assertEquals(arr("k", "r"), c.read());
            assertEquals(arr("q"), control.call("LRANGE", "k", "0", "-1"));
            awaitBlocked(control, 0);
            assertTrue(control.call("INFO", "clients").contains("total_blocking_keys:0\r\n"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void timeoutsAnswerNullArray(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp c = new RawResp(server.port())) {
            assertEquals("*-1\r\n", c.call("BLPOP", "k", "0.05"));
            assertEquals("*-1\r\n", c.call("BLMPOP", "0.01", "1", "k", "LEFT"));
            assertEquals("*-1\r\n", c.call("BLMOVE", "k", "d", "LEFT", "LEFT", "0.02"));
            assertEquals("*-1\r\n", c.call("BRPOPLPUSH", "k", "d", "0.001"));
            c.useResp3(server);
            assertEquals("_\r\n", c.call("BRPOP", "k", "0.01"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void pipelinedRequestsWaitBehindBlockedCommand(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp c = new RawResp(server.port())) {
            c.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"
                    + "*3\r\n$5\r\nRPUSH\r\n$5\r\nother\r\n$1\r\n1\r\n");
            awaitBlocked(control, 1);
            c.send("BLPOP", "k", "0"); // a second blocking command queued behind the first
            c.send("ECHO", "last");
            assertEquals(":0\r\n", control.call("EXISTS", "other"));
            assertEquals(":2\r\n", control.call("RPUSH", "k", "v1", "v2"));
            assertEquals(arr("k", "v1"), c.read());
            assertEquals("+PONG\r\n", c.read());
            assertEquals(":1\r\n", c.read());
            assertEquals(arr("k", "v2"), c.read());
            assertEquals(bulk("last"), c.read());
            // the same when the later blocking command must wait again
            c.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n"
                    + "*2\r\n$4\r\nECHO\r\n$1\r\nz\r\n");
            awaitBlocked(control, 1);
            control.call("RPUSH", "k", "w1");
            assertEquals(arr("k", "w1"), c.read());
            awaitBlocked(control, 1);
            assertEquals(":0\r\n", control.call("EXISTS", "k"));
            control.call("RPUSH", "k", "w2");
            assertEquals(arr("k", "w2"), c.read());
            assertEquals(bulk("z"), c.read());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void disconnectWhileBlockedRemovesTheWaiter(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp b = new RawResp(server.port())) {
            RawResp a = new RawResp(server.port());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            b.send("BLPOP", "k", "0");
            awaitBlocked(control, 2);
            a.close();
            awaitBlocked(control, 1);
            control.call("LPUSH", "k", "v");
            assertEquals(arr("k", "v"), b.read());
            a = new RawResp(server.port());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            a.close();
            awaitBlocked(control, 0);
            control.call("LPUSH", "k", "kept");
            assertEquals(":1\r\n", control.call("LLEN", "k"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void clientUnblock(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp a = new RawResp(server.port())) {
            String id = a.call("CLIENT", "ID").substring(1).trim();
            a.send("BLPOP", "k", "0");
            a.send("PING");
            awaitBlocked(control, 1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", a.read());
            assertEquals("+PONG\r\n", a.read());
            assertEquals(":0\r\n", control.call("CLIENT", "UNBLOCK", id));
            a.send("BLMOVE", "k", "d", "LEFT", "LEFT", "0");
            awaitBlocked(control, 1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", a.read());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", id, "timeout"));
            assertEquals("*-1\r\n", a.read());
            assertTrue(control.call("INFO", "errorstats").contains("errorstat_UNBLOCKED:count=1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void blmoveChainServesTheDestinationsWaiterInTheSameTurn(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp popper = new RawResp(server.port()); RawResp mover = new RawResp(server.port());
             RawResp mover2 = new RawResp(server.port())) {
            popper.send("BLPOP", "dst", "0");
            awaitBlocked(control, 1);
            mover.send("BLMOVE", "src", "mid", "LEFT", "RIGHT", "0");
            awaitBlocked(control, 2);
            mover2.send("BRPOPLPUSH", "mid", "dst", "0");
            awaitBlocked(control, 3);
            // one push runs the whole chain src -> mid -> dst -> popper before the pusher's next command
            control.sendRaw("*3\r\n$5\r\nLPUSH\r\n$3\r\nsrc\r\n$1\r\nv\r\n*2\r\n$6\r\nEXISTS\r\n$3\r\nsrc\r\n"
                    + "*2\r\n$6\r\nEXISTS\r\n$3\r\nmid\r\n*2\r\n$6\r\nEXISTS\r\n$3\r\ndst\r\n");
            assertEquals(":1\r\n", control.read());
            assertEquals(":0\r\n", control.read());
            assertEquals(":0\r\n", control.read());
            assertEquals(":0\r\n", control.read());
            assertEquals(bulk("v"), mover.read());
            assertEquals(bulk("v"), mover2.read());
            assertEquals(arr("dst", "v"), popper.read());
            awaitBlocked(control, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void keyOfAnotherTypeKeepsTheClientWaiting(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp a = new RawResp(server.port())) {
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            control.call("SET", "k", "str");
            control.call("RENAME", "k", "k2");
            control.call("SET", "k", "again");
            control.call("DEL", "k");
            awaitBlocked(control, 1);
            // RENAME, MOVE and SWAPDB bring a list to the key
            control.call("RPUSH", "tmp", "r");
            assertEquals("+OK\r\n", control.call("RENAME", "tmp", "k"));
            assertEquals(arr("k", "r"), a.read());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            control.call("SELECT", "1");
            control.call("RPUSH", "k", "m");
            assertEquals(":1\r\n", control.call("MOVE", "k", "0"));
            assertEquals(arr("k", "m"), a.read());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            control.call("RPUSH", "k", "s");
            assertEquals("+OK\r\n", control.call("SWAPDB", "0", "1"));
            assertEquals(arr("k", "s"), a.read());
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            control.call("RPUSH", "c", "cp");
            assertEquals(":1\r\n", control.call("COPY", "c", "k", "DB", "0"));
            assertEquals(arr("k", "cp"), a.read());
        }
    }

    @Test
    void aBlockedCallCountsOnceInStatistics() throws Exception {
        try (TestServer server = TestServer.start(); RawResp control = new RawResp(server.port());
             RawResp a = new RawResp(server.port())) {
            control.call("CONFIG", "RESETSTAT");
            assertEquals("*-1\r\n", a.call("BLPOP", "k", "0.01"));
            a.send("BLPOP", "k", "0");
            awaitBlocked(control, 1);
            control.call("RPUSH", "k", "v");
            assertEquals(arr("k", "v"), a.read());
            String stats = control.call("INFO", "commandstats");
            assertTrue(stats.contains("cmdstat_blpop:calls=2,"), stats);
        }
    }

    /**
     * Redis 7.2 serves a woken client by running its command again: a BLPOP on {@code b a} woken for {@code a}
     * pops from {@code b} when an earlier waiter's move filled {@code b} in the same round (Redis 7.0 popped
     * from the ready key instead).
     */
    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void wokenCommandRunsAgainAndChecksItsKeysInOrder(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp control = new RawResp(server.port());
             RawResp mover = new RawResp(server.port()); RawResp popper = new RawResp(server.port())) {
            mover.send("BRPOPLPUSH", "a", "b", "0");
            awaitBlocked(control, 1);
            popper.send("BLPOP", "b", "a", "0");
            awaitBlocked(control, 2);
            assertEquals(":2\r\n", control.call("RPUSH", "a", "x", "y"));
            assertEquals(bulk("y"), mover.read());
            assertEquals(arr("b", "y"), popper.read());
            assertEquals(arr("x"), control.call("LRANGE", "a", "0", "-1"));
            assertEquals(":0\r\n", control.call("EXISTS", "b"));
        }
    }

    /**
     * One scenario with several waiters on overlapping keys, run against a real redis-server and ours: every
     * client's replies and the final lists must match.
     */
    @Test
    void overlappingWaitersMatchRealRedis() throws Exception {
        try (RawResp.RealRedis real = RawResp.RealRedis.start()) {
            assertTrue(real != null || !"true".equals(System.getenv("CI")), "redis-server is required on CI");
            Assumptions.assumeTrue(real != null, "redis-server not installed");
            try (TestServer server = TestServer.start()) {
                assertEquals(scenario(real.port), scenario(server.port()));
            }
        }
    }

    /**
     * Random blocking commands from several named clients and random pushes and moves from a control client,
     * run against a real redis-server and ours with the same seed: every reply, and which clients are blocked
     * after each control command, must match.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomBlockingTrafficMatchesRealRedis(long seed) throws Exception {
        try (RawResp.RealRedis real = RawResp.RealRedis.start()) {
            assertTrue(real != null || !"true".equals(System.getenv("CI")), "redis-server is required on CI");
            Assumptions.assumeTrue(real != null, "redis-server not installed");
            try (TestServer server = TestServer.start(c -> c.set("executor-mode", seed % 2 == 0 ? "thread" : "inline"))) {
                List<String> expected = randomTraffic(real.port, seed);
                List<String> actual = randomTraffic(server.port(), seed);
                if (System.getProperty("blocking.dump") != null) {
                    java.nio.file.Files.write(java.nio.file.Path.of("/tmp/blk-exp-" + seed), expected);
                    java.nio.file.Files.write(java.nio.file.Path.of("/tmp/blk-act-" + seed), actual);
                }
                for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                    assertEquals(expected.get(i), actual.get(i), "event " + i + " of seed " + seed);
                }
                assertEquals(expected.size(), actual.size());
            }
        }
    }

    private static List<String> randomTraffic(int port, long seed) throws Exception {
        java.util.Random rnd = new java.util.Random(seed);
        // Multi-key waiters use a, b, c; moves feed only d. Redis 7.2 re-runs a woken command (checking its keys
        // in order) where the installed 7.0 pops from the ready key: with a mover feeding another key of a
        // multi-key waiter in the same round they differ (see wokenCommandRunsAgainAndChecksItsKeysInOrder).
        String[] keys = {"a", "b", "c"};
        String[] all = {"a", "b", "c", "d"};
        String[] sides = {"LEFT", "RIGHT"};
        int n = 5;
        List<String> log = new ArrayList<>();
        RawResp[] clients = new RawResp[n];
        boolean[] waiting = new boolean[n];
        int element = 0;
        try (RawResp control = new RawResp(port)) {
            control.call("FLUSHALL");
            for (int i = 0; i < n; i++) {
                clients[i] = new RawResp(port);
                clients[i].call("CLIENT", "SETNAME", "c" + i);
            }
            for (int step = 0; step < 120; step++) {
                // clients with nothing outstanding issue a blocking command
                for (int i = 0; i < n; i++) {
                    if (waiting[i] || rnd.nextInt(3) == 0) {
                        continue;
                    }
                    String k1 = keys[rnd.nextInt(3)];
                    String k2 = keys[rnd.nextInt(3)];
                    String any = all[rnd.nextInt(4)];
                    String[] cmd = switch (rnd.nextInt(5)) {
                        case 0 -> new String[] {"BLPOP", k1, k2, "0"};
                        case 1 -> new String[] {"BRPOP", any, "0"};
                        case 2 -> new String[] {"BLMPOP", "0", "2", k1, k2, sides[rnd.nextInt(2)], "COUNT",
                            Integer.toString(1 + rnd.nextInt(3))};
                        case 3 -> new String[] {"BLMOVE", any, "d", sides[rnd.nextInt(2)], sides[rnd.nextInt(2)], "0"};
                        default -> new String[] {"BRPOPLPUSH", any, "d", "0"};
                    };
                    log.add("c" + i + " " + String.join(" ", cmd));
                    clients[i].send(cmd);
                    waiting[i] = true;
                    awaitBlockedOrAnswered(control, clients[i], "c" + i);
                    collect(control, clients, waiting, log);
                }
                // the control client adds elements
                String k = keys[rnd.nextInt(3)];
                String[] op = switch (rnd.nextInt(4)) {
                    case 0 -> new String[] {"LPUSH", k, "e" + element++, "e" + element++};
                    case 1 -> new String[] {"RPUSH", k, "e" + element++};
                    case 2 -> new String[] {"RPUSH", k, "e" + element++, "e" + element++, "e" + element++};
                    default -> new String[] {"LMOVE", k, keys[rnd.nextInt(3)], sides[rnd.nextInt(2)],
                        sides[rnd.nextInt(2)]};
                };
                log.add("control " + String.join(" ", op) + " -> " + control.call(op));
                collect(control, clients, waiting, log);
            }
            for (String key : all) {
                log.add(key + " = " + control.call("LRANGE", key, "0", "-1"));
            }
        } finally {
            for (RawResp c : clients) {
                if (c != null) {
                    c.close();
                }
            }
        }
        return log;
    }

    /** The names of the clients blocked now, from CLIENT LIST. */
    private static java.util.TreeSet<String> blockedNames(RawResp control) throws IOException {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (String line : control.call("CLIENT", "LIST").split("\n")) {
            if (line.contains(" flags=b ")) {
                int at = line.indexOf(" name=") + 6;
                names.add(line.substring(at, line.indexOf(' ', at)));
            }
        }
        return names;
    }

    private static void awaitBlockedOrAnswered(RawResp control, RawResp c, String name) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (c.hasPending() || blockedNames(control).contains(name)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError(name + " neither blocked nor answered");
    }

    /** Logs which clients are blocked, then reads the reply of every client that was waiting and is not. */
    private static void collect(RawResp control, RawResp[] clients, boolean[] waiting, List<String> log)
            throws IOException {
        java.util.TreeSet<String> blocked = blockedNames(control);
        log.add("blocked " + blocked);
        for (int i = 0; i < clients.length; i++) {
            if (waiting[i] && !blocked.contains("c" + i)) {
                log.add("c" + i + " <- " + clients[i].read());
                waiting[i] = false;
            }
        }
    }

    private static List<String> scenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        List<RawResp> clients = new ArrayList<>();
        try (RawResp control = new RawResp(port)) {
            control.call("FLUSHALL");
            String[][] commands = {
                {"BLPOP", "k1", "k2", "0"},
                {"BRPOP", "k2", "0"},
                {"BLMPOP", "0", "2", "k2", "k1", "RIGHT", "COUNT", "2"},
                {"BLMOVE", "k1", "k2", "RIGHT", "LEFT", "0"},
                {"BRPOPLPUSH", "k2", "k1", "0"},
                {"BLPOP", "k1", "0"},
            };
            for (int i = 0; i < commands.length; i++) {
                RawResp c = new RawResp(port);
                clients.add(c);
                c.send(commands[i]);
                awaitBlocked(control, i + 1);
            }
            out.add(control.call("RPUSH", "k2", "a", "b", "c"));
            out.add(control.call("RPUSH", "k1", "x", "y", "z", "w"));
            out.add(control.call("LPUSH", "k1", "p", "q", "r", "s", "t"));
            String info = control.call("INFO", "clients");
            out.add(info.substring(info.indexOf("blocked_clients")).split("\r\n")[0]);
            for (RawResp c : clients) {
                c.send("PING");
            }
            for (RawResp c : clients) {
                StringBuilder sb = new StringBuilder();
                String r;
                while (!(r = c.read()).equals("+PONG\r\n")) {
                    sb.append(r);
                }
                out.add(sb.toString());
            }
            out.add(control.call("LRANGE", "k1", "0", "-1"));
            out.add(control.call("LRANGE", "k2", "0", "-1"));
        } finally {
            for (RawResp c : clients) {
                c.close();
            }
        }
        return out;
    }

    @Test
    void sortStoreServesAListWaiter() throws Exception {
        try (TestServer server = TestServer.start(); RawResp control = new RawResp(server.port());
             RawResp waiter = new RawResp(server.port())) {
            control.call("RPUSH", "src", "3", "1", "2");
            waiter.send("BLPOP", "sorted", "0");
            awaitBlocked(control, 1);
            assertEquals(":3\r\n", control.call("SORT", "src", "STORE", "sorted"));
            assertEquals(arr("sorted", "1"), waiter.read());
            assertEquals(arr("2", "3"), control.call("LRANGE", "sorted", "0", "-1"));
        }
    }
}
