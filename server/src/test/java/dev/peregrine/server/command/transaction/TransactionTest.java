package dev.peregrine.server.command.transaction;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MULTI/EXEC/WATCH across connections: Jedis transactions, WATCH invalidation by other clients, blocking, pause. */
class TransactionTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        startServer(c -> { });
    }

    static void startServer(java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> tweak) {
        server = TestServer.start(c -> {
            c.set("enable-debug-command", "yes");
            tweak.accept(c);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        try (Jedis j = server.jedis()) {
            j.flushAll();
            j.configResetStat();
        }
    }

    @Test
    void jedisTransactionRunsQueuedCommandsInOrder() {
        try (Jedis j = server.jedis()) {
            Transaction t = j.multi();
            Response<String> set = t.set("k", "1");
            Response<Long> incr = t.incr("k");
            Response<String> get = t.get("k");
            List<Object> replies = t.exec();
            assertEquals(3, replies.size());
            assertEquals("OK", set.get());
            assertEquals(2L, incr.get());
            assertEquals("2", get.get());
        }
    }

    @Test
    void runtimeErrorInsideExecDoesNotStopTheRest() throws Exception {
        try (RawResp r = new RawResp(server.port())) {
            r.call("SET", "s", "abc");
            assertEquals("+OK\r\n", r.call("MULTI"));
            assertEquals("+QUEUED\r\n", r.call("INCR", "s"));
            assertEquals("+QUEUED\r\n", r.call("SET", "t", "x"));
            assertEquals("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", r.call("EXEC"));
            assertEquals("$1\r\nx\r\n", r.call("GET", "t"));
        }
    }

    @Test
    void queueTimeErrorAbortsTheTransaction() throws Exception {
        try (RawResp r = new RawResp(server.port())) {
            r.call("MULTI");
            r.call("SET", "a", "1");
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.call("GET"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r.call("EXEC"));
            assertEquals("$-1\r\n", r.call("GET", "a"));
            String info = r.call("INFO", "errorstats");
            assertTrue(info.contains("errorstat_EXECABORT:count=1"), info);
        }
    }

    @Test
    void watchedKeyChangedByAnotherClientAbortsExec() {
        try (Jedis a = server.jedis(); Jedis b = server.jedis()) {
            a.set("w", "1");
            a.watch("w");
            b.set("w", "2");
            Transaction t = a.multi();
            t.set("w", "3");
            assertNull(t.exec());
            assertEquals("2", a.get("w"));
        }
    }

    @Test
    void watchedKeyUntouchedLetsExecRun() {
        try (Jedis a = server.jedis(); Jedis b = server.jedis()) {
            a.set("w", "1");
            a.watch("w");
            b.set("other", "2");
            b.get("w");
            Transaction t = a.multi();
            t.incr("w");
            assertEquals(List.of(2L), t.exec());
        }
    }

    @Test
    void abortedExecIsANullArrayInBothProtocols() throws Exception {
        try (RawResp a = new RawResp(server.port()); RawResp b = new RawResp(server.port())) {
            a.call("WATCH", "k");
            b.call("SET", "k", "x");
            a.call("MULTI");
            a.call("PING");
            assertEquals("*-1\r\n", a.call("EXEC"));
            a.call("HELLO", "3");
            a.call("WATCH", "k");
            b.call("DEL", "k");
            a.call("MULTI");
            assertEquals("_\r\n", a.call("EXEC"));
        }
    }

    @Test
    void otherClientsDeletesFlushesSwapsAndRenamesInvalidate() throws Exception {
        try (RawResp a = new RawResp(server.port()); RawResp b = new RawResp(server.port())) {
            String[][] invalidators = {
                {"DEL", "w"}, {"FLUSHALL"}, {"FLUSHDB"}, {"SWAPDB", "0", "1"}, {"RENAME", "w", "w2"},
                {"EXPIRE", "w", "100"}, {"LPUSH", "w2", "x"}, {"APPEND", "w", "x"},
            };
            for (String[] cmd : invalidators) {
                b.call("FLUSHALL");
                b.call("SET", "w", "1");
                String watched = cmd[0].equals("LPUSH") ? "w2" : "w";
                a.call("WATCH", watched);
                b.call(cmd);
                a.call("MULTI");
                a.call("PING");
                assertEquals("*-1\r\n", a.call("EXEC"), String.join(" ", cmd));
            }
        }
    }

    @Test
    void watchedKeyThatExpiresBeforeExecAbortsIt() throws Exception {
        try (RawResp a = new RawResp(server.port())) {
            a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                a.call("SET", "e", "1", "PX", "30");
                a.call("WATCH", "e");
                Thread.sleep(60); // the key's time passes; nothing deletes it
                a.call("MULTI");
                a.call("PING");
                assertEquals("*-1\r\n", a.call("EXEC"));
            } finally {
                a.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void keyAlreadyExpiredWhenWatchedDoesNotAbortUnlessRecreated() throws Exception {
        try (RawResp a = new RawResp(server.port()); RawResp b = new RawResp(server.port())) {
            a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                // stale when watched, still there at EXEC
                a.call("SET", "x", "1", "PX", "1");
                Thread.sleep(10);
                a.call("WATCH", "x");
                a.call("MULTI");
                a.call("PING");
                assertEquals("*1\r\n+PONG\r\n", a.call("EXEC"));
                // stale when watched, deleted (by an access) before EXEC: no change
                a.call("SET", "x", "1", "PX", "1");
                Thread.sleep(10);
                a.call("WATCH", "x");
                assertEquals(":0\r\n", b.call("EXISTS", "x"));
                a.call("MULTI");
                a.call("PING");
                assertEquals("*1\r\n+PONG\r\n", a.call("EXEC"));
                // stale when watched, then given a value: a change
                a.call("SET", "x", "1", "PX", "1");
                Thread.sleep(10);
                a.call("WATCH", "x");
                b.call("SET", "x", "2");
                a.call("MULTI");
                a.call("PING");
                assertEquals("*-1\r\n", a.call("EXEC"));
                // stale when watched, FLUSHDB: no change
                a.call("SET", "x", "1", "PX", "1");
                Thread.sleep(10);
                a.call("WATCH", "x");
                b.call("FLUSHDB");
                a.call("MULTI");
                a.call("PING");
                assertEquals("*1\r\n+PONG\r\n", a.call("EXEC"));
            } finally {
                a.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void clientListShowsTransactionState() throws Exception {
        try (RawResp a = new RawResp(server.port()); RawResp b = new RawResp(server.port())) {
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("GET", "k");
            String list = b.call("CLIENT", "LIST");
            assertTrue(list.contains("flags=x db=0 sub=0 psub=0 ssub=0 multi=2 "), list);
            assertTrue(list.contains("cmd=get "), list);
            a.call("DISCARD");
            a.call("WATCH", "k");
            b.call("SET", "k", "changed");
            list = b.call("CLIENT", "LIST");
            assertTrue(list.contains("flags=d db=0 sub=0 psub=0 ssub=0 multi=-1 "), list);
            a.call("UNWATCH");
            list = b.call("CLIENT", "LIST");
            assertFalse(list.contains("flags=d"), list);
        }
    }

    @Test
    void blockedClientIsServedAfterTheWholeExec() throws Exception {
        try (RawResp waiter = new RawResp(server.port()); RawResp a = new RawResp(server.port())) {
            waiter.send("BLPOP", "q", "0");
            awaitBlocked(a, 1);
            a.call("MULTI");
            a.call("RPUSH", "q", "first");
            a.call("RPUSH", "q", "second");
            a.call("LRANGE", "q", "0", "-1");
            // inside EXEC the list still holds both elements: the waiter is served only after EXEC
            assertEquals("*3\r\n:1\r\n:2\r\n*2\r\n$5\r\nfirst\r\n$6\r\nsecond\r\n", a.call("EXEC"));
            assertEquals("*2\r\n$1\r\nq\r\n$5\r\nfirst\r\n", waiter.read());
            assertEquals("*1\r\n$6\r\nsecond\r\n", a.call("LRANGE", "q", "0", "-1"));
        }
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws Exception {
        try (RawResp a = new RawResp(server.port())) {
            a.call("MULTI");
            a.call("BLPOP", "none", "0");
            a.call("BZPOPMIN", "none", "0");
            a.call("BLMOVE", "none", "dst", "LEFT", "LEFT", "0");
            assertEquals("*3\r\n*-1\r\n*-1\r\n$-1\r\n", a.call("EXEC"));
        }
    }

    @Test
    void pauseWriteHoldsAnExecWithWritesButNotAReadOnlyOne() throws Exception {
        try (RawResp a = new RawResp(server.port()); RawResp admin = new RawResp(server.port())) {
            a.call("MULTI");
            a.call("SET", "p", "1");
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            try {
                a.send("EXEC");
                awaitFlag(admin, "xb");
                assertFalse(a.hasPending());
                try (RawResp c = new RawResp(server.port())) {
                    c.call("MULTI");
                    c.call("GET", "p");
                    assertEquals("*1\r\n$-1\r\n", c.call("EXEC"));
                }
            } finally {
                admin.call("CLIENT", "UNPAUSE");
            }
            assertEquals("*1\r\n+OK\r\n", a.read());
        }
    }

    @Test
    void statsCountExecAndEachInnerCommand() {
        try (Jedis j = server.jedis()) {
            j.configResetStat();
            Transaction t = j.multi();
            t.set("a", "1");
            t.set("b", "2");
            t.incr("nonnum-ok");
            t.exec();
            String stats = j.info("commandstats");
            assertTrue(stats.contains("cmdstat_multi:calls=1,"), stats);
            assertTrue(stats.contains("cmdstat_exec:calls=1,"), stats);
            assertTrue(stats.contains("cmdstat_set:calls=2,"), stats);
            assertTrue(stats.contains("cmdstat_incr:calls=1,"), stats);
        }
    }

    @Test
    void failedInnerCommandIsCountedOnItNotOnExec() throws Exception {
        try (RawResp r = new RawResp(server.port())) {
            r.call("CONFIG", "RESETSTAT");
            r.call("SET", "s", "abc");
            r.call("MULTI");
            r.call("INCR", "s");
            r.call("EXEC");
            String stats = r.call("INFO", "commandstats");
            assertTrue(stats.matches("(?s).*cmdstat_incr:calls=1,[^\\r]*rejected_calls=0,failed_calls=1.*"), stats);
            assertTrue(stats.matches("(?s).*cmdstat_exec:calls=1,[^\\r]*rejected_calls=0,failed_calls=0.*"), stats);
        }
    }

    @Test
    void pushToSelfFollowsTheExecReplyInResp3() throws Exception {
        try (RawResp r = new RawResp(server.port())) {
            r.call("HELLO", "3");
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", r.call("SUBSCRIBE", "ch"));
            r.call("MULTI");
            r.call("PUBLISH", "ch", "m1");
            r.call("PING");
            assertEquals("*2\r\n:1\r\n+PONG\r\n", r.call("EXEC"));
            assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nm1\r\n", r.read());
            // outside a transaction too, the reply comes first
            assertEquals(":1\r\n", r.call("PUBLISH", "ch", "m2"));
            assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nm2\r\n", r.read());
        }
    }

    @Test
    void jedisExecAbortSurfacesAsAnError() {
        try (Jedis j = server.jedis()) {
            Transaction t = j.multi();
            t.sendCommand(redis.clients.jedis.Protocol.Command.GET, new String[0]);
            assertThrows(JedisDataException.class, t::exec);
        }
    }

    private static void awaitBlocked(RawResp r, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!r.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("client did not block");
            }
            Thread.sleep(5);
        }
    }

    private static void awaitFlag(RawResp r, String flag) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!r.call("CLIENT", "LIST").contains("flags=" + flag + " ")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no client with flags=" + flag);
            }
            Thread.sleep(5);
        }
    }
}
