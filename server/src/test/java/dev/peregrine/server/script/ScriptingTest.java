package dev.peregrine.server.script;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripting across connections and persistence, each scenario run against redis-server and Peregrine with the
 * replies compared: a busy script answered -BUSY to others while SCRIPT KILL / FUNCTION KILL / FUNCTION STATS
 * are served, clients blocked on keys a script pushed to are served after the script, function libraries travel
 * through RDB files and FUNCTION DUMP payloads in both directions, and DEBUG RELOAD keeps them.
 */
class ScriptingTest {
    private static final String LIB = "#!lua name=tlib\n"
            + "redis.register_function('tget', function(keys) return redis.call('get', keys[1]) end)\n"
            + "redis.register_function{function_name='tspin', callback=function() while true do end end, "
            + "flags={'no-writes'}}\n";

    static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return a;
    }

    static String call(RawConnection c, String... args) throws IOException {
        return new String(c.call(argv(args)), StandardCharsets.ISO_8859_1);
    }

    /** A script spinning past busy-reply-threshold, killed from another connection. */
    private static List<String> busyScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawConnection a = new RawConnection(port); RawConnection b = new RawConnection(port)) {
            out.add(call(b, "CONFIG", "SET", "busy-reply-threshold", "100"));
            out.add(call(b, "FUNCTION", "LOAD", "REPLACE", LIB));
            // an EVAL script with no writes: SCRIPT KILL stops it
            CompletableFuture<String> spin = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(a, "EVAL", "local i = 0 while true do i = i + 1 end", "0");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(400);
            out.add(call(b, "PING"));
            out.add(call(b, "GET", "x"));
            out.add(call(b, "FUNCTION", "KILL"));
            out.add(call(b, "FUNCTION", "STATS"));
            out.add(call(b, "SCRIPT", "KILL"));
            out.add(spin.get(10, TimeUnit.SECONDS));
            out.add(call(b, "PING"));
            out.add(call(a, "PING"));
            // a script that wrote cannot be killed
            CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(a, "EVAL", "redis.call('set', 'w', '1') local t = redis.call('time') "
                            + "local s = tonumber(t[1]) while tonumber(redis.call('time')[1]) < s + 2 do end "
                            + "return 'done'", "0");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(400);
            out.add(call(b, "SCRIPT", "KILL"));
            out.add(writer.get(10, TimeUnit.SECONDS));
            // a function: FUNCTION KILL stops it, FUNCTION STATS answers while it runs
            CompletableFuture<String> fn = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(a, "FCALL", "tspin", "0");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(400);
            out.add(call(b, "SET", "x", "1"));
            out.add(call(b, "SCRIPT", "KILL"));
            String stats = call(b, "FUNCTION", "STATS");
            out.add(stats.replaceAll("duration_ms\r\n:\\d+", "duration_ms\r\n:N"));
            out.add(call(b, "FUNCTION", "KILL"));
            out.add(fn.get(10, TimeUnit.SECONDS));
            out.add(call(b, "SCRIPT", "KILL"));
            out.add(call(b, "FUNCTION", "KILL"));
        }
        return out;
    }

    @Test
    void busyScriptsAreKilledFromOtherConnections() throws Exception {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            expected = busyScenario(redis.port());
        }
        try (TestServer server = TestServer.start()) {
            assertEquals(String.join("\n", expected), String.join("\n", busyScenario(server.port())));
        }
    }

    @Test
    void clientLibrariesRunScriptsAndFunctions() {
        try (TestServer server = TestServer.start(); var jedis = server.jedis()) {
            String sha = jedis.scriptLoad("return {KEYS[1], ARGV[1], redis.call('incr', KEYS[1])}");
            assertEquals(List.of("n", "x", 1L), jedis.evalsha(sha, List.of("n"), List.of("x")));
            assertTrue(jedis.scriptExists(sha));
            assertEquals("OK", jedis.scriptFlush());
            var e = org.junit.jupiter.api.Assertions.assertThrows(redis.clients.jedis.exceptions.JedisNoScriptException.class,
                    () -> jedis.evalsha(sha, List.of("n"), List.of("x")));
            assertTrue(e.getMessage().startsWith("NOSCRIPT"), e.getMessage());
            assertEquals("tlib", jedis.functionLoad(LIB));
            jedis.set("k", "v");
            assertEquals("v", jedis.fcall("tget", List.of("k"), List.of()));
            var ro = org.junit.jupiter.api.Assertions.assertThrows(redis.clients.jedis.exceptions.JedisDataException.class,
                    () -> jedis.fcallReadonly("tget", List.of("k"), List.of()));
            assertEquals("ERR Can not execute a script with write flag using *_ro command.", ro.getMessage());
            assertEquals(1, jedis.functionList().size());
            assertEquals("OK", jedis.functionFlush());
        }
    }

    @Test
    void busyScriptsAreKilledInQueueMode() throws Exception {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            expected = busyScenario(redis.port());
        }
        try (TestServer server = TestServer.start(c -> c.set("io-threads", "2"))) {
            assertEquals(String.join("\n", expected), String.join("\n", busyScenario(server.port())));
        }
    }

    @Test
    void shutdownNosaveStopsABusyScript() throws Exception {
        try (TestServer server = TestServer.start();
             RawConnection a = new RawConnection(server.port());
             RawConnection b = new RawConnection(server.port())) {
            call(b, "CONFIG", "SET", "busy-reply-threshold", "50");
            a.send(argv("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertTrue(call(b, "PING").startsWith("-BUSY"));
            b.send(argv("SHUTDOWN", "NOSAVE"));
            String reply;
            try {
                reply = new String(a.readReply(), StandardCharsets.ISO_8859_1);
            } catch (IOException closed) {
                reply = "closed";
            }
            assertTrue(reply.equals("closed") || reply.startsWith("-"), reply);
        }
    }

    /** Clients blocked on a key a script pushes to are served once the script ended. */
    private static List<String> wakeUpScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawConnection a = new RawConnection(port); RawConnection b = new RawConnection(port);
             RawConnection s = new RawConnection(port)) {
            call(s, "DEL", "q", "q2");
            a.send(argv("BLPOP", "q", "0"));
            b.send(argv("BLMOVE", "q2", "q", "LEFT", "RIGHT", "0"));
            Thread.sleep(200);
            out.add(call(s, "EVAL", "redis.call('rpush', 'q', 'a') redis.call('rpush', 'q', 'b') "
                    + "redis.call('rpush', 'q2', 'c') return {redis.call('llen', 'q'), redis.call('llen', 'q2')}", "0"));
            out.add(new String(a.readReply(), StandardCharsets.ISO_8859_1));
            out.add(new String(b.readReply(), StandardCharsets.ISO_8859_1));
            out.add(call(s, "LRANGE", "q", "0", "-1"));
            out.add(call(s, "LLEN", "q2"));
        }
        return out;
    }

    @Test
    void clientsBlockedOnKeysAreServedAfterTheScript() throws Exception {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            expected = wakeUpScenario(redis.port());
        }
        try (TestServer server = TestServer.start()) {
            assertEquals(String.join("\n", expected), String.join("\n", wakeUpScenario(server.port())));
        }
    }

    /** Under CLIENT PAUSE WRITE, scripts that may write wait; no-writes scripts and EVAL_RO run. */
    private static List<String> pauseScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawConnection a = new RawConnection(port); RawConnection b = new RawConnection(port);
             RawConnection s = new RawConnection(port)) {
            call(s, "DEL", "pk");
            call(s, "FUNCTION", "LOAD", "REPLACE", LIB);
            out.add(call(s, "CLIENT", "PAUSE", "100000", "WRITE"));
            a.send(argv("EVAL", "return redis.call('set', 'pk', 'v')", "0"));
            b.send(argv("FCALL", "tget", "1", "pk"));
            out.add(call(s, "EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'pk')", "0"));
            out.add(call(s, "EVAL_RO", "return redis.call('get', 'pk')", "0"));
            out.add(call(s, "GET", "pk"));
            out.add(call(s, "CLIENT", "UNPAUSE"));
            out.add(new String(a.readReply(), StandardCharsets.ISO_8859_1));
            out.add(new String(b.readReply(), StandardCharsets.ISO_8859_1));
            out.add(call(s, "GET", "pk"));
        }
        return out;
    }

    @Test
    void scriptsThatMayWriteWaitForClientPauseWrite() throws Exception {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            expected = pauseScenario(redis.port());
        }
        try (TestServer server = TestServer.start()) {
            assertEquals(String.join("\n", expected), String.join("\n", pauseScenario(server.port())));
        }
    }

    @Test
    void functionLibrariesTravelThroughRdbFiles(@TempDir Path dir) throws Exception {
        // Peregrine saves, redis-server loads
        try (TestServer server = TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("dbfilename", "ours.rdb");
        }); RawConnection c = new RawConnection(server.port())) {
            assertEquals("$4\r\ntlib\r\n", call(c, "FUNCTION", "LOAD", LIB));
            call(c, "SET", "k", "v1");
            assertEquals("+OK\r\n", call(c, "SAVE"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename",
                "ours.rdb"); RawConnection c = new RawConnection(redis.port())) {
            assertEquals("$2\r\nv1\r\n", call(c, "FCALL", "tget", "1", "k"));
            assertEquals("$4\r\nrlib\r\n", call(c, "FUNCTION", "LOAD",
                    "#!lua name=rlib\nredis.register_function('rf', function() return 7 end)"));
            assertEquals("+OK\r\n", call(c, "SAVE"));
        }
        // redis-server saves, Peregrine loads at start-up; DEBUG RELOAD keeps the libraries
        try (TestServer server = TestServer.start(c -> {
            c.set("dir", dir.toString());
            c.set("dbfilename", "ours.rdb"); // rewritten by redis-server's SAVE
            c.set("enable-debug-command", "yes");
        }); RawConnection c = new RawConnection(server.port())) {
            assertEquals(":7\r\n", call(c, "FCALL", "rf", "0"));
            assertEquals("$2\r\nv1\r\n", call(c, "FCALL", "tget", "1", "k"));
            assertEquals("+OK\r\n", call(c, "DEBUG", "RELOAD"));
            assertEquals(":7\r\n", call(c, "FCALL", "rf", "0"));
            String list = call(c, "FUNCTION", "LIST", "LIBRARYNAME", "tlib");
            assertTrue(list.contains("tspin"), list);
        }
    }

    @Test
    void functionDumpPayloadsTravelBothWays() throws Exception {
        try (TestServer server = TestServer.start();
             RedisServerProcess redis = RedisServerProcess.start();
             RawConnection ours = new RawConnection(server.port());
             RawConnection theirs = new RawConnection(redis.port())) {
            call(theirs, "FUNCTION", "LOAD", LIB);
            byte[] payload = bulk(theirs.call(argv("FUNCTION", "DUMP")));
            byte[][] restore = {"FUNCTION".getBytes(), "RESTORE".getBytes(), payload};
            assertEquals("+OK\r\n", new String(ours.call(restore), StandardCharsets.ISO_8859_1));
            call(ours, "SET", "k", "v");
            assertEquals("$1\r\nv\r\n", call(ours, "FCALL", "tget", "1", "k"));
            byte[] back = bulk(ours.call(argv("FUNCTION", "DUMP")));
            assertEquals("+OK\r\n", new String(theirs.call(new byte[][] {"FUNCTION".getBytes(),
                    "RESTORE".getBytes(), back, "FLUSH".getBytes()}), StandardCharsets.ISO_8859_1));
            assertEquals(new String(restore[2], StandardCharsets.ISO_8859_1), new String(back,
                    StandardCharsets.ISO_8859_1));
            // a second restore collides with the loaded library unless REPLACE
            String again = new String(ours.call(restore), StandardCharsets.ISO_8859_1);
            String theirsAgain = new String(theirs.call(restore), StandardCharsets.ISO_8859_1);
            assertEquals(theirsAgain, again);
        }
    }

    private static byte[] bulk(byte[] r) {
        assertEquals('$', r[0], () -> RawConnection.escape(r));
        int crlf = 1;
        while (r[crlf] != '\r') {
            crlf++;
        }
        int len = Integer.parseInt(new String(r, 1, crlf - 1, StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOfRange(r, crlf + 2, crlf + 2 + len);
    }
}
