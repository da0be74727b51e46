package dev.peregrine.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability of the append-only file against {@code kill -9}: a real server process ({@code bin/peregrine-server})
 * takes acknowledged writes from a client under load and is killed without warning; after a restart every
 * acknowledged write is there with {@code appendfsync always}, and with {@code everysec} at most the writes of
 * about the last second may be missing. The AOF may end in a cut command, which {@code aof-load-truncated} (on by
 * default) handles.
 */
class AofDurabilityIT {
    private static final Path ROOT = Path.of(System.getProperty("peregrine.root", ".."));

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process launch(Path dir, int port, String fsync) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/peregrine-server").toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(),
                "--appendonly", "yes", "--appendfsync", fsync));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            out.append(line).append('\n');
            if (line.contains("Ready to accept connections tcp")) {
                // keep draining the log so the process never blocks on a full pipe
                Thread t = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                t.setDaemon(true);
                t.start();
                return p;
            }
        }
        throw new AssertionError("server did not start:\n" + out);
    }

    /** One request and its reply line (integer or status replies only). */
    private static String call(OutputStream out, InputStream in, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder reply = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("closed");
            }
            reply.append((char) b);
        }
        return reply.toString().trim();
    }

    /**
     * Pushes numbered elements for about a second, recording when each was acknowledged, kills the server with
     * SIGKILL, restarts it and returns the list length found, with the acknowledgement times.
     */
    private static void killAndCheck(String fsync, long toleratedLossMs) throws Exception {
        Path dir = Files.createTempDirectory("peregrine-durability");
        int port = freePort();
        Process p = launch(dir, port, fsync);
        List<Long> ackedAt = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long end = System.currentTimeMillis() + 1500;
            int i = 0;
            while (System.currentTimeMillis() < end) {
                String r = call(out, in, "RPUSH", "list", Integer.toString(i++));
                assertEquals(":" + i, r);
                ackedAt.add(System.currentTimeMillis());
            }
            long killedAt = System.currentTimeMillis();
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            int port2 = freePort();
            Process q = launch(dir, port2, fsync);
            try (Socket s2 = new Socket("127.0.0.1", port2)) {
                s2.setSoTimeout(10_000);
                long len = Long.parseLong(call(s2.getOutputStream(), s2.getInputStream(), "LLEN", "list").substring(1));
                long mustHave = ackedAt.stream().filter(t -> t <= killedAt - toleratedLossMs).count();
                assertTrue(len >= mustHave, fsync + ": " + len + " elements after the restart, " + mustHave
                        + " were acknowledged more than " + toleratedLossMs + " ms before the kill ("
                        + ackedAt.size() + " acknowledged in all)");
                assertTrue(len <= i, "no element that was never sent");
                assertTrue(ackedAt.size() > 100, "the load ran");
            } finally {
                q.destroy();
                q.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void appendfsyncAlwaysKeepsEveryAcknowledgedWrite() throws Exception {
        killAndCheck("always", 0);
    }

    @Test
    void appendfsyncEverysecLosesAtMostAboutASecond() throws Exception {
        killAndCheck("everysec", 1_500);
    }
}
