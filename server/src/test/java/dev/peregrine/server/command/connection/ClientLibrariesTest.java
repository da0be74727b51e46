package dev.peregrine.server.command.connection;

import dev.peregrine.server.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real client libraries' connection handshakes: Lettuce's HELLO 3 with AUTH and SETNAME, Jedis's AUTH. */
class ClientLibrariesTest {
    @Test
    void lettuceResp3HandshakeWithPassword() {
        try (TestServer s = TestServer.start(c -> c.set("requirepass", "s3cret"))) {
            RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(s.port())
                    .withPassword("s3cret".toCharArray()).withClientName("lettuce-test").build();
            RedisClient client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> cmd = conn.sync();
                assertEquals("PONG", cmd.ping());
                assertEquals("lettuce-test", cmd.clientGetname());
                String info = cmd.clientInfo();
                assertTrue(info.contains(" resp=3 "), info);
                assertTrue(info.contains(" name=lettuce-test "), info);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void jedisAuthAndClientCommands() {
        try (TestServer s = TestServer.start(c -> c.set("requirepass", "pw")); Jedis j = s.jedis()) {
            assertEquals("OK", j.auth("pw"));
            assertEquals("OK", j.clientSetname("jedis-test"));
            assertEquals("jedis-test", j.clientGetname());
            assertTrue(j.clientId() > 0);
            assertTrue(j.clientList().contains(" name=jedis-test "));
            assertEquals("PONG", j.ping());
        }
    }
}
