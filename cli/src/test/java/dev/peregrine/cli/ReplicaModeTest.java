package dev.peregrine.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --replica} side by side with redis-cli: after the sync, commands run on the server come out as CSV lines,
 * the first stream entry (the SELECT) being taken as the reply to REPLCONF ACK by both. The mode runs until its
 * output closes, so our CLI gets an output that fails after the expected lines, and redis-cli (line-buffered
 * through stdbuf) is stopped once it printed them.
 */
class ReplicaModeTest {
    private static final int LINES = 5;

    private static void commands(RealRedis redis) throws Exception {
        try (Connection c = redis.connect()) {
            c.callStrings("SET", "foo", "bar");
            c.callStrings("SELECT", "3");
            c.callStrings("INCR", "cnt");
            c.callStrings("SELECT", "0");
            c.call(List.of("SET".getBytes(StandardCharsets.US_ASCII), "bin".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'a', 1, '"', 'b', (byte) 0xff}));
            c.callStrings("SET", "extra", "1");
            c.callStrings("SET", "extra", "2");
        }
    }

    private static void waitFor(ByteArrayOutputStream err, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            synchronized (err) {
                if (err.toString(StandardCharsets.ISO_8859_1).contains(text)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + err);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void replicatedCommandsAsCsv() throws Exception {
        try (RealRedis redis = RealRedis.start("--repl-diskless-sync-delay", "0", "--repl-ping-replica-period",
                "3600")) {
            // ours, in-process
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            OutputStream stopping = new OutputStream() {
                int lines;

                @Override
                public void write(int b) throws IOException {
                    if (lines >= LINES) {
                        throw new IOException("enough");
                    }
                    out.write(b);
                    if (b == '\n') {
                        lines++;
                    }
                }
            };
            OutputStream errSink = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (err) {
                        err.write(b);
                    }
                }
            };
            int[] code = {-1};
            Thread t = new Thread(() -> code[0] = PeregrineCli.run(new String[] {"-p", Integer.toString(redis.port),
                    "--replica"}, new java.io.ByteArrayInputStream(new byte[0]), stopping, errSink, false));
            t.start();
            waitFor(err, "sending REPLCONF ACK 0");
            commands(redis);
            t.join(20_000);
            assertEquals(1, code[0], "stops when its output fails");
            String ours = out.toString(StandardCharsets.ISO_8859_1);
            assertEquals("\"SET\",\"foo\",\"bar\"\n\"SELECT\",\"3\"\n\"INCR\",\"cnt\"\n\"SELECT\",\"0\"\n"
                    + "\"SET\",\"bin\",\"a\\x01\\\"b\\xff\"\n", ours);
            String oursErr = err.toString(StandardCharsets.ISO_8859_1);
            assertTrue(oursErr.matches("sending REPLCONF capa eof\nsending REPLCONF rdb-filter-only \n"
                    + "SYNC with master, discarding bytes of bulk transfer until EOF marker\\.\\.\\.\n"
                    + "SYNC done after [0-9]+ bytes\\. Logging commands from master\\.\nsending REPLCONF ACK 0\n"
                    + "Error: .*\n"), oursErr);

            // redis-cli, when stdbuf can make its output line-buffered
            if (!RealRedis.onPath("stdbuf")) {
                return;
            }
            try (Connection c = redis.connect()) {
                c.callStrings("FLUSHALL");
            }
            Process p = new ProcessBuilder("stdbuf", "-oL", "-eL", "redis-cli", "-p", Integer.toString(redis.port),
                    "--replica").start();
            try {
                BufferedReader stderr = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.ISO_8859_1));
                String line;
                while ((line = stderr.readLine()) != null && !line.equals("sending REPLCONF ACK 0")) {
                    // progress lines
                }
                commands(redis);
                BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                StringBuilder theirs = new StringBuilder();
                List<String> got = new ArrayList<>();
                while (got.size() < LINES && (line = stdout.readLine()) != null) {
                    got.add(line);
                    theirs.append(line).append('\n');
                }
                assertEquals(theirs.toString(), ours);
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
