package dev.peregrine.server.net;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} on a random loopback port, for byte-exact comparisons. When none is installed the
 * calling test is skipped, unless the environment variable {@code CI} is {@code true}, where it fails.
 */
final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RealRedis start(String... extraArgs) throws IOException, InterruptedException {
        String binary = find();
        if (binary == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("redis-server not found on PATH (CI=true)");
            }
            Assumptions.abort("redis-server not installed");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 500; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new RealRedis(p, port);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + p.exitValue());
                }
                Thread.sleep(10);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start");
    }

    private static String find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
