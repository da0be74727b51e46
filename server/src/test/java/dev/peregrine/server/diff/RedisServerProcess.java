package dev.peregrine.server.diff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a free loopback port, with persistence off
 * ({@code --save "" --appendonly no --port N --bind 127.0.0.1}), for side-by-side tests. {@link #start} returns
 * once the server answers PING; {@link #close} stops it (SIGTERM, then SIGKILL after 10 s).
 *
 * <p>When {@code redis-server} is not on {@code PATH}, {@link #start} skips the calling test, or fails it under
 * {@code CI=true} (see {@link ExternalTools#require}). Start and close from one thread.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final long STARTUP_TIMEOUT_MS = 20_000;
    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts redis-server on a free port.
     *
     * @param extraArgs further command-line options, e.g. {@code "--enable-debug-command", "yes"}
     * @throws IllegalStateException when it does not answer PING within 20 s (after three port attempts)
     */
    public static RedisServerProcess start(String... extraArgs) {
        return start(0, extraArgs);
    }

    /**
     * As {@link #start(String...)} on a given port (0: a free one), e.g. to restart a server where its clients and
     * replicas expect it.
     */
    public static RedisServerProcess start(int fixedPort, String... extraArgs) {
        Path exe = ExternalTools.require("redis-server");
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = fixedPort != 0 ? fixedPort : freePort();
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--logfile", "", "--dir", System.getProperty("java.io.tmpdir"),
                    "--dbfilename", "peregrine-test-" + port + ".rdb"));
            cmd.addAll(Arrays.asList(extraArgs));
            Process p;
            try {
                p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + exe, e);
            }
            RedisServerProcess server = new RedisServerProcess(p, port);
            try {
                server.awaitPing();
                return server;
            } catch (IllegalStateException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The process id, for tools that read /proc. */
    public long pid() {
        return process.pid();
    }

    private void awaitPing() {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2_000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = 0;
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
                // a server started with requirepass answers NOAUTH: it is up all the same
                if (reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, or still loading
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                                        + STARTUP_TIMEOUT_MS + " ms");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Stops the server and waits for the process to end. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
