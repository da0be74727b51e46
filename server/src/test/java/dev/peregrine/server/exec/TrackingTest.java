package dev.peregrine.server.exec;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RawConnection;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client-side caching with real clients: Lettuce's cache frontend and push listener, CLIENT LIST, INFO, RESET. */
class TrackingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RedisClient resp3Client() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        return client;
    }

    @Test
    void lettuceCacheFrontendDropsChangedKeys() throws Exception {
        RedisClient client = resp3Client();
        try (StatefulRedisConnection<String, String> conn = client.connect(); Jedis writer = server.jedis()) {
            writer.set("cached", "v1");
            Map<String, String> store = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(store), conn,
                    TrackingArgs.Builder.enabled());
            assertEquals("v1", cache.get("cached"));
            assertEquals("v1", store.get("cached"));
            writer.set("cached", "v2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.containsKey("cached") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(store.containsKey("cached"), "the invalidation reached the cache");
            assertEquals("v2", cache.get("cached"));
            cache.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lettucePushListenerHearsBroadcasts() throws Exception {
        RedisClient client = resp3Client();
        try (StatefulRedisConnection<String, String> conn = client.connect(); Jedis writer = server.jedis()) {
            BlockingQueue<PushMessage> pushes = new LinkedBlockingQueue<>();
            conn.addListener(pushes::add);
            conn.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("bc:"));
            writer.mset("bc:2", "a", "bc:1", "b", "other", "c");
            PushMessage m = pushes.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("invalidate", m.getType());
            List<Object> content = m.getContent();
            assertEquals(2, content.size());
            List<?> keys = (List<?>) content.get(1);
            assertEquals(List.of("bc:1", "bc:2"), keys.stream()
                    .map(k -> StandardCharsets.UTF_8.decode(((ByteBuffer) k).duplicate()).toString()).toList());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void clientListFlagsAndInfo() throws Exception {
        RawConnection target = new RawConnection(server.port());
        try (RawConnection t = new RawConnection(server.port()); Jedis j = server.jedis()) {
            long targetId = Long.parseLong(new String(target.call(argv("CLIENT", "ID")), StandardCharsets.US_ASCII)
                    .substring(1).trim());
            call(t, "CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(targetId));
            String info = call(t, "CLIENT", "INFO");
            assertTrue(info.contains(" flags=t ") && info.contains(" redir=" + targetId + " "), info);
            call(t, "GET", "x");
            call(t, "GET", "y");
            String clients = j.info("clients");
            assertTrue(clients.contains("tracking_clients:1"), clients);
            String stats = j.info("stats");
            assertTrue(stats.contains("tracking_total_keys:2") && stats.contains("tracking_total_items:2"), stats);
            target.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (j.clientList().contains("id=" + targetId + " ") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            j.set("x", "1"); // the redirection client is gone
            info = call(t, "CLIENT", "INFO");
            assertTrue(info.contains(" flags=tR "), info);
            call(t, "CLIENT", "TRACKING", "OFF");
            call(t, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p");
            info = call(t, "CLIENT", "INFO");
            assertTrue(info.contains(" flags=tB ") && info.contains(" redir=0 "), info);
            assertTrue(j.info("stats").contains("tracking_total_prefixes:1"));
            assertEquals("RESET", call(t, "RESET").trim().substring(1));
            info = call(t, "CLIENT", "INFO");
            assertTrue(info.contains(" flags=N ") && info.contains(" redir=-1 "), info);
            assertTrue(j.info("stats").contains("tracking_total_prefixes:0"));
            assertTrue(j.info("clients").contains("tracking_clients:0"));
        }
    }

    private static String call(RawConnection c, String... args) throws Exception {
        return new String(c.call(argv(args)), StandardCharsets.ISO_8859_1);
    }

    private static byte[][] argv(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return a;
    }
}
