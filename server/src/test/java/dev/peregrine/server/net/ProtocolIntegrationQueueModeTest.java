package dev.peregrine.server.net;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** The raw-protocol tests again with a dedicated executor thread (queue dispatch mode, two I/O threads). */
class ProtocolIntegrationQueueModeTest extends ProtocolIntegrationTest {
    @BeforeAll
    static void start() {
        mode = c -> c.set("io-threads", "2");
        server = TestServer.start(mode);
    }
}
