package dev.peregrine.server.net;

import dev.peregrine.server.diff.RedisServerProcess;

/**
 * A real {@code redis-server} on a random loopback port, for byte-exact comparisons, started through
 * {@link RedisServerProcess}: when none is installed the calling test is skipped, unless the environment
 * variable {@code CI} is {@code true}, where it fails.
 */
final class RealRedis implements AutoCloseable {
    private final RedisServerProcess process;

    private RealRedis(RedisServerProcess process) {
        this.process = process;
    }

    static RealRedis start(String... extraArgs) {
        return new RealRedis(RedisServerProcess.start(extraArgs));
    }

    int port() {
        return process.port();
    }

    @Override
    public void close() {
        process.close();
    }
}
