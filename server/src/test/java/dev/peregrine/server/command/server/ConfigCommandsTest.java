package dev.peregrine.server.command.server;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCommandsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static void expect(String expected, String... args) throws Exception {
        try (Socket s = server.socket()) {
            assertEquals(expected, TestServer.exchange(s, command(args), expected.length()));
        }
    }

    private static String err(String text) {
        return "-" + text + "\r\n";
    }

    @Test
    void getSingleMultipleAndGlob() throws Exception {
        expect("*2\r\n$2\r\nhz\r\n$2\r\n10\r\n", "CONFIG", "GET", "hz");
        // the name is printed as asked
        expect("*2\r\n$2\r\nHZ\r\n$2\r\n10\r\n", "config", "get", "HZ");
        expect("*0\r\n", "CONFIG", "GET", "no-such-thing");
        try (Jedis j = server.jedis()) {
            Map<String, String> m = j.configGet("maxmemory*", "timeout", "slave-read-only");
            assertEquals("0", m.get("maxmemory"));
            assertEquals("noeviction", m.get("maxmemory-policy"));
            assertEquals("5", m.get("maxmemory-samples"));
            assertEquals("0", m.get("maxmemory-clients"));
            assertEquals("10", m.get("maxmemory-eviction-tenacity"));
            assertEquals("0", m.get("timeout"));
            assertEquals("yes", m.get("slave-read-only"));
            assertEquals(7, m.size());
            Map<String, String> all = j.configGet("*");
            assertTrue(all.size() > 190, "size " + all.size());
            assertEquals("yes", all.get("replica-read-only"));
            assertEquals("yes", all.get("slave-read-only"));
            assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                         all.get("client-output-buffer-limit"));
            assertEquals("1073741824", all.get("client-query-buffer-limit"));
            // hidden settings answer an exact name only
            assertFalse(all.containsKey("key-load-delay"));
            assertEquals("0", j.configGet("key-load-delay").get("key-load-delay"));
            // a name matched twice is answered once
            assertEquals(1, j.configGet("hz", "h?").size());
        }
    }

    @Test
    void setChangesValuesAndAliases() throws Exception {
        try (Jedis j = server.jedis()) {
            assertEquals("OK", j.configSet("lfu-log-factor", "20"));
            assertEquals("20", j.configGet("lfu-log-factor").get("lfu-log-factor"));
            assertEquals("OK", j.configSet("slave-priority", "7", "maxmemory", "1gb"));
            assertEquals("7", j.configGet("replica-priority").get("replica-priority"));
            assertEquals("1073741824", j.configGet("maxmemory").get("maxmemory"));
            assertEquals("OK", j.configSet("client-output-buffer-limit", "pubsub 1mb 2mb 3"));
            assertEquals("OK", j.configSet("client-output-buffer-limit", "normal 1 2 3"));
            assertEquals("normal 1 2 3 slave 268435456 67108864 60 pubsub 1048576 2097152 3",
                         j.configGet("client-output-buffer-limit").get("client-output-buffer-limit"));
            assertEquals("OK", j.configSet("save", ""));
            assertEquals("", j.configGet("save").get("save"));
            assertEquals("OK", j.configSet("save", "100 1 200 2"));
            assertEquals("100 1 200 2", j.configGet("save").get("save"));
            j.configSet("maxmemory", "0", "lfu-log-factor", "10", "replica-priority", "100",
                        "client-output-buffer-limit", "normal 0 0 0 pubsub 32mb 8mb 60");
        }
    }

    @Test
    void hzChangeReachesTheEngine() throws Exception {
        try (Jedis j = server.jedis()) {
            assertEquals("OK", j.configSet("hz", "100"));
            assertEquals(10, server.server().engine().cronPeriodMs());
            assertEquals("OK", j.configSet("hz", "10"));
            assertEquals(100, server.server().engine().cronPeriodMs());
        }
    }

    @Test
    void setErrorsMatchRedis() throws Exception {
        expect(err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"), "CONFIG", "SET", "foo", "1");
        expect(err("ERR syntax error"), "CONFIG", "SET", "hz", "5", "maxmemory");
        expect(err("ERR wrong number of arguments for 'config|set' command"), "CONFIG", "SET", "hz");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
               "CONFIG", "SET", "daemonize", "yes");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"),
               "CONFIG", "SET", "dir", "/tmp");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'port') - duplicate parameter"),
               "CONFIG", "SET", "port", "1", "port", "2");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'replica-read-only') - duplicate parameter"),
               "CONFIG", "SET", "slave-read-only", "no", "replica-read-only", "no");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into "
                   + "an integer"), "CONFIG", "SET", "hz", "abc");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 "
                   + "and 4294967295 inclusive"), "CONFIG", "SET", "maxclients", "0");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or "
                   + "'no'"), "CONFIG", "SET", "appendonly", "maybe");
        expect(err("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid "
                   + "client class specified in buffer limit configuration."),
               "CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3");
        expect(err("ERR unknown subcommand 'Foo'. Try CONFIG HELP."), "CONFIG", "Foo");
    }

    @Test
    void setIsAllOrNothing() throws Exception {
        expect(err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory "
                   + "value"), "CONFIG", "SET", "lfu-decay-time", "9", "maxmemory", "abc");
        try (Jedis j = server.jedis()) {
            assertEquals("1", j.configGet("lfu-decay-time").get("lfu-decay-time"));
        }
    }

    @Test
    void help() throws Exception {
        String expected = "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                          + "+GET <pattern>\r\n"
                          + "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                          + "+SET <directive> <value>\r\n"
                          + "+    Set the configuration <directive> to <value>.\r\n"
                          + "+RESETSTAT\r\n"
                          + "+    Reset statistics reported by the INFO command.\r\n"
                          + "+REWRITE\r\n"
                          + "+    Rewrite the configuration file.\r\n"
                          + "+HELP\r\n"
                          + "+    Prints this help.\r\n";
        expect(expected, "CONFIG", "HELP");
    }

    @Test
    void rewriteWithoutConfigFile() throws Exception {
        expect(err("ERR The server is running without a config file"), "CONFIG", "REWRITE");
    }

    @Test
    void resetstatClearsStatsCommandStatsAndErrorStats() throws Exception {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.ping();
            try (Socket sock = s.socket()) {
                String e = "-ERR unknown command 'NOPE', with args beginning with: \r\n";
                assertEquals(e, TestServer.exchange(sock, "NOPE\r\n", e.length()));
            }
            String before = j.info("everything");
            assertTrue(before.contains("cmdstat_ping:calls=1,"), before);
            assertTrue(before.contains("errorstat_ERR:count="), before);
            assertEquals("OK", j.configResetStat());
            String after = j.info("everything");
            assertFalse(after.contains("cmdstat_ping"), after);
            assertFalse(after.contains("errorstat_ERR"), after);
            assertTrue(after.contains("total_error_replies:0\r\n"), after);
            assertTrue(after.contains("cmdstat_config|resetstat:calls=1,"), after);
        }
    }

    @Test
    void rewriteUpdatesTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("peregrine.conf");
        Files.writeString(file, "# keep me\nhz 20\nslave-read-only yes\nrename-command foo bar\nsave 100 1\n"
                                + "save 200 2\n");
        try (TestServer s = TestServer.start(c -> {
            c.configFile(file.toString());
            c.set("hz", "20");
            c.set("save", "100 1 200 2");
        }); Jedis j = s.jedis()) {
            j.configSet("hz", "10", "replica-read-only", "no", "maxmemory", "2gb", "timeout", "5",
                        "client-output-buffer-limit", "pubsub 1mb 2mb 3", "save", "300 3");
            assertEquals("OK", j.configRewrite());
            String text = Files.readString(file);
            assertTrue(text.startsWith("# keep me\nhz 10\nreplica-read-only no\nrename-command foo bar\n"
                                       + "save 300 3\n\n# Generated by CONFIG REWRITE\n"), text);
            assertTrue(text.contains("\nmaxmemory 2gb\n"), text);
            assertTrue(text.contains("\ntimeout 5\n"), text);
            assertTrue(text.contains("\nclient-output-buffer-limit pubsub 1mb 2mb 3\n"), text);
            assertTrue(text.contains("\ndir \""), text);
            // TestServer's own settings differ from the defaults too
            assertTrue(text.contains("\nport 0\n"), text);
            assertTrue(text.contains("\nbind 127.0.0.1\n"), text);
            assertFalse(text.contains("save 200 2"), text);
        }
    }

    @Test
    void protectedConfigsWhenEnabled(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(c -> c.set("enable-protected-configs", "local")); Jedis j = s.jedis()) {
            assertEquals("OK", j.configSet("dir", dir.toString()));
            assertEquals(dir.toRealPath().toString(), Path.of(j.configGet("dir").get("dir")).toRealPath().toString());
        }
    }

    @Test
    void renameCommandFromTheConfigFile() throws Exception {
        try (TestServer s = TestServer.start(c -> {
            c.renamedCommands().add(new String[] {"echo", "shout"});
        }); Socket sock = s.socket()) {
            String e = "-ERR unknown command 'ECHO', with args beginning with: 'x' \r\n$1\r\nx\r\n";
            assertEquals(e, TestServer.exchange(sock, "ECHO x\r\nSHOUT x\r\n", e.length()));
        }
    }
}
