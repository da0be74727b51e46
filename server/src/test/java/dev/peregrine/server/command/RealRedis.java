package dev.peregrine.server.command;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a real redis-server on a random loopback port, no persistence, started as a child process and
 * destroyed on {@link #close()}. Absent redis-server skips the test, unless the environment variable CI is
 * {@code true}, where it fails.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RealRedis start(String... extraArgs) throws Exception {
        String binary = find();
        if (binary == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("redis-server is required when CI=true");
            }
            Assumptions.abort("redis-server not installed");
        }
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
                System.getProperty("java.io.tmpdir"), "--dbfilename", "peregrine-test-" + port + ".rdb",
                "--enable-debug-command", "yes"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                if ("+PONG\r\n".equals(Resp.call(s, "PING"))) {
                    return new RealRedis(p, port);
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    public Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
