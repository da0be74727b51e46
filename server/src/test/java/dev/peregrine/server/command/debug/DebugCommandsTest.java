package dev.peregrine.server.command.debug;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.command.RealRedis;
import dev.peregrine.server.command.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DEBUG subcommands and the enable-debug-command gate, compared with redis-server where the data is the same. */
class DebugCommandsTest {
    static TestServer server;
    static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(c -> c.set("enable-debug-command", "yes"));
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    private static void both(Socket ours, Socket theirs, String... cmd) throws Exception {
        assertEquals(Resp.call(theirs, cmd), Resp.call(ours, cmd), String.join(" ", cmd));
    }

    @Test
    void refusedUnlessEnabled() throws Exception {
        String refusal = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the "
                + "configuration file, and then restart the server.\r\n";
        try (TestServer off = TestServer.start(); Socket s = off.socket()) {
            assertEquals(refusal, Resp.call(s, "DEBUG", "SLEEP", "0"));
            assertEquals(refusal, Resp.call(s, "DEBUG", "HELP"));
        }
        try (TestServer local = TestServer.start(c -> c.set("enable-debug-command", "local"));
             Socket s = local.socket()) {
            assertEquals("+OK\r\n", Resp.call(s, "DEBUG", "SLEEP", "0"));
        }
    }

    @Test
    void digestsMatchRedisForTheSameData() throws Exception {
        try (TestServer fresh = TestServer.start(c -> c.set("enable-debug-command", "yes"));
             RealRedis freshRedis = RealRedis.start();
             Socket ours = fresh.socket(); Socket theirs = freshRedis.socket()) {
            both(ours, theirs, "DEBUG", "DIGEST");
            for (Socket s : new Socket[] {ours, theirs}) {
                Resp.call(s, "SELECT", "9");
            }
            both(ours, theirs, "DEBUG", "DIGEST");
            assertEquals("+0000000000000000000000000000000000000000\r\n", Resp.call(ours, "DEBUG", "DIGEST"));
            both(ours, theirs, "DEBUG", "POPULATE", "50");
            both(ours, theirs, "DEBUG", "POPULATE", "80", "key", "12");
            both(ours, theirs, "DEBUG", "POPULATE", "5", "short", "3");
            both(ours, theirs, "DEBUG", "POPULATE", "5", "long", "60");
            both(ours, theirs, "DEBUG", "DIGEST");
            both(ours, theirs, "DEBUG", "DIGEST-VALUE", "key:1", "key:70", "short:2", "long:4", "missing");
            both(ours, theirs, "DEBUG", "DIGEST-VALUE");
            for (Socket s : new Socket[] {ours, theirs}) {
                Resp.call(s, "SELECT", "10");
            }
            both(ours, theirs, "DEBUG", "POPULATE", "7", "other");
            both(ours, theirs, "DEBUG", "DIGEST");
        }
    }

    @Test
    void objectDescribesTheValue() throws Exception {
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (Socket s : new Socket[] {ours, theirs}) {
                Resp.call(s, "SELECT", "11");
                Resp.call(s, "DEBUG", "POPULATE", "2", "obj");
                Resp.call(s, "DEBUG", "POPULATE", "1", "wide", "40");
            }
            for (String key : new String[] {"obj:1", "wide:0"}) {
                String o = mask(Resp.call(ours, "DEBUG", "OBJECT", key));
                assertEquals(mask(Resp.call(theirs, "DEBUG", "OBJECT", key)), o, key);
                assertTrue(Resp.call(ours, "DEBUG", "OBJECT", key)
                        .matches("\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\\d+ "
                                + "lru:\\d+ lru_seconds_idle:\\d+\r\n"));
            }
            both(ours, theirs, "DEBUG", "OBJECT", "missing");
        }
    }

    private static String mask(String line) {
        return line.replaceAll("at:0x[0-9a-f]+", "at:0x?").replaceAll("lru:\\d+", "lru:?")
                .replaceAll("lru_seconds_idle:\\d+", "lru_seconds_idle:?");
    }

    @Test
    void errorsMatchRedis() throws Exception {
        String[][] cases = {
            {"DEBUG"},
            {"DEBUG", "NOSUCH"},
            {"DEBUG", "help", "x"},
            {"DEBUG", "SLEEP"},
            {"DEBUG", "SLEEP", "0", "x"},
            {"DEBUG", "OBJECT"},
            {"DEBUG", "POPULATE"},
            {"DEBUG", "POPULATE", "1", "a", "2", "x"},
            {"DEBUG", "POPULATE", "-1"},
            {"DEBUG", "POPULATE", "x"},
            {"DEBUG", "POPULATE", "1", "p", "-1"},
            {"DEBUG", "POPULATE", "0"},
            {"DEBUG", "DIGEST", "x"},
            {"DEBUG", "SET-ACTIVE-EXPIRE"},
            {"DEBUG", "LOG"},
            {"DEBUG", "LOG", "hello from a test"},
            {"DEBUG", "PROTOCOL"},
            {"DEBUG", "PROTOCOL", "nosuch"},
            {"DEBUG", "SLEEP", "0"},
            {"DEBUG", "SLEEP", "abc"},
            {"DEBUG", "SLEEP", "0.01"},
        };
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (String[] c : cases) {
                both(ours, theirs, c);
            }
        }
    }

    @Test
    void protocolRepliesMatchRedis() throws Exception {
        String[] types = {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib", "push",
            "verbatim", "true", "false"};
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (String t : types) {
                both(ours, theirs, "DEBUG", "PROTOCOL", t);
            }
            if (!Resp.call(ours, "HELLO", "3").startsWith("-")) {
                Resp.call(theirs, "HELLO", "3");
                for (String t : types) {
                    both(ours, theirs, "DEBUG", "PROTOCOL", t);
                }
            }
        }
    }

    @Test
    void setActiveExpireSwitchesTheCycle() throws Exception {
        try (Socket s = server.socket()) {
            assertEquals("+OK\r\n", Resp.call(s, "DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            assertFalse(server.server().engine().activeExpireEnabled());
            assertEquals("+OK\r\n", Resp.call(s, "DEBUG", "set-active-expire", "1"));
            assertTrue(server.server().engine().activeExpireEnabled());
        }
    }

    @Test
    void helpListsTheSupportedSubcommands() throws Exception {
        try (Socket s = server.socket()) {
            List<?> help = (List<?>) Resp.callParsed(s, "DEBUG", "HELP");
            assertEquals("+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
            for (String line : new String[] {"+DIGEST", "+DIGEST-VALUE <key> [<key> ...]", "+LOG <message>",
                "+OBJECT <key>", "+POPULATE <count> [<prefix>] [<size>]", "+PROTOCOL <type>",
                "+SET-ACTIVE-EXPIRE <0|1>", "+SLEEP <seconds>", "+HELP"}) {
                assertTrue(help.contains(line), line);
            }
        }
    }
}
