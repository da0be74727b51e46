package dev.peregrine.server.command.connection;

import org.junit.jupiter.api.BeforeAll;

/** The connection tests again with a dedicated executor thread (queue dispatch mode, two I/O threads). */
class ConnectionCommandsQueueModeTest extends ConnectionCommandsTest {
    @BeforeAll
    static void start() {
        startServer(c -> c.set("io-threads", "2"));
    }
}
