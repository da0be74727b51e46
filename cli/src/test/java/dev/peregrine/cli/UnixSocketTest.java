package dev.peregrine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code -s} (unix socket) and {@code --askpass}, side by side with redis-cli. */
class UnixSocketTest {
    @TempDir
    Path dir;

    private static void assertSame(RealRedis redis, byte[] stdin, String... args) throws Exception {
        RealRedis.Result expected = redis.redisCli(stdin, args);
        RealRedis.Result actual = redis.ours(stdin, args);
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
    }

    @Test
    void unixSocketAndAskpass() throws Exception {
        String socket = dir.resolve("redis.sock").toString();
        try (RealRedis redis = RealRedis.start("--unixsocket", socket, "--requirepass", "sesame")) {
            byte[] none = new byte[0];
            assertSame(redis, none, "-s", socket, "ping");
            assertSame(redis, none, "-s", socket, "--no-auth-warning", "-a", "sesame", "ping");
            assertSame(redis, none, "-s", socket, "-a", "wrong", "--no-raw", "ping");
            assertSame(redis, none, "-s", dir.resolve("missing.sock").toString(), "ping");
            byte[] password = "sesame\n".getBytes(StandardCharsets.US_ASCII);
            assertSame(redis, password, "-s", socket, "--askpass", "ping");
            assertSame(redis, password, "--askpass", "-a", "ignored", "ping");
            assertSame(redis, "nope\n".getBytes(StandardCharsets.US_ASCII), "--askpass", "ping");
        }
    }
}
