package dev.peregrine.server.exec;

import dev.peregrine.protocol.SplitArgs;
import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays {@code notify/keyspace-events.txt} against redis-server and Peregrine while a third connection
 * subscribes to the pattern {@code __key*__:*}, and compares the keyspace notifications both servers publish,
 * message for message and byte for byte (RESP2 arrays, or RESP3 pushes when the subscriber said HELLO 3), for
 * several {@code notify-keyspace-events} settings. The end of a run is marked by a PUBLISH to a channel the
 * pattern matches.
 */
class KeyspaceEventsDifferentialTest {
    private static RedisServerProcess redis;
    private static TestServer peregrine;
    /** Peregrine with the executor on its own thread (queue dispatch). */
    private static TestServer threaded;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start("--enable-debug-command", "yes");
        peregrine = TestServer.start();
        threaded = TestServer.start(c -> c.set("executor-mode", "thread"));
    }

    @AfterAll
    static void stop() {
        if (peregrine != null) {
            peregrine.close();
        }
        if (threaded != null) {
            threaded.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"KEA,2", "KEA,3", "AKEn,2", "Egx,3", "Kl$sn,2", "KEhz,2", "KEAm,3", "KEtd,2", "gn,2"})
    void sameNotificationsAsRedis(String flags, int protocol) throws Exception {
        List<String> script = script();
        List<String> expected = run(redis.port(), flags, protocol, script);
        List<String> actual = run(peregrine.port(), flags, protocol, script);
        assertTrue(expected.size() > 1 || !flags.contains("A"), "redis-server published nothing: " + expected);
        if (!expected.equals(actual)) {
            StringBuilder diff = new StringBuilder("notifications differ for " + flags + " RESP" + protocol + "\n");
            int n = Math.max(expected.size(), actual.size());
            for (int i = 0; i < n; i++) {
                String e = i < expected.size() ? expected.get(i) : "<none>";
                String a = i < actual.size() ? actual.get(i) : "<none>";
                diff.append(e.equals(a) ? "  " : "! ").append(i).append(": redis ").append(e).append("\n")
                        .append(e.equals(a) ? "  " : "! ").append(i).append(":  ours ").append(a).append("\n");
            }
            assertEquals(String.join("\n", expected), String.join("\n", actual), diff.toString());
        }
    }

    @Test
    void sameNotificationsInQueueDispatchMode() throws Exception {
        List<String> script = script();
        assertEquals(run(redis.port(), "AKEn", 3, script), run(threaded.port(), "AKEn", 3, script));
    }

    private static List<String> script() throws IOException {
        try (InputStream in = KeyspaceEventsDifferentialTest.class.getResourceAsStream("/notify/keyspace-events.txt")) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return a;
    }

    /** Runs the script on one server and returns the messages the pattern subscriber received, escaped. */
    private static List<String> run(int port, String flags, int protocol, List<String> script) throws Exception {
        try (RawConnection sub = new RawConnection(port); RawConnection cmd = new RawConnection(port);
             RawConnection other = new RawConnection(port)) {
            cmd.call(argv("FLUSHALL"));
            cmd.call(argv("CONFIG", "SET", "notify-keyspace-events", flags));
            if (protocol == 3) {
                sub.call(argv("HELLO", "3"));
            }
            sub.call(argv("PSUBSCRIBE", "__key*__:*"));
            for (String line : script) {
                if (line.startsWith("@async ")) {
                    // another client's command that blocks until a later line of the script serves it
                    other.send(argv(SplitArgs.split(line.substring(7)).toArray(new String[0])));
                    waitBlocked(cmd);
                    continue;
                }
                if (line.equals("@await")) {
                    other.readReply();
                    continue;
                }
                if (line.startsWith("@sleep ")) {
                    Thread.sleep(Long.parseLong(line.substring(7).trim()));
                    continue;
                }
                if (line.startsWith("@dumprestore ")) {
                    List<String> a = SplitArgs.split(line.substring(13));
                    byte[] payload = dumpPayload(cmd.call(argv("DUMP", a.get(0))));
                    List<byte[]> restore = new ArrayList<>(List.of(argv("RESTORE", a.get(1), "0")));
                    restore.add(payload);
                    for (String extra : a.subList(2, a.size())) {
                        restore.add(extra.getBytes(StandardCharsets.ISO_8859_1));
                    }
                    cmd.call(restore.toArray(new byte[0][]));
                    continue;
                }
                List<String> a = SplitArgs.split(line);
                cmd.call(argv(a.toArray(new String[0])));
            }
            cmd.call(argv("CONFIG", "SET", "notify-keyspace-events", ""));
            cmd.call(argv("PUBLISH", "__keyend__:end", "end"));
            List<String> messages = new ArrayList<>();
            while (true) {
                String m = RawConnection.escape(sub.readReply());
                if (m.contains("__keyend__:end")) {
                    return messages;
                }
                messages.add(m);
            }
        }
    }

    /** Waits until a client is blocked (INFO blocked_clients), so the next write finds it waiting. */
    private static void waitBlocked(RawConnection cmd) throws Exception {
        for (int i = 0; i < 1000; i++) {
            String info = new String(cmd.call(argv("INFO", "clients")), StandardCharsets.ISO_8859_1);
            if (info.contains("blocked_clients:1")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the client did not block");
    }

    /** The bulk string of a DUMP reply. */
    private static byte[] dumpPayload(byte[] reply) {
        int crlf = 0;
        while (reply[crlf] != '\r') {
            crlf++;
        }
        int len = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + len);
    }
}
