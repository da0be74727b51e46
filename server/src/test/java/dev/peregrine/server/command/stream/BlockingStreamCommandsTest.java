package dev.peregrine.server.command.stream;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking XREAD and XREADGROUP with several connections: woken by XADD in the same turn and in blocking order,
 * '$' meaning the last ID at blocking time, consumer groups sharing new entries, deleted streams and destroyed
 * groups answering XREADGROUP waiters with errors, time-outs, MULTI, in both executor modes.
 */
class BlockingStreamCommandsTest {

    private static TestServer start(String mode) {
        return TestServer.start(c -> c.set("executor-mode", mode));
    }

    private static void awaitBlocked(RawResp control, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            last = control.call("INFO", "clients");
            if (last.contains("blocked_clients:" + n + "\r\n")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + n + " blocked clients: " + last);
    }

    private static String entry(String id, String... fv) {
        StringBuilder sb = new StringBuilder("*2\r\n$" + id.length() + "\r\n" + id + "\r\n*" + fv.length + "\r\n");
        for (String s : fv) {
            sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
        }
        return sb.toString();
    }

    private static String keyed(String key, String... entries) {
        StringBuilder sb = new StringBuilder("*1\r\n*2\r\n$" + key.length() + "\r\n" + key + "\r\n*" + entries.length
                + "\r\n");
        for (String e : entries) {
            sb.append(e);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void xreadWaitsForNewEntriesAfterTheLastIdAtBlockingTime(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp a = new RawResp(server.port());
             RawResp b = new RawResp(server.port()); RawResp w = new RawResp(server.port())) {
            w.call("XADD", "s", "1-1", "old", "1");
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            b.send("XREAD", "BLOCK", "0", "COUNT", "5", "STREAMS", "nokey", "s", "0", "$");
            awaitBlocked(w, 2);
            // a write to another stream does not wake them
            w.call("XADD", "other", "1-1", "x", "y");
            assertEquals(":1\r\n", w.call("DEL", "other"));
            // one pipelined write: both served before the next command of the writer runs
            w.sendRaw("*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n2-0\r\n$1\r\nf\r\n$1\r\nv\r\n"
                    + "*2\r\n$4\r\nINFO\r\n$7\r\nclients\r\n");
            assertEquals("$3\r\n2-0\r\n", w.read());
            assertTrue(w.read().contains("blocked_clients:0\r\n"));
            assertEquals(keyed("s", entry("2-0", "f", "v")), a.read());
            assertEquals(keyed("s", entry("2-0", "f", "v")), b.read());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "thread"})
    void groupWaitersShareNewEntriesInBlockingOrder(String mode) throws Exception {
        try (TestServer server = start(mode); RawResp a = new RawResp(server.port());
             RawResp b = new RawResp(server.port()); RawResp w = new RawResp(server.port())) {
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(w, 1);
            b.send("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(w, 2);
            w.call("XADD", "s", "1-1", "n", "1");
            assertEquals(keyed("s", entry("1-1", "n", "1")), a.read());
            // bob found nothing new when his turn came and waits on
            awaitBlocked(w, 1);
            assertTrue(!b.hasPending());
            w.call("XADD", "s", "2-1", "n", "2");
            assertEquals(keyed("s", entry("2-1", "n", "2")), b.read());
            assertEquals("*4\r\n:2\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n"
                    + "*2\r\n$3\r\nbob\r\n$1\r\n1\r\n", w.call("XPENDING", "s", "g"));
        }
    }

    @Test
    void deletingTheStreamOrTheGroupAnswersGroupWaiters() throws Exception {
        try (TestServer server = TestServer.start(); RawResp a = new RawResp(server.port());
             RawResp b = new RawResp(server.port()); RawResp x = new RawResp(server.port());
             RawResp w = new RawResp(server.port())) {
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            x.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(w, 2);
            w.call("DEL", "s");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", a.read());
            // a plain XREAD waiter stays blocked on a missing key, and is served when the stream comes back
            awaitBlocked(w, 1);
            w.call("XADD", "s", "5-5", "k", "v");
            assertEquals(keyed("s", entry("5-5", "k", "v")), x.read());

            w.call("XGROUP", "CREATE", "s", "g", "$");
            b.send("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(w, 1);
            assertEquals(":1\r\n", w.call("XGROUP", "DESTROY", "s", "g"));
            assertEquals("-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n",
                    b.read());

            w.call("XGROUP", "CREATE", "s", "g", "$");
            a.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(w, 1);
            w.call("SET", "s", "now a string");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", a.read());

            w.call("DEL", "s");
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            a.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(w, 1);
            w.call("FLUSHALL");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", a.read());
            awaitBlocked(w, 0);
        }
    }

    @Test
    void timeoutsMultiAndClientUnblock() throws Exception {
        try (TestServer server = TestServer.start(); RawResp a = new RawResp(server.port());
             RawResp w = new RawResp(server.port())) {
            assertEquals("*-1\r\n", a.call("XREAD", "BLOCK", "20", "STREAMS", "s", "$"));
            w.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            assertEquals("*-1\r\n", a.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "20", "STREAMS", "s", ">"));
            a.call("MULTI");
            a.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            a.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            assertEquals("*2\r\n*-1\r\n*-1\r\n", a.call("EXEC"));
            String id = a.call("CLIENT", "ID").substring(1).trim();
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(w, 1);
            assertEquals(":1\r\n", w.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", a.read());
            // a MULTI that adds serves the waiter after EXEC
            a.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(w, 1);
            w.call("MULTI");
            w.call("XADD", "s", "7-0", "a", "1");
            w.call("XADD", "s", "8-0", "a", "2");
            w.call("EXEC");
            assertEquals(keyed("s", entry("7-0", "a", "1"), entry("8-0", "a", "2")), a.read());
        }
    }

    @Test
    void jedisConsumerGroupRoundTrip() throws Exception {
        try (TestServer server = TestServer.start(); Jedis j = server.jedis()) {
            StreamEntryID first = j.xadd("orders", StreamEntryID.NEW_ENTRY, Map.of("item", "book"));
            j.xadd("orders", StreamEntryID.NEW_ENTRY, Map.of("item", "pen"));
            j.xgroupCreate("orders", "shipping", new StreamEntryID(0, 0), false);
            List<Map.Entry<String, List<StreamEntry>>> got = j.xreadGroup("shipping", "w1",
                    XReadGroupParams.xReadGroupParams().count(1), Map.of("orders", StreamEntryID.UNRECEIVED_ENTRY));
            assertEquals(1, got.size());
            assertEquals(first, got.get(0).getValue().get(0).getID());
            assertEquals("book", got.get(0).getValue().get(0).getFields().get("item"));
            assertEquals(1L, j.xack("orders", "shipping", first));
            assertEquals(2L, j.xlen("orders"));
            assertEquals(0L, j.xpending("orders", "shipping").getTotal());
        }
    }
}
