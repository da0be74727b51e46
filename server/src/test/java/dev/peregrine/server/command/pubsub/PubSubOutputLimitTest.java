package dev.peregrine.server.command.pubsub;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code client-output-buffer-limit pubsub}: a subscriber that does not read is disconnected, publishers go on. */
class PubSubOutputLimitTest {
    @Test
    void slowSubscriberOverThePubsubHardLimitIsDisconnected() throws Exception {
        try (TestServer server = TestServer.start(c -> c.set("client-output-buffer-limit", "pubsub 1mb 0 0"));
             Socket sub = new Socket();
             RawResp pub = new RawResp(server.port());
             RawResp reader = new RawResp(server.port())) {
            sub.setReceiveBufferSize(4096);
            sub.connect(new InetSocketAddress("127.0.0.1", server.port()));
            sub.setSoTimeout(10_000);
            sub.getOutputStream().write("SUBSCRIBE slow\r\n".getBytes(StandardCharsets.US_ASCII));
            String confirmation = "*3\r\n$9\r\nsubscribe\r\n$4\r\nslow\r\n:1\r\n";
            InputStream in = sub.getInputStream();
            assertEquals(confirmation, new String(in.readNBytes(confirmation.length()), StandardCharsets.US_ASCII));
            // a second subscriber that keeps reading stays connected
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$4\r\nslow\r\n:1\r\n", reader.call("SUBSCRIBE", "slow"));
            String payload = "x".repeat(100_000);
            int published = 0;
            long receivers = 2;
            // up to 50 MB: far past the kernel's socket buffers and the 1 MB limit
            while (receivers == 2 && published < 500) {
                receivers = Long.parseLong(pub.call("PUBLISH", "slow", payload).substring(1).trim());
                published++;
                String message = reader.read();
                assertTrue(message.endsWith(payload + "\r\n"));
            }
            assertEquals(1, receivers, "the slow subscriber should have been dropped");
            assertTrue(published < 500);
            assertEquals("*2\r\n$4\r\nslow\r\n:1\r\n", pub.call("PUBSUB", "NUMSUB", "slow"));
            assertTrue(pub.call("INFO", "stats").contains("pubsub_channels:1\r\n"));
        }
    }

    @Test
    void normalClassLimitDoesNotApplyToSubscribers() throws Exception {
        // the normal class is tiny, the pubsub class unlimited: a subscriber reading late keeps its connection
        try (TestServer server = TestServer.start(c -> c.set("client-output-buffer-limit",
                "normal 64kb 0 0 pubsub 0 0 0"));
             RawResp sub = new RawResp(server.port()); RawResp pub = new RawResp(server.port())) {
            sub.call("SUBSCRIBE", "c");
            String payload = "y".repeat(100_000);
            for (int i = 0; i < 300; i++) {
                assertEquals(":1\r\n", pub.call("PUBLISH", "c", payload));
            }
            for (int i = 0; i < 300; i++) {
                assertTrue(sub.read().endsWith(payload + "\r\n"));
            }
            assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
        }
    }
}
