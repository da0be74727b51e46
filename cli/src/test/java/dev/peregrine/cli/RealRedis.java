package dev.peregrine.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a random loopback port (debug commands enabled, no persistence),
 * and runners for the real {@code redis-cli} and for our CLI in-process, so tests compare their output bytes.
 * Tests are skipped when the Redis binaries are missing, unless {@code CI=true}, where that fails them.
 */
final class RealRedis implements AutoCloseable {
    /** What one CLI run produced. */
    record Result(byte[] out, byte[] err, int code) {
        String outText() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }

        String errText() {
            return new String(err, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + outText() + "--- stderr\n" + errText();
        }
    }

    final int port;
    private final List<String> command;
    private Process process;

    private RealRedis(int port, List<String> command, Process process) {
        this.port = port;
        this.command = command;
        this.process = process;
    }

    static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, binary).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Starts redis-server, or skips the test (fails it under CI=true) when redis-server or redis-cli is absent. */
    static RealRedis start() throws Exception {
        return start(new String[0]);
    }

    /** Starts redis-server with extra arguments; with {@code --cluster-enabled yes} port + 10000 is kept free too. */
    static RealRedis start(String... extraArgs) throws Exception {
        boolean present = onPath("redis-server") && onPath("redis-cli");
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("redis-server and redis-cli must be on PATH under CI=true");
        }
        Assumptions.assumeTrue(present, "redis-server/redis-cli not on PATH");
        int port = freePort(List.of(extraArgs).contains("--cluster-enabled"));
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "yes"));
        cmd.addAll(List.of(extraArgs));
        RealRedis r = new RealRedis(port, List.copyOf(cmd), null);
        r.launch();
        return r;
    }

    private void launch() throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process = p;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Connection c = Connection.tcp("127.0.0.1", port)) {
                c.callStrings("PING"); // any reply (PONG, or NOAUTH with requirepass) means it is up
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    close();
                    throw new IllegalStateException("redis-server did not start on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server (its clients see their connections close); {@link #startAgain} brings it back. */
    void stopServer() {
        close();
    }

    /** Starts the server again on the same port with the same arguments, once it was stopped. */
    void startAgain() throws Exception {
        launch();
    }

    private static int freePort(boolean withBus) throws IOException {
        while (true) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (!withBus) {
                return port;
            }
            if (port + 10000 > 65535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10000)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
    }

    /** A new connection to the server (callers close it). */
    Connection connect() throws IOException {
        return Connection.tcp("127.0.0.1", port);
    }

    /** Runs {@code redis-cli -p <port> args...} with {@code stdin} as its input (its stdout is a pipe). */
    Result redisCli(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("REDISCLI_AUTH");
        pb.environment().remove("FAKETTY");
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errPump = pump(p.getErrorStream(), err);
        Thread inPump = new Thread(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException ignored) {
                // redis-cli did not read all of it
            }
        });
        inPump.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli did not finish");
        }
        errPump.join();
        inPump.join();
        return new Result(out, err.toByteArray(), p.exitValue());
    }

    Result redisCli(String... args) throws Exception {
        return redisCli(new byte[0], args);
    }

    /** Runs our CLI in-process with {@code -p <port> args...}; stdout is not a terminal. */
    Result ours(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PeregrineCli.run(cmd.toArray(new String[0]), new java.io.ByteArrayInputStream(stdin), out, err,
                false, name -> null, null);
        return new Result(out.toByteArray(), err.toByteArray(), code);
    }

    Result ours(String... args) {
        return ours(new byte[0], args);
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException ignored) {
                // process ended
            }
        });
        t.start();
        return t;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
