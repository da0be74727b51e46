package dev.peregrine.server.diff;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Replays every script of {@code src/test/resources/diff/*.txt} (format: {@link DiffScript}) against a real
 * redis-server and an in-process Peregrine, and compares each raw reply byte for byte. Every script runs twice,
 * starting in RESP2 and in RESP3 (HELLO 3), on a fresh Peregrine and a flushed redis-server, each over one new
 * connection. A run goes to the end of its script and then reports every mismatch (script, line, command, both
 * replies escaped). Scripts in {@code diff-pending/} are not run; {@code -Dperegrine.diff.dir=<dir>} runs the
 * scripts of another directory instead (e.g. {@code src/test/resources/diff-pending}).
 */
class DifferentialTest {
    /** Mismatches spelled out per failed run; the rest are counted. */
    private static final int MAX_REPORTED = 30;
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
        List<Path> files = scriptFiles();
        assertFalse(files.isEmpty(), "no differential scripts found");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            DiffScript script = DiffScript.load(file);
            for (int resp = 2; resp <= 3; resp++) {
                int protocol = resp;
                tests.add(DynamicTest.dynamicTest(script.name + " RESP" + resp, file.toUri(),
                        () -> run(script, protocol)));
            }
        }
        return tests.stream();
    }

    private static List<Path> scriptFiles() throws IOException, URISyntaxException {
        String override = System.getProperty("peregrine.diff.dir");
        Path dir;
        if (override != null && !override.isBlank()) {
            dir = Path.of(override);
        } else {
            URL url = DifferentialTest.class.getClassLoader().getResource("diff");
            if (url == null) {
                return List.of();
            }
            dir = Path.of(url.toURI());
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
    }

    private static void run(DiffScript script, int protocol) throws IOException {
        try (TestServer peregrine = TestServer.start(c -> c.set("enable-debug-command", "yes"));
             RawConnection r = new RawConnection(redis.port());
             RawConnection p = new RawConnection(peregrine.port())) {
            byte[] flushed = r.call(argv("FLUSHALL"));
            if (!new String(flushed, StandardCharsets.US_ASCII).equals("+OK\r\n")) {
                throw new IllegalStateException("redis-server FLUSHALL failed: " + RawConnection.escape(flushed));
            }
            List<String> mismatches = new ArrayList<>();
            if (protocol == 3) {
                hello(script, 0, "(start in RESP3)", 3, r, p, null);
            }
            for (DiffScript.Step step : script.steps) {
                switch (step.kind) {
                    case RESP:
                        hello(script, step.line, step.text, step.resp, r, p, mismatches);
                        break;
                    case COMMAND:
                    case FLUSHALL:
                        compare(script, protocol, step, r.call(step.argv), p.call(step.argv), false, mismatches);
                        break;
                    case IGNORE_REPLY:
                        compare(script, protocol, step, r.call(step.argv), p.call(step.argv), true, mismatches);
                        break;
                    default:
                        throw new AssertionError(step.kind);
                }
            }
            if (!mismatches.isEmpty()) {
                StringBuilder m = new StringBuilder();
                m.append(script.name).append(" (run started in RESP").append(protocol).append("): ")
                 .append(mismatches.size()).append(" of ").append(script.steps.size())
                 .append(" replies differ from redis-server");
                for (int i = 0; i < Math.min(MAX_REPORTED, mismatches.size()); i++) {
                    m.append("\n").append(mismatches.get(i));
                }
                if (mismatches.size() > MAX_REPORTED) {
                    m.append("\n... and ").append(mismatches.size() - MAX_REPORTED).append(" more");
                }
                throw new AssertionFailedError(m.toString());
            }
        }
    }

    /**
     * Switches both connections to {@code resp}; the HELLO replies differ by nature (server, version, id) and are
     * not compared; a HELLO error from either side fails.
     */
    private static void hello(DiffScript script, int line, String text, int resp, RawConnection r, RawConnection p,
                              List<String> mismatches) throws IOException {
        byte[][] argv = argv("HELLO", String.valueOf(resp));
        byte[] fromRedis = r.call(argv);
        byte[] fromPeregrine = p.call(argv);
        if (fromRedis[0] == '-') {
            throw new AssertionFailedError(script.name + ":" + line + ": " + text + ": redis-server refused HELLO: "
                                           + RawConnection.escape(fromRedis));
        }
        if (fromPeregrine[0] == '-') {
            throw new AssertionFailedError(script.name + ":" + line + ": " + text + ": Peregrine refused HELLO: "
                                           + RawConnection.escape(fromPeregrine));
        }
    }

    /** Records a mismatch; the script goes on, so one report shows every difference. */
    private static void compare(DiffScript script, int protocol, DiffScript.Step step, byte[] fromRedis,
                                byte[] fromPeregrine, boolean typeOnly, List<String> mismatches) {
        boolean same = typeOnly ? fromRedis[0] == fromPeregrine[0]
                                : java.util.Arrays.equals(fromRedis, fromPeregrine);
        if (!same) {
            mismatches.add(script.name + ":" + step.line + (typeOnly ? " [reply type only]" : "")
                    + "\n  command:   " + step.text
                    + "\n  redis:     " + RawConnection.escape(fromRedis)
                    + "\n  peregrine: " + RawConnection.escape(fromPeregrine));
        }
    }

    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return a;
    }
}
