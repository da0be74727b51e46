package dev.peregrine.server.command;

import dev.peregrine.server.diff.RedisServerProcess;

import java.io.IOException;
import java.net.Socket;

/**
 * Test helper: a real redis-server on a random loopback port with DEBUG enabled, started through
 * {@link RedisServerProcess} (absent redis-server skips the test, unless the environment variable CI is
 * {@code true}, where it fails), with a raw socket factory.
 */
public final class RealRedis implements AutoCloseable {
    private final RedisServerProcess process;

    private RealRedis(RedisServerProcess process) {
        this.process = process;
    }

    public static RealRedis start(String... extraArgs) throws Exception {
        String[] args = new String[extraArgs.length + 2];
        args[0] = "--enable-debug-command";
        args[1] = "yes";
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        return new RealRedis(RedisServerProcess.start(args));
    }

    public Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", process.port());
        s.setSoTimeout(10_000);
        return s;
    }

    @Override
    public void close() {
        process.close();
    }
}
