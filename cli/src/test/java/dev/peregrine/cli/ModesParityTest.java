package dev.peregrine.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's modes side by side with the real redis-cli on one redis-server: {@code -x}/{@code -X}, {@code -r}/
 * {@code -i}, commands from stdin lines, {@code --eval}, {@code --pipe} (100,000 commands), {@code --scan},
 * connection set-up ({@code -a}, {@code -u}, {@code -n}) and its failures. Where a mode changes data, each CLI runs
 * on a freshly flushed server and the resulting data is compared too.
 */
class ModesParityTest {
    private static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void flush() throws Exception {
        try (Connection c = redis.connect()) {
            c.callStrings("FLUSHALL");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertSame(byte[] stdin, String... args) throws Exception {
        RealRedis.Result expected = redis.redisCli(stdin, args);
        RealRedis.Result actual = redis.ours(stdin, args);
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
    }

    private static void assertSame(String... args) throws Exception {
        assertSame(new byte[0], args);
    }

    /** Runs a data-changing invocation with each CLI on a flushed server; outputs and resulting data must match. */
    private static void assertSameEffect(byte[] stdin, List<String> check, String... args) throws Exception {
        flushAll();
        RealRedis.Result expected = redis.redisCli(stdin, args);
        RealRedis.Result expectedData = redis.redisCli(check.toArray(new String[0]));
        flushAll();
        RealRedis.Result actual = redis.ours(stdin, args);
        RealRedis.Result actualData = redis.redisCli(check.toArray(new String[0]));
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
        assertArrayEquals(expectedData.out(), actualData.out(), what + " -> " + check);
    }

    private static void flushAll() throws Exception {
        try (Connection c = redis.connect()) {
            c.callStrings("FLUSHALL");
        }
    }

    @Test
    void lastArgumentFromStdin() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        assertSame(binary, "-x", "echo");
        assertSame(binary, "--no-raw", "-x", "echo");
        assertSame(bytes("line one\nline two\n"), "--csv", "-x", "echo");
        assertSame(new byte[0], "--no-raw", "-x", "echo");
        assertSameEffect(binary, List.of("get", "k"), "-x", "set", "k");
        assertSameEffect(bytes("abc\n"), List.of("lrange", "l", "0", "-1"), "-x", "-r", "3", "rpush", "l");
        assertSame(bytes("from stdin"), "-X", "TAG", "--no-raw", "echo", "TAG");
    }

    @Test
    void repeatAndInterval() throws Exception {
        assertSame("-r", "3", "echo", "x");
        assertSame("-r", "0", "echo", "x");
        assertSame("-r", "3", "-i", "0.05", "--no-raw", "echo", "x");
        assertSame("-r", "2", "-D", "|", "echo", "x");
        assertSameEffect(new byte[0], List.of("get", "n"), "-r", "5", "-i", "0.01", "incr", "n");
    }

    @Test
    void commandsFromStdinLines() throws Exception {
        String script = "set a 1\nget a\n\n   \nfoo\n\"quoted arg\" x\nincr a\n3 incr a\nrpush l \"a\\x00b\" 'c d'\n"
                + "lrange l 0 -1\nset \"unbalanced\nget a\r\nquit\nget a\n";
        List<String> check = List.of("lrange", "l", "0", "-1");
        assertSameEffect(bytes(script), check);
        assertSameEffect(bytes(script), check, "--no-raw");
        assertSameEffect(bytes(script), check, "--csv");
        assertSameEffect(bytes(script), check, "-e");
        assertSameEffect(bytes("set x 1\nget x"), List.of("get", "x"));
    }

    @Test
    void evalScriptFile(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("s.lua");
        Files.writeString(script, "return {KEYS[1], ARGV[1], #KEYS, #ARGV}");
        assertSame("--eval", script.toString(), "k1", "k2", ",", "a1", "a2");
        assertSame("--eval", script.toString(), "k1,k2", ",", "a1", ",");
        assertSame("--no-raw", "--eval", script.toString());
        assertSame("--eval", dir.resolve("missing.lua").toString(), "k");
        Path failing = dir.resolve("f.lua");
        Files.writeString(failing, "return redis.error_reply('E failing')");
        assertSame("--eval", failing.toString());
        assertSame("-e", "--eval", failing.toString());
    }

    @Test
    void pipeHundredThousandCommands() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            String key = "key:" + i;
            String value = "value-" + i;
            if (i % 10_000 == 5) {
                data.writeBytes(bytes("*2\r\n$7\r\nNOTACMD\r\n$1\r\nx\r\n"));
            } else if (i % 3 == 0) {
                data.writeBytes(bytes("SET " + key + " " + value + "\r\n"));
            } else {
                data.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length()
                        + "\r\n" + value + "\r\n"));
            }
        }
        data.writeBytes(bytes("*2\r\n$4\r\nINCR\r\n$7\r\nkey:100\r\n"));
        byte[] input = data.toByteArray();
        assertSameEffect(input, List.of("eval", "return {redis.call('dbsize'), redis.call('get', 'key:99999'),"
                + " redis.call('get', 'key:3')}", "0"), "--pipe");
        RealRedis.Result r = redis.ours(input, "--pipe");
        assertEquals("All data transferred. Waiting for the last reply...\nLast reply received from server.\n"
                + "errors: 11, replies: 100001\n", r.outText());
        assertEquals(1, r.code());
    }

    @Test
    void pipeWithoutErrorsExitsZero() throws Exception {
        assertSameEffect(bytes("SET a 1\r\nINCR a\r\n"), List.of("get", "a"), "--pipe");
        assertSameEffect(new byte[0], List.of("dbsize"), "--pipe");
    }

    @Test
    void scanWithPatterns() throws Exception {
        try (Connection c = redis.connect()) {
            for (int i = 0; i < 2000; i++) {
                c.callStrings("SET", (i % 3 == 0 ? "user:" : "item:") + i, "v");
            }
            c.call(List.of(bytes("SET"), bytes("bin\u0000key\u00ff"), bytes("v")));
            c.callStrings("SET", "q\"uote", "v");
        }
        assertSame("--scan");
        assertSame("--scan", "--pattern", "user:1*");
        assertSame("--scan", "--pattern", "*9");
        assertSame("--scan", "--pattern", "nomatch*");
        assertSame("--no-raw", "--scan", "--pattern", "*:19*");
        assertSame("--no-raw", "--scan", "--pattern", "bin*");
        assertSame("--scan", "--pattern", "bin*");
        assertSame("--no-raw", "--scan", "--pattern", "q*");
        assertSame("--scan", "--quoted-pattern", "\"user:\\x31*\"");
        assertSame("--scan", "-i", "0.001", "--pattern", "item:10*");
        RealRedis.Result all = redis.ours("--scan");
        assertEquals(2002, all.outText().split("\n").length);
    }

    @Test
    void bigKeysAndMemKeys() throws Exception {
        assertSame("--bigkeys");
        assertSame("--memkeys");
        try (Connection c = redis.connect()) {
            c.callStrings("SET", "only", "one");
        }
        assertSame("--bigkeys");
        try (Connection c = redis.connect()) {
            for (int i = 0; i < 300; i++) {
                c.callStrings("SET", "s:" + i, "x".repeat(i % 50));
                c.callStrings("RPUSH", "l:" + (i % 40), "e" + i);
                c.callStrings("SADD", "set:" + (i % 30), "m" + i);
                c.callStrings("HSET", "h:" + (i % 20), "f" + i, "v");
                c.callStrings("ZADD", "z:" + (i % 10), Integer.toString(i), "m" + i);
                c.callStrings("XADD", "x:" + (i % 5), "*", "f", "v");
            }
            c.call(List.of(bytes("SET"), bytes("odd\u0000key\n\u00ff"), bytes("x".repeat(500))));
        }
        assertSame("--bigkeys");
        assertSame("--memkeys");
        assertSame("--memkeys", "--memkeys-samples", "3");
        assertSame("--memkeys-samples", "3", "--bigkeys");
        assertSame("--bigkeys", "--pattern", "l:*");
        assertSame("--bigkeys", "--pattern", "s:1");
        assertSame("--bigkeys", "-i", "0.01", "--pattern", "*:1*");
        assertSame("-n", "2", "--bigkeys");
    }

    @Test
    void hotKeys() throws Exception {
        assertSame("--hotkeys"); // no LFU policy: the error
        try (Connection c = redis.connect()) {
            c.callStrings("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            c.callStrings("CONFIG", "SET", "lfu-decay-time", "0");
            for (int i = 0; i < 40; i++) {
                c.callStrings("SET", "k" + i, "v");
                for (int j = 0; j < i % 13; j++) {
                    c.callStrings("GET", "k" + i);
                }
            }
        }
        try {
            assertSame("--hotkeys");
            assertSame("--hotkeys", "--pattern", "k1*");
            assertSame("-n", "4", "--hotkeys");
        } finally {
            try (Connection c = redis.connect()) {
                c.callStrings("CONFIG", "SET", "maxmemory-policy", "noeviction");
            }
        }
    }

    /** Latencies differ run to run: both CLIs must print the same shape of line and exit the same way. */
    @Test
    void latencySamplesForOneIntervalWhenNotOnATerminal() throws Exception {
        String[][] cases = {
            {"--raw", "[0-9]+ [0-9]+ [0-9]+\\.[0-9]{2} [0-9]+\n"},
            {"--csv", "[0-9]+,[0-9]+,[0-9]+\\.[0-9]{2},[0-9]+\n"},
            {"--json", "\\{\"min\": [0-9]+, \"max\": [0-9]+, \"avg\": [0-9]+\\.[0-9]{2}, \"count\": [0-9]+}\n"},
            {"--quoted-json", ""},
        };
        String intrinsic = "(Max latency so far: [0-9]+ microseconds\\.\n)+\n[0-9]+ total runs \\(avg latency: "
                + "[0-9]+\\.[0-9]{4} microseconds / [0-9]+\\.[0-9]{2} nanoseconds per run\\)\\.\n"
                + "Worst run took [0-9]+x longer than the average latency\\.\n";
        RealRedis.Result expectedIntrinsic = redis.redisCli("--intrinsic-latency", "1");
        RealRedis.Result actualIntrinsic = redis.ours("--intrinsic-latency", "1");
        assertTrue(expectedIntrinsic.outText().matches(intrinsic), "redis-cli: " + expectedIntrinsic);
        assertTrue(actualIntrinsic.outText().matches(intrinsic), "ours: " + actualIntrinsic);
        assertEquals(expectedIntrinsic.code(), actualIntrinsic.code());
        for (String[] c : cases) {
            RealRedis.Result expected = redis.redisCli("--latency", "-i", "0.2", c[0]);
            RealRedis.Result actual = redis.ours("--latency", "-i", "0.2", c[0]);
            assertTrue(expected.outText().matches(c[1]), "redis-cli: " + expected);
            assertTrue(actual.outText().matches(c[1]), "ours: " + actual);
            assertEquals(expected.code(), actual.code());
            assertEquals(expected.errText(), actual.errText());
        }
    }

    /** --lru-test runs until its output closes: one report line, then the data it wrote. */
    @Test
    void lruTestReportsHitRatio() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.OutputStream stopping = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                if (captured.toString(StandardCharsets.US_ASCII).endsWith("\n")) {
                    throw new java.io.IOException("enough");
                }
                captured.write(b);
            }
        };
        int code = PeregrineCli.run(new String[] {"-p", Integer.toString(redis.port), "--lru-test", "200"},
                new java.io.ByteArrayInputStream(new byte[0]), stopping, new java.io.ByteArrayOutputStream(), false);
        assertEquals(1, code);
        String line = captured.toString(StandardCharsets.US_ASCII);
        assertTrue(line.matches("[0-9]+ Gets/sec \\| Hits: [0-9]+ \\([0-9]+\\.[0-9]{2}%\\) \\| "
                + "Misses: [0-9]+ \\([0-9]+\\.[0-9]{2}%\\)\n"), line);
        try (Connection c = redis.connect()) {
            long keys = c.callStrings("DBSIZE").integer;
            assertTrue(keys > 0 && keys <= 200, "keys lru:1..lru:200, got " + keys);
            assertEquals(keys, c.callStrings("EVAL", "return #redis.call('keys', 'lru:*')", "0").integer);
        }
    }

    /** --stat runs until its output closes: stop it after a few lines, then check the columns. */
    @Test
    void statPrintsRedisCliColumns() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.OutputStream stopping = new java.io.OutputStream() {
            int lines;

            @Override
            public void write(int b) throws java.io.IOException {
                if (lines >= 4) {
                    throw new java.io.IOException("enough");
                }
                captured.write(b);
                if (b == '\n') {
                    lines++;
                }
            }
        };
        int code = PeregrineCli.run(new String[] {"-p", Integer.toString(redis.port), "--stat", "-i", "0.05"},
                new java.io.ByteArrayInputStream(new byte[0]), stopping, new java.io.ByteArrayOutputStream(), false);
        assertEquals(1, code);
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertEquals(StatMode.HEADER, lines[0] + "\n" + lines[1] + "\n");
        String row = "[0-9]+ {1,10}[0-9.]+[BKMGTP] {1,7} [0-9]+ {1,7}[0-9]+ {1,7}[0-9]+ \\(\\+[0-9]+\\) *"
                + " [0-9]+ *";
        assertTrue(lines[2].matches(row) && lines[2].contains("(+0)"), lines[2]);
        assertTrue(lines[3].matches(row), lines[3]);
        assertEquals(lines[2].length(), lines[3].length(), "fixed columns");
        assertEquals(11, lines[2].indexOf(lines[2].substring(11).trim().split(" ")[0]));
        assertEquals("1.50K 512B 1.00M 2.00G", StatMode.bytesToHuman(1536) + " "
                + StatMode.bytesToHuman(512) + " " + StatMode.bytesToHuman(1 << 20) + " "
                + StatMode.bytesToHuman(2L << 30), "bytesToHuman");
    }

    /** Runs a command until it printed {@code lines} lines, then stops it; returns those lines' bytes. */
    private static byte[] firstLines(List<String> command, int lines) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try (java.io.InputStream in = p.getInputStream()) {
            int n = 0;
            int b;
            while (n < lines && (b = in.read()) >= 0) {
                got.write(b);
                if (b == '\n') {
                    n++;
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        return got.toByteArray();
    }

    /** Ours in-process until it printed {@code lines} lines (its stdout then fails, which ends it). */
    private static byte[] oursFirstLines(int lines, String... args) {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.OutputStream stopping = new java.io.OutputStream() {
            int n;

            @Override
            public void write(int b) throws java.io.IOException {
                if (n >= lines) {
                    throw new java.io.IOException("enough");
                }
                captured.write(b);
                if (b == '\n') {
                    n++;
                }
            }
        };
        List<String> argv = new ArrayList<>(List.of("-p", Integer.toString(redis.port)));
        argv.addAll(List.of(args));
        int code = PeregrineCli.run(argv.toArray(new String[0]), new java.io.ByteArrayInputStream(new byte[0]),
                stopping, new java.io.ByteArrayOutputStream(), false);
        assertEquals(1, code);
        return captured.toByteArray();
    }

    /**
     * --latency-dist: the legend is redis-cli's byte for byte (colour and --mono palettes); each row is 31 bucket
     * characters on palette colours, the shares of one row's samples adding up (the numbers differ run to run).
     */
    @Test
    void latencyDistDrawsRedisCliSpectrum() throws Exception {
        for (String[] mode : new String[][] {{"--latency-dist", "-i", "0.1"}, {"--latency-dist", "--mono", "-i", "0.1"}}) {
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port)));
            cmd.addAll(List.of(mode));
            String expected = new String(firstLines(cmd, 10), StandardCharsets.ISO_8859_1);
            String actual = new String(oursFirstLines(10, mode), StandardCharsets.ISO_8859_1);
            String[] e = expected.split("\n", -1);
            String[] a = actual.split("\n", -1);
            assertEquals(11, e.length, expected);
            assertEquals(11, a.length, actual);
            for (int i = 0; i < 8; i++) {
                assertEquals(e[i], a[i], "legend line " + i);
            }
            int[] palette = mode.length == 4 ? LatencyDistMode.MONO : LatencyDistMode.COLOR;
            StringBuilder colours = new StringBuilder();
            for (int c : palette) {
                colours.append(colours.length() == 0 ? "" : "|").append(c);
            }
            String row = "\u001b\\[38;5;0m(\u001b\\[48;5;(" + colours + ")m[^\u001b]){31}\u001b\\[0m";
            for (int i = 8; i < 10; i++) {
                assertTrue(e[i].matches(row), "redis-cli row " + e[i]);
                assertTrue(a[i].matches(row), "our row " + a[i]);
                assertEquals(e[i].replaceAll("\u001b\\[[0-9;]*m", ""), a[i].replaceAll("\u001b\\[[0-9;]*m", ""));
            }
        }
        long[] counts = new long[31];
        counts[0] = 1;
        counts[2] = 3;
        String row = LatencyDistMode.row(counts, 4, LatencyDistMode.COLOR);
        assertTrue(row.startsWith("\u001b[38;5;0m\u001b[48;5;239m.\u001b[48;5;0m-\u001b[48;5;226m*\u001b[48;5;0m#"),
                "ceil(share * 18): 1/4 -> 5, 3/4 -> 14: " + row);
    }

    /** --latency-dist keeps going across a server restart, counting its reconnection attempts as redis-cli does. */
    @Test
    void latencyDistReconnects() throws Exception {
        try (RealRedis own = RealRedis.start()) {
            StringBuffer screen = new StringBuffer();
            java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
            java.io.OutputStream stopping = new java.io.OutputStream() {
                @Override
                public void write(int b) throws java.io.IOException {
                    if (lines.get() >= 11) {
                        throw new java.io.IOException("enough");
                    }
                    screen.append((char) b);
                    if (b == '\n') {
                        lines.incrementAndGet();
                    }
                }
            };
            int[] code = {-1};
            Thread cli = new Thread(() -> code[0] = PeregrineCli.run(new String[] {"-p", Integer.toString(own.port),
                "--latency-dist", "-i", "0.1"}, new java.io.ByteArrayInputStream(new byte[0]), stopping,
                    new java.io.ByteArrayOutputStream(), false));
            cli.start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (lines.get() < 9 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            own.stopServer();
            while (!screen.toString().contains("Reconnecting... 1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            own.startAgain();
            cli.join(20_000);
            assertEquals(1, code[0], screen.toString());
            String text = screen.toString();
            assertTrue(text.contains("\r\u001b[0KReconnecting... 1\r"), text);
            assertTrue(text.matches("(?s).*Reconnecting\\.\\.\\. [0-9]+\r\r\u001b\\[0K\u001b\\[38;5;0m.*"),
                    "the line is cleared once a PING answers again: " + text);
        }
    }

    /** The snapshot differs run to run (creation time, memory): same messages, size, and a valid file. */
    @Test
    void rdbTransfer(@TempDir Path dir) throws Exception {
        try (Connection c = redis.connect()) {
            for (int i = 0; i < 500; i++) {
                c.callStrings("SET", "key:" + i, "value:" + i);
            }
            c.callStrings("RPUSH", "list", "a", "b", "c");
            c.callStrings("CONFIG", "SET", "repl-diskless-sync-delay", "0");
        }
        String file = dir.resolve("dump.rdb").toString();
        for (String diskless : new String[] {"yes", "no"}) {
            try (Connection c = redis.connect()) {
                c.callStrings("CONFIG", "SET", "repl-diskless-sync", diskless);
            }
            RealRedis.Result expected = redis.redisCli("--rdb", file);
            long expectedSize = Files.size(Path.of(file));
            Files.delete(Path.of(file));
            RealRedis.Result actual = redis.ours("--rdb", file);
            assertEquals(expected.toString(), actual.toString(), "diskless " + diskless);
            assertEquals(expectedSize, Files.size(Path.of(file)), "diskless " + diskless);
            if (RealRedis.onPath("redis-check-rdb")) {
                Process check = new ProcessBuilder("redis-check-rdb", file).redirectErrorStream(true).start();
                String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, check.waitFor(), report);
                assertTrue(report.contains("RDB looks OK"), report);
            }
            byte[] stdoutDump = redis.ours("--rdb", "-").out();
            assertEquals(redis.redisCli("--rdb", "-").out().length, stdoutDump.length, "to stdout");
        }
        RealRedis.Result expected = redis.redisCli("--functions-rdb", file);
        RealRedis.Result actual = redis.ours("--functions-rdb", file);
        assertEquals(expected.toString(), actual.toString());
        String bad = dir.resolve("missing-dir/dump.rdb").toString();
        assertEquals(redis.redisCli("--rdb", bad).toString(), redis.ours("--rdb", bad).toString());
        try (Connection c = redis.connect()) {
            c.callStrings("CONFIG", "SET", "repl-diskless-sync", "yes");
        }
    }

    @Test
    void connectionSetUp() throws Exception {
        try (Connection c = redis.connect()) {
            c.callStrings("SELECT", "3");
            c.callStrings("SET", "a", "in-db-3");
            c.callStrings("SELECT", "0");
            c.callStrings("SET", "a", "in-db-0");
        }
        assertSame("-n", "3", "get", "a");
        assertSame("-n", "99", "get", "a");
        assertSame("-n", "x", "get", "a");
        assertSame("-u", "redis://127.0.0.1:" + redis.port + "/3", "get", "a");
        assertSame("-u", "redis://default:x@127.0.0.1:" + redis.port + "/3", "get", "a");
        assertSame("--no-auth-warning", "-u", "redis://:pw@127.0.0.1:" + redis.port + "/3", "get", "a");
        assertSame("-u", "redis://pw@127.0.0.1:" + redis.port + "/3", "get", "a");
        assertSame("-a", "secret", "get", "a");
        assertSame("--pass", "secret", "--no-auth-warning", "get", "a");
        assertSame("--user", "default", "-a", "secret", "get", "a");
        assertSame("-3", "-n", "3", "--no-raw", "get", "a");
        assertSame("-u", "http://x", "get", "a");
    }

    @Test
    void failures() throws Exception {
        assertSame("-p", "1", "ping");
        assertSame("-p", "1", "-r", "3", "ping");
        assertSame("--bogus", "ping");
        assertSame("-n");
        assertSame("-e", "-r", "5", "notacommand");
        assertSame("--no-raw", "-e", "get");
    }

    @Test
    void optionsStopAtTheCommand() throws Exception {
        assertSame("echo", "-h", "--raw");
        assertSame("--no-raw", "echo", "-p", "1");
    }

    @Test
    void unsupportedOptionsSaySoAndExitOne() {
        for (String opt : new String[] {"--ldb", "--ldb-sync-mode"}) {
            RealRedis.Result r = redis.ours(opt, "ping");
            assertEquals(1, r.code(), opt);
            assertEquals("", r.outText(), opt);
            assertTrue(r.errText().contains("'" + opt + "' is not supported yet"), r.errText());
        }
        List<String> withValue = new ArrayList<>(List.of("--tls-ciphers", "HIGH"));
        RealRedis.Result r = redis.ours(withValue.toArray(new String[0]));
        assertEquals(1, r.code());
        assertTrue(r.errText().contains("not supported yet"));
    }
}
