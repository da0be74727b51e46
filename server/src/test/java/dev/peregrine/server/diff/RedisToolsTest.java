package dev.peregrine.server.diff;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code redis-cli} and {@code redis-benchmark} against an in-process Peregrine: each run must exit 0
 * and print no error. Skipped without the tools, failed under {@code CI=true} (see {@link ExternalTools}).
 */
class RedisToolsTest {
    /** The redis-benchmark tests run; extend as command families land (set,get,incr,lpush,mset). */
    static final String BENCHMARK_TESTS = "ping_inline,ping_mbulk,set,get,incr,lpush,mset";
    private static final long TIMEOUT_SECONDS = 120;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A finished tool run. */
    private static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    private static Run run(String stdin, String tool, String... args) throws IOException, InterruptedException {
        Path exe = ExternalTools.require(tool);
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.add("-h");
        cmd.add("127.0.0.1");
        cmd.add("-p");
        cmd.add(String.valueOf(server.port()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("peregrine-tool", ".out");
        Path err = Files.createTempFile("peregrine-tool", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var w = p.getOutputStream()) {
                    w.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                           Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** redis-cli with {@code -e} (exit 1 on an error reply); checks exit 0, silence on stderr, and stdout. */
    private static void cli(String expected, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("-e"));
        a.addAll(List.of(args));
        Run r = run(null, "redis-cli", a.toArray(new String[0]));
        assertEquals(0, r.exit, r::toString);
        assertEquals("", r.err, r::toString);
        assertEquals(expected, r.out, r::toString);
    }

    /** The first reply line of a raw request, for probing whether a command exists yet. */
    private static String probe(String... argv) throws IOException {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        try (RawConnection c = new RawConnection(server.port())) {
            return new String(c.call(a), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void cliRunsCommandsInRawAndFormattedModes() throws Exception {
        cli("PONG\n", "PING");
        cli("hello\n", "ECHO", "hello");
        cli("a b\n", "--raw", "ECHO", "a b");
        cli("\"a b\"\n", "--no-raw", "ECHO", "a b");
        cli("OK\n", "SELECT", "15");
        cli("PONG\n", "-n", "3", "PING");
        cli("multi\nline\n", "--raw", "ECHO", "multi\nline");
    }

    @Test
    void cliReadsCommandsFromStandardInput() throws Exception {
        Run r = run("PING\nECHO \"x y\"\nSELECT 2\nPING again\n", "redis-cli", "-e", "--raw");
        assertEquals(0, r.exit, r::toString);
        assertEquals("", r.err, r::toString);
        assertEquals("PONG\nx y\nOK\nagain\n", r.out, r::toString);
    }

    @Test
    void cliReportsErrorRepliesWithExitCode() throws Exception {
        Run r = run(null, "redis-cli", "-e", "NOSUCHCOMMAND", "x");
        assertEquals(1, r.exit, r::toString);
        assertTrue((r.out + r.err).contains("ERR unknown command 'NOSUCHCOMMAND'"), r::toString);
    }

    @Test
    void cliInResp3() throws Exception {
        // redis-cli -3 sends HELLO 3 on connecting; it only warns (exit 0) if that fails, so check stderr too.
        cli("PONG\n", "-3", "PING");
        cli("hello\n", "-3", "ECHO", "hello");
        cli("x\n", "-3", "--raw", "ECHO", "x");
    }

    @Test
    void benchmarkWithoutPipelining() throws Exception {
        benchmark("1");
    }

    @Test
    void benchmarkWithPipelineOf16() throws Exception {
        benchmark("16");
    }

    private static void benchmark(String pipeline) throws Exception {
        Run r = run(null, "redis-benchmark", "-t", BENCHMARK_TESTS, "-n", "2000", "-P", pipeline, "-q");
        assertEquals(0, r.exit, r::toString);
        // redis-benchmark asks CONFIG GET save/appendonly first and only warns when it cannot: any warning fails
        StringBuilder problems = new StringBuilder();
        for (String line : (r.out + "\n" + r.err).split("[\r\n]+")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.contains("error") || lower.contains("err ") || lower.contains("warning")) {
                problems.append(l).append('\n');
            }
        }
        assertEquals("", problems.toString(), r::toString);
        for (String test : BENCHMARK_TESTS.split(",")) {
            // result lines read "SET: 12345.67 requests per second, ..." or "MSET (10 keys): ..."
            String name = test.toUpperCase(Locale.ROOT);
            assertTrue(r.out.lines().map(String::strip).anyMatch(l -> (l.startsWith(name + ":")
                    || l.startsWith(name + " (")) && l.contains("requests per second")),
                       () -> "no result line for " + name + "\n" + r);
        }
        assertFalse(r.out.contains("-nan requests"), r::toString);
    }
}
