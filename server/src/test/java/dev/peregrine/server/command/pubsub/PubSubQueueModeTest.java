package dev.peregrine.server.command.pubsub;

import org.junit.jupiter.api.BeforeAll;

/** The Pub/Sub tests again with a dedicated executor thread (queue dispatch mode, two I/O threads). */
class PubSubQueueModeTest extends PubSubTest {
    @BeforeAll
    static void start() {
        startServer(c -> c.set("io-threads", "2"));
    }
}
