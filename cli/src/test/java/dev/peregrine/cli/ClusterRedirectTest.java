package dev.peregrine.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code -c} against a two-node redis-server cluster (slots 0-8191 on the first node, 8192-16383 on the second),
 * side by side with redis-cli: MOVED is followed silently for one command, reported in the line mode, ASK sends
 * ASKING to the importing node, and without {@code -c} the redirection error is printed.
 */
class ClusterRedirectTest {
    @TempDir
    static Path dir;
    private static RealRedis a;
    private static RealRedis b;

    @BeforeAll
    static void start() throws Exception {
        a = RealRedis.start("--cluster-enabled", "yes", "--dir", dir.toFile().getAbsolutePath(),
                "--cluster-config-file", "nodes-a.conf");
        b = RealRedis.start("--cluster-enabled", "yes", "--dir", dir.toFile().getAbsolutePath(),
                "--cluster-config-file", "nodes-b.conf");
        try (Connection ca = a.connect(); Connection cb = b.connect()) {
            ca.callStrings("CLUSTER", "ADDSLOTSRANGE", "0", "8191");
            cb.callStrings("CLUSTER", "ADDSLOTSRANGE", "8192", "16383");
            ca.callStrings("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!(clusterOk(ca) && clusterOk(cb))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two-node cluster did not reach cluster_state:ok");
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean clusterOk(Connection c) throws Exception {
        return c.callStrings("CLUSTER", "INFO").text().contains("cluster_state:ok");
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static void assertSame(byte[] stdin, String... args) throws Exception {
        RealRedis.Result expected = a.redisCli(stdin, args);
        RealRedis.Result actual = a.ours(stdin, args);
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
    }

    private static void assertSame(String... args) throws Exception {
        assertSame(new byte[0], args);
    }

    @Test
    void movedIsFollowed() throws Exception {
        // "foo" hashes to slot 12182 (second node), "bar" to 5061 (first node)
        assertSame("-c", "set", "foo", "v1");
        assertSame("-c", "get", "foo");
        assertSame("-c", "--no-raw", "get", "foo");
        assertSame("get", "foo");
        assertSame("--no-raw", "get", "foo");
        assertSame("-c", "-r", "3", "strlen", "foo");
        assertSame("-c", "-e", "get", "foo");
        assertSame("get bar\nget foo\nget bar\nstrlen foo\nget foo\n".getBytes(StandardCharsets.US_ASCII), "-c");
    }

    @Test
    void askSendsAsking() throws Exception {
        try (Connection ca = a.connect(); Connection cb = b.connect()) {
            String idA = ca.callStrings("CLUSTER", "MYID").text();
            String idB = cb.callStrings("CLUSTER", "MYID").text();
            cb.callStrings("CLUSTER", "SETSLOT", "4813", "IMPORTING", idA);
            ca.callStrings("CLUSTER", "SETSLOT", "4813", "MIGRATING", idB);
            try {
                assertSame("get", "baz"); // ASK error printed
                assertSame("-c", "get", "baz");
                assertSame("-c", "--no-raw", "get", "baz");
                assertSame("get baz\nget baz\n".getBytes(StandardCharsets.US_ASCII), "-c");
            } finally {
                ca.callStrings("CLUSTER", "SETSLOT", "4813", "STABLE");
                cb.callStrings("CLUSTER", "SETSLOT", "4813", "STABLE");
            }
        }
    }
}
