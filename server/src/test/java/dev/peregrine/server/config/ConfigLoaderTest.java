package dev.peregrine.server.config;

import dev.peregrine.server.exec.ServerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ServerConfig loadFile(String text, String... args) throws Exception {
        Path f = dir.resolve("test.conf");
        Files.writeString(f, text);
        String[] argv = new String[args.length + 1];
        argv[0] = f.toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        return loadArgs(argv);
    }

    private static ServerConfig loadArgs(String... argv) throws Exception {
        ServerConfig c = new ServerConfig();
        new ConfigLoader(c).load(ConfigLoader.parseCommandLine(argv));
        return c;
    }

    private String error(String text, String... args) {
        return assertThrows(ConfigLoader.FatalConfigError.class, () -> loadFile(text, args)).getMessage();
    }

    private static String report(int line, String text, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + ServerInfo.REDIS_VERSION + ") ***\n"
               + "Reading the configuration file, at line " + line + "\n>>> '" + text + "'\n" + reason;
    }

    @Test
    void commentsBlankLinesIndentationAndCase() throws Exception {
        ServerConfig c = loadFile("# a comment\n\n   HZ 20   \n\t# indented comment\r\nmaxmemory-policy ALLKEYS-LRU\r\n");
        assertEquals(20, c.intValue("hz"));
        assertEquals("allkeys-lru", c.stringValue("maxmemory-policy"));
    }

    @Test
    void quotingFollowsRedisRules() throws Exception {
        ServerConfig c = loadFile("requirepass \"a b\\x41\\n\"\nmasteruser 'it\\'s'\nlogfile \"\"\n");
        assertEquals("a bA\n", c.stringValue("requirepass"));
        assertEquals("it's", c.stringValue("masteruser"));
        assertEquals("Unbalanced quotes in configuration line", error("masteruser 'it''s'\n").substring(error("masteruser 'it''s'\n").lastIndexOf('\n') + 1));
        assertEquals("", c.stringValue("logfile"));
    }

    @Test
    void lastRepeatedDirectiveWins() throws Exception {
        ServerConfig c = loadFile("hz 20\nhz 30\n");
        assertEquals(30, c.intValue("hz"));
    }

    @Test
    void saveLinesAccumulateAndEmptyClears() throws Exception {
        assertEquals("3600 1 300 100 60 10000", loadFile("hz 10\n").stringValue("save"));
        assertEquals("100 1 200 2", loadFile("save 100 1\nsave 200 2\n").stringValue("save"));
        assertEquals("", loadFile("save 100 1\nsave \"\"\n").stringValue("save"));
        assertEquals("10 1", loadFile("save \"\"\nsave 10 1\n").stringValue("save"));
        assertEquals("", loadFile("save 100 1\n", "--save", "").stringValue("save"));
        assertEquals("", loadFile("save 100 1\n", "--save").stringValue("save"));
        assertEquals("100 1 60 5", loadFile("save 100 1\n", "--save", "60 5").stringValue("save"));
    }

    @Test
    void includeAndWildcardInclude() throws Exception {
        Files.writeString(dir.resolve("a.part"), "hz 40\n");
        Files.writeString(dir.resolve("b.part"), "timeout 7\n");
        ServerConfig c = loadFile("hz 5\ninclude " + dir.resolve("a.part") + "\ninclude " + dir.resolve("*.part")
                                  + "\n");
        assertEquals(40, c.intValue("hz"));
        assertEquals(7, c.longValue("timeout"));
    }

    @Test
    void missingIncludeIsFatal() {
        String msg = error("include " + dir.resolve("nope.conf") + "\n");
        assertEquals("Fatal error, can't open config file '" + dir.resolve("nope.conf")
                     + "': No such file or directory", msg);
    }

    @Test
    void missingConfigFileIsFatal() {
        String msg = assertThrows(ConfigLoader.FatalConfigError.class,
                                  () -> loadArgs(dir.resolve("missing.conf").toString())).getMessage();
        assertEquals("Fatal error, can't open config file '" + dir.resolve("missing.conf")
                     + "': No such file or directory", msg);
    }

    @Test
    void errorsReportLineAsWrittenAndReason() {
        assertEquals(report(4, "foo bar baz", "Bad directive or wrong number of arguments"),
                     error("port 7000\n# comment\n  save 100 1\nfoo bar baz\n"));
        assertEquals(report(1, "port \"7000", "Unbalanced quotes in configuration line"), error("port \"7000\n"));
        assertEquals(report(1, "port abc", "argument couldn't be parsed into an integer"), error("port abc\n"));
        assertEquals(report(1, "hz 1 2", "wrong number of arguments"), error("hz 1 2\n"));
        assertEquals(report(1, "maxmemory-policy   Foo", "argument(s) must be one of the following: "
                            + "volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
                            + "allkeys-random, noeviction"), error("  maxmemory-policy   Foo  \n"));
        assertEquals(report(1, "appendonly maybe", "argument must be 'yes' or 'no'"), error("appendonly maybe\n"));
        assertEquals(report(1, "timeout -1", "argument must be between 0 and 2147483647 inclusive"),
                     error("timeout -1\n"));
        assertEquals(report(1, "maxmemory 10xb", "argument must be a memory value"), error("maxmemory 10xb\n"));
        assertEquals(report(2, "save 0 1", "Invalid save parameters"), error("\nsave 0 1\n"));
        assertEquals(report(1, "sentinel monitor x", "sentinel directive while not in sentinel mode"),
                     error("sentinel monitor x\n"));
        assertEquals(report(1, "rename-command get", "Bad directive or wrong number of arguments"),
                     error("rename-command get\n"));
    }

    @Test
    void commandLineErrorsCountAfterTheFile() throws Exception {
        // no file: options start at line 2, after the empty line Redis puts before them
        String msg = assertThrows(ConfigLoader.FatalConfigError.class, () -> loadArgs("--port", "1", "2"))
                .getMessage();
        assertEquals(report(2, "port \"1\" \"2\"", "wrong number of arguments"), msg);
        msg = assertThrows(ConfigLoader.FatalConfigError.class, () -> loadArgs("--save", "100")).getMessage();
        assertEquals(report(2, "save \"100\"", "Invalid save parameters"), msg);
        // a two-line file then the options: line 4
        assertEquals(report(4, "hz \"x\"", "argument couldn't be parsed into an integer"),
                     error("hz 5\ntimeout 1\n", "--hz", "x"));
    }

    @Test
    void commandLineForms() throws Exception {
        ConfigLoader.Parsed p = ConfigLoader.parseCommandLine(new String[] {"/etc/r.conf", "--port", "7000",
                                                                            "--save", "", "--loglevel", "verbose"});
        assertEquals("/etc/r.conf", p.configFile);
        assertEquals("port \"7000\" \nsave \"\" \nloglevel \"verbose\" ", p.options);
        p = ConfigLoader.parseCommandLine(new String[] {"--save", "--port", "1"});
        assertNull(p.configFile);
        assertEquals("save \"\"\nport \"1\" ", p.options);
        ServerConfig c = loadArgs("--requirepass", "a b \"c\"", "--port 7001", "--bind", "127.0.0.1", "::1");
        assertEquals("a b \"c\"", c.stringValue("requirepass"));
        assertEquals(7001, c.intValue("port"));
        assertEquals("127.0.0.1 ::1", c.stringValue("bind"));
        c = loadArgs("--masterauth", "--secret");
        assertEquals("--secret", c.stringValue("masterauth"));
    }

    @Test
    void standardInputConfig() throws Exception {
        ConfigLoader.Parsed p = ConfigLoader.parseCommandLine(new String[] {"-", "--timeout", "3"});
        assertTrue(p.fromStdin);
        ServerConfig c = new ServerConfig();
        new ConfigLoader(c).load(null, true, p.options,
                                 new ByteArrayInputStream("hz 33\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(33, c.intValue("hz"));
        assertEquals(3, c.longValue("timeout"));
    }

    @Test
    void aliasesSetTheirDirective() throws Exception {
        ServerConfig c = loadFile("slaveof 10.0.0.1 6380\nslave-read-only no\nhash-max-ziplist-entries 10\n"
                                  + "list-max-ziplist-size 5\nzset-max-ziplist-value 1kb\nlua-time-limit 99\n"
                                  + "primaryauth pw\n");
        assertEquals("10.0.0.1 6380", c.stringValue("replicaof"));
        assertEquals(false, c.boolValue("replica-read-only"));
        assertEquals(10, c.longValue("hash-max-listpack-entries"));
        assertEquals(5, c.longValue("list-max-listpack-size"));
        assertEquals(1024, c.longValue("zset-max-listpack-value"));
        assertEquals(99, c.longValue("busy-reply-threshold"));
        assertEquals("pw", c.stringValue("masterauth"));
    }

    @Test
    void configFileOnlyDirectives() throws Exception {
        ServerConfig c = loadFile("rename-command FLUSHALL \"\"\nrename-command get myget\nuser alice on >pw ~*\n"
                                  + "list-max-ziplist-entries 10\nloadmodule /x/y.so a b\n");
        assertEquals(2, c.renamedCommands().size());
        assertArrayEquals(new String[] {"flushall", ""}, c.renamedCommands().get(0));
        assertArrayEquals(new String[] {"get", "myget"}, c.renamedCommands().get(1));
        assertEquals("alice on >pw ~*", c.userLines().get(0));
        assertEquals("/x/y.so a b", c.moduleLines().get(0));
    }

    @Test
    void clientOutputBufferLimitAppliesOnTopOfCurrent() throws Exception {
        ServerConfig c = loadFile("client-output-buffer-limit normal 1mb 2mb 3\n"
                                  + "client-output-buffer-limit replica 1gb 0 0 pubsub 1 2 3\n");
        assertEquals("normal 1048576 2097152 3 slave 1073741824 0 0 pubsub 1 2 3",
                     c.formatted(c.directive("client-output-buffer-limit")));
        assertEquals(report(1, "client-output-buffer-limit master 1 2 3",
                            "Invalid client class specified in buffer limit configuration."),
                     error("client-output-buffer-limit master 1 2 3\n"));
        assertEquals(report(1, "client-output-buffer-limit normal 1 2",
                            "Wrong number of arguments in buffer limit configuration."),
                     error("client-output-buffer-limit normal 1 2\n"));
    }

    @Test
    void configFilePathIsRecordedAbsolute() throws Exception {
        ServerConfig c = loadFile("hz 10\n");
        assertEquals(dir.resolve("test.conf").toAbsolutePath().toString(), c.configFile());
    }
}
