package dev.peregrine.server.exec;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client-side caching scenarios run against redis-server and Peregrine over raw connections; each scenario
 * records every frame its connections receive (replies and invalidation pushes, in arrival order, with client
 * ids replaced by their role names) and both transcripts must be equal. Out-of-band messages are collected by a
 * PING after the change: both servers send them before the PONG.
 */
class TrackingDifferentialTest {
    private static RedisServerProcess redis;
    private static TestServer peregrine;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        peregrine = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (peregrine != null) {
            peregrine.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** One server's connections for a scenario and the transcript they write. */
    private static final class Session implements AutoCloseable {
        final int port;
        final List<String> transcript = new ArrayList<>();
        final List<RawConnection> open = new ArrayList<>();
        final List<String[]> ids = new ArrayList<>();
        /** Literal replacements applied to recorded frames (for what is random, as the evicted key). */
        final List<String[]> masks = new ArrayList<>();

        Session(int port) {
            this.port = port;
        }

        RawConnection connect(String role, int protocol) throws IOException {
            RawConnection c = new RawConnection(port);
            open.add(c);
            if (protocol == 3) {
                c.call(argv("HELLO", "3"));
            }
            String id = text(c.call(argv("CLIENT", "ID")));
            ids.add(new String[] {id.substring(1, id.length() - 2), role});
            return c;
        }

        String id(String role) {
            for (String[] p : ids) {
                if (p[1].equals(role)) {
                    return p[0];
                }
            }
            throw new IllegalArgumentException(role);
        }

        /** Sends a command and records its reply. */
        void call(String who, RawConnection c, String... args) throws IOException {
            String line = who + " " + String.join(" ", args);
            String[] real = args.clone();
            for (int i = 0; i < real.length; i++) {
                if (real[i].startsWith("@")) {
                    real[i] = id(real[i].substring(1));
                }
            }
            record(line, c.call(argv(real)));
        }

        /** Sends PING and records every frame up to and including its reply. */
        void drain(String who, RawConnection c) throws IOException {
            c.send(argv("PING"));
            while (true) {
                byte[] f = c.readReply();
                record(who + " <-", f);
                String t = text(f);
                if (t.equals("+PONG\r\n") || t.equals("*2\r\n$4\r\npong\r\n$0\r\n\r\n")) {
                    return;
                }
            }
        }

        /** Runs INFO {@code section} and records only its {@code tracking} fields. */
        void info(String who, RawConnection c, String section) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String line : text(c.call(argv("INFO", section))).split("\r\n")) {
                if (line.startsWith("tracking")) {
                    sb.append(line).append(' ');
                }
            }
            transcript.add(who + " INFO " + section + " => " + sb);
        }

        /** Reads one more frame (an out-of-band message known to follow). */
        void read(String who, RawConnection c) throws IOException {
            record(who + " <-", c.readReply());
        }

        private void record(String what, byte[] reply) {
            String r = RawConnection.escape(reply);
            for (String[] p : ids) {
                r = r.replace(":" + p[0] + "\\r\\n", ":<" + p[1] + ">\\r\\n");
                r = r.replace("redir=" + p[0] + " ", "redir=<" + p[1] + "> ");
            }
            for (String[] m : masks) {
                r = r.replace(m[0], m[1]);
            }
            transcript.add(what + " => " + r);
        }

        @Override
        public void close() throws IOException {
            RawConnection c = new RawConnection(port);
            c.call(argv("FLUSHALL"));
            c.call(argv("CONFIG", "SET", "tracking-table-max-keys", "1000000"));
            c.close();
            for (RawConnection o : open) {
                o.close();
            }
        }
    }

    @FunctionalInterface
    private interface Scenario {
        void run(Session s) throws Exception;
    }

    private static void compare(Scenario scenario) throws Exception {
        List<String> expected;
        List<String> actual;
        try (Session s = new Session(redis.port())) {
            scenario.run(s);
            expected = s.transcript;
        }
        try (Session s = new Session(peregrine.port())) {
            scenario.run(s);
            actual = s.transcript;
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return a;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void defaultModeResp3() throws Exception {
        compare(s -> {
            RawConnection t = s.connect("t", 3);
            RawConnection w = s.connect("w", 2);
            s.call("t", t, "CLIENT", "TRACKING", "ON");
            s.call("t", t, "GET", "a");
            s.call("t", t, "MGET", "b", "c");
            s.call("t", t, "HGET", "h", "f");
            s.call("w", w, "SET", "a", "1");
            s.call("w", w, "SET", "a", "2"); // forgotten after the first invalidation
            s.call("w", w, "MSET", "b", "1", "c", "2");
            s.call("w", w, "HSET", "h", "f", "v");
            s.drain("t", t);
            s.info("w", w, "clients");
            s.call("t", t, "GET", "a");
            s.call("t", t, "SET", "a", "3"); // its own change: the invalidation follows the reply
            s.read("t", t);
            s.call("t", t, "CLIENT", "TRACKINGINFO");
            s.call("t", t, "CLIENT", "GETREDIR");
            s.call("t", t, "GET", "x");
            s.call("t", t, "FLUSHALL");
            s.read("t", t);
            s.call("t", t, "CLIENT", "TRACKING", "OFF");
            s.call("t", t, "CLIENT", "TRACKINGINFO");
            s.call("t", t, "CLIENT", "GETREDIR");
        });
    }

    @Test
    void noloopAndMulti() throws Exception {
        compare(s -> {
            RawConnection t = s.connect("t", 3);
            RawConnection w = s.connect("w", 3);
            s.call("t", t, "CLIENT", "TRACKING", "ON", "NOLOOP");
            s.call("t", t, "GET", "a");
            s.call("t", t, "SET", "a", "1");
            s.drain("t", t);
            s.call("t", t, "GET", "a");
            s.call("t", t, "GET", "b");
            s.call("w", w, "MULTI");
            s.call("w", w, "SET", "a", "2");
            s.call("w", w, "DEL", "b");
            s.call("w", w, "EXEC");
            s.drain("t", t);
            s.call("t", t, "CLIENT", "TRACKING", "ON");
            s.call("t", t, "MULTI");
            s.call("t", t, "GET", "k");
            s.call("t", t, "SET", "k", "v");
            s.call("t", t, "EXEC");
            s.read("t", t);
        });
    }

    @Test
    void redirectToResp2Subscriber() throws Exception {
        compare(s -> {
            RawConnection sub = s.connect("sub", 2);
            RawConnection t = s.connect("t", 2);
            RawConnection w = s.connect("w", 2);
            s.call("sub", sub, "SUBSCRIBE", "__redis__:invalidate");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "REDIRECT", "@sub");
            s.call("t", t, "CLIENT", "GETREDIR");
            s.call("t", t, "GET", "a");
            s.call("w", w, "SET", "a", "1");
            s.read("sub", sub);
            s.call("t", t, "GET", "a");
            s.call("t", t, "FLUSHDB");
            s.read("sub", sub);
            s.call("t", t, "CLIENT", "TRACKINGINFO");
            s.call("w", w, "CLIENT", "KILL", "ID", "@sub");
            s.call("t", t, "GET", "a");
            s.call("w", w, "SET", "a", "2");
            s.call("t", t, "CLIENT", "TRACKINGINFO");
        });
    }

    @Test
    void redirectToResp3AndBrokenRedirect() throws Exception {
        compare(s -> {
            RawConnection r = s.connect("r", 3);
            RawConnection t = s.connect("t", 3);
            RawConnection w = s.connect("w", 2);
            s.call("t", t, "CLIENT", "TRACKING", "ON", "REDIRECT", "@r");
            s.call("t", t, "GET", "a");
            s.call("w", w, "SET", "a", "1");
            s.drain("r", r);
            s.call("t", t, "FLUSHALL");
            s.drain("r", r);
            s.call("w", w, "CLIENT", "KILL", "ID", "@r");
            s.call("t", t, "GET", "a");
            s.call("w", w, "SET", "a", "2");
            s.drain("t", t);
            s.call("t", t, "CLIENT", "TRACKINGINFO");
        });
    }

    @Test
    void broadcastMode() throws Exception {
        compare(s -> {
            RawConnection t = s.connect("t", 3);
            RawConnection n = s.connect("n", 3);
            RawConnection w = s.connect("w", 2);
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "obj:");
            s.call("n", n, "CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP");
            s.call("w", w, "MSET", "user:2", "a", "user:1", "b", "other", "c", "obj:9", "d");
            s.drain("t", t);
            s.drain("n", n);
            s.call("n", n, "SET", "mine", "1");
            s.call("n", n, "DEL", "user:1");
            s.call("w", w, "SET", "theirs", "1");
            s.drain("n", n);
            s.call("t", t, "CLIENT", "TRACKINGINFO");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x");
            s.call("t", t, "CLIENT", "TRACKINGINFO");
            s.info("w", w, "stats");
            s.call("t", t, "CLIENT", "TRACKING", "OFF");
            s.call("n", n, "CLIENT", "TRACKING", "OFF");
        });
    }

    @Test
    void optinAndOptout() throws Exception {
        compare(s -> {
            RawConnection in = s.connect("in", 3);
            RawConnection out = s.connect("out", 3);
            RawConnection w = s.connect("w", 2);
            s.call("in", in, "CLIENT", "TRACKING", "ON", "OPTIN");
            s.call("in", in, "GET", "a");
            s.call("in", in, "CLIENT", "CACHING", "YES");
            s.call("in", in, "CLIENT", "TRACKINGINFO");
            s.call("in", in, "GET", "b");
            s.call("in", in, "GET", "c");
            s.call("out", out, "CLIENT", "TRACKING", "ON", "OPTOUT");
            s.call("out", out, "CLIENT", "CACHING", "NO");
            s.call("out", out, "CLIENT", "TRACKINGINFO");
            s.call("out", out, "GET", "a");
            s.call("out", out, "GET", "c");
            s.call("w", w, "MSET", "a", "1", "b", "2", "c", "3");
            s.drain("in", in);
            s.drain("out", out);
        });
    }

    @Test
    void errors() throws Exception {
        compare(s -> {
            RawConnection t = s.connect("t", 2);
            s.call("t", t, "CLIENT", "TRACKING", "ON", "PREFIX", "a");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "OPTIN");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "REDIRECT", "999999");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "REDIRECT", "notanumber");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "REDIRECT", "@t", "REDIRECT", "@t");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BOGUS");
            s.call("t", t, "CLIENT", "TRACKING", "MAYBE");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "PREFIX");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "abc");
            s.call("t", t, "CLIENT", "CACHING", "YES");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "OPTIN");
            s.call("t", t, "CLIENT", "CACHING", "NO");
            s.call("t", t, "CLIENT", "CACHING", "MAYBE");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "OPTOUT");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST");
            s.call("t", t, "CLIENT", "TRACKING", "OFF");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab");
            s.call("t", t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a");
            s.call("t", t, "CLIENT", "TRACKING", "ON");
            s.call("t", t, "CLIENT", "TRACKING");
            s.call("t", t, "CLIENT", "CACHING");
            s.call("t", t, "CLIENT", "GETREDIR", "x");
        });
    }

    @Test
    void expiryAndTableLimit() throws Exception {
        compare(s -> {
            RawConnection t = s.connect("t", 3);
            RawConnection w = s.connect("w", 2);
            s.call("w", w, "SET", "e", "v", "PX", "50");
            s.call("t", t, "CLIENT", "TRACKING", "ON");
            s.call("t", t, "GET", "e");
            Thread.sleep(400); // the active expire cycle deletes it
            s.drain("t", t);
            s.masks.add(new String[] {"$2\\r\\nk1", "$2\\r\\nk?"});
            s.masks.add(new String[] {"$2\\r\\nk2", "$2\\r\\nk?"});
            s.call("w", w, "CONFIG", "SET", "tracking-table-max-keys", "1");
            s.call("t", t, "GET", "k1");
            s.drain("t", t); // the table holds one key
            s.call("t", t, "GET", "k2");
            s.call("t", t, "GET", "k2");
            s.info("w", w, "stats");
        });
    }
}
