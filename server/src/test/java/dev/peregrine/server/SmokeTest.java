package dev.peregrine.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pingAndEchoThroughJedis() {
        try (Jedis j = server.jedis()) {
            assertEquals("PONG", j.ping());
            assertEquals("hi", j.echo("hi"));
        }
    }

    @Test
    void unknownCommandKeepsConnectionUsable() throws Exception {
        try (Socket s = server.socket()) {
            String expected = "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n+PONG\r\n";
            assertEquals(expected, TestServer.exchange(s, "FOO a b\r\nPING\r\n", expected.length()));
        }
    }
}
