package dev.peregrine.server.exec;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keyspace notifications seen by subscribers of a running server: active expiry, other databases, SELECT. */
class KeyspaceEventsIntegrationTest {
    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return a;
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void activeExpiryPublishesExpired() throws Exception {
        try (TestServer s = TestServer.start(c -> c.set("notify-keyspace-events", "Ex"));
             RawConnection sub = new RawConnection(s.port()); RawConnection cmd = new RawConnection(s.port())) {
            sub.call(argv("SUBSCRIBE", "__keyevent@3__:expired"));
            cmd.call(argv("SELECT", "3"));
            cmd.call(argv("SET", "gone", "v", "PX", "30"));
            // nobody reads the key: the active expire cycle deletes it and publishes the event
            assertEquals("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@3__:expired\r\n$4\r\ngone\r\n",
                    text(sub.readReply()));
            assertEquals(":0\r\n", text(cmd.call(argv("EXISTS", "gone"))));
        }
    }

    @Test
    void publisherInResp3GetsItsOwnEventsAfterTheReply() throws Exception {
        try (TestServer s = TestServer.start(c -> c.set("notify-keyspace-events", "K$"));
             RawConnection c = new RawConnection(s.port())) {
            c.call(argv("HELLO", "3"));
            c.call(argv("SUBSCRIBE", "__keyspace@0__:k"));
            assertEquals("+OK\r\n", text(c.call(argv("SET", "k", "v"))));
            assertEquals(">3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n", text(c.readReply()));
            c.call(argv("CONFIG", "SET", "notify-keyspace-events", ""));
            assertEquals("+OK\r\n", text(c.call(argv("SET", "k", "w"))));
            assertEquals(":1\r\n", text(c.call(argv("EXISTS", "k"))), "no event once notifications are off");
        }
    }
}
