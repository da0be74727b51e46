package dev.peregrine.server.command.transaction;

import org.junit.jupiter.api.BeforeAll;

/** The transaction tests again with a dedicated executor thread (queue dispatch mode, two I/O threads). */
class TransactionQueueModeTest extends TransactionTest {
    @BeforeAll
    static void start() {
        startServer(c -> c.set("io-threads", "2"));
    }
}
