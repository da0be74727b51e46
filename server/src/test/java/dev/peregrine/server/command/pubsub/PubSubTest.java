package dev.peregrine.server.command.pubsub;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pub/Sub between connections: Jedis, raw RESP2 and RESP3 subscribers, Lettuce push listeners. */
class PubSubTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        startServer(c -> { });
    }

    static void startServer(java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> tweak) {
        server = TestServer.start(tweak);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jedisSubscriberReceivesChannelAndPatternMessages() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add("message " + channel + " " + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add("pmessage " + pattern + " " + channel + " " + message);
                if (message.equals("bye")) {
                    punsubscribe();
                    unsubscribe();
                }
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }
        };
        Thread t = new Thread(() -> {
            try (Jedis sub = server.jedis()) {
                sub.subscribe(listener, "news");
            }
        });
        t.start();
        try (Jedis pub = server.jedis()) {
            awaitNumsub(pub, "news", 1);
            listener.psubscribe("n*");
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            assertEquals(2L, pub.publish("news", "hello"));
            assertEquals(1L, pub.publish("nope", "x"));
            assertEquals(0L, pub.publish("other", "x"));
            assertEquals(1L, pub.publish("nx", "bye"));
            t.join(10_000);
            assertFalse(t.isAlive());
            List<String> expected = List.of("message news hello", "pmessage n* news hello", "pmessage n* nope x",
                    "pmessage n* nx bye");
            for (String e : expected) {
                assertEquals(e, got.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(0L, pub.publish("news", "after"));
        }
    }

    @Test
    void resp2SubscriberGetsExactFramesWithoutSendingAnything() throws Exception {
        try (RawResp sub = new RawResp(server.port()); RawResp pub = new RawResp(server.port())) {
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n", sub.call("SUBSCRIBE", "c1"));
            assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n", sub.call("PSUBSCRIBE", "c*"));
            assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", sub.call("SSUBSCRIBE", "s1"));
            assertEquals(":2\r\n", pub.call("PUBLISH", "c1", "hi"));
            assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$2\r\nhi\r\n", sub.read());
            assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc1\r\n$2\r\nhi\r\n", sub.read());
            assertEquals(":1\r\n", pub.call("SPUBLISH", "s1", "yo"));
            assertEquals("*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$2\r\nyo\r\n", sub.read());
            // a shard message does not reach pattern subscribers, a channel message does not reach shard ones
            assertEquals(":0\r\n", pub.call("SPUBLISH", "c1", "x"));
            assertEquals(":0\r\n", pub.call("PUBLISH", "s1", "x"));
            assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
                    + "are allowed in this context\r\n", sub.call("GET", "k"));
            assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
        }
    }

    @Test
    void resp3SubscriberGetsPushesInterleavedWithReplies() throws Exception {
        try (RawResp sub = new RawResp(server.port()); RawResp pub = new RawResp(server.port())) {
            sub.call("HELLO", "3");
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", sub.call("SUBSCRIBE", "c"));
            pub.call("SET", "k", "v");
            assertEquals(":1\r\n", pub.call("PUBLISH", "c", "m"));
            assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n", sub.read());
            assertEquals("$1\r\nv\r\n", sub.call("GET", "k"));
            assertEquals("+PONG\r\n", sub.call("PING"));
            assertEquals(">3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:0\r\n", sub.call("UNSUBSCRIBE"));
        }
    }

    @Test
    void clientListInfoAndKillSeeSubscribers() throws Exception {
        try (RawResp sub = new RawResp(server.port()); RawResp admin = new RawResp(server.port())) {
            sub.call("CLIENT", "SETNAME", "listener");
            sub.call("SUBSCRIBE", "a");
            sub.call("SUBSCRIBE", "b");
            sub.call("PSUBSCRIBE", "p*");
            sub.call("SSUBSCRIBE", "s");
            String list = admin.call("CLIENT", "LIST", "TYPE", "pubsub");
            assertTrue(list.contains("name=listener "), list);
            assertTrue(list.contains(" flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 "), list);
            assertFalse(admin.call("CLIENT", "LIST", "TYPE", "normal").contains("name=listener"));
            String info = admin.call("INFO");
            assertTrue(info.contains("pubsub_channels:2\r\n"), info);
            assertTrue(info.contains("pubsub_patterns:1\r\n"), info);
            assertTrue(info.contains("pubsubshard_channels:1\r\n"), info);
            assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "TYPE", "pubsub"));
            assertEquals("*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n", admin.call("PUBSUB", "NUMSUB", "a", "b"));
            assertEquals(":0\r\n", admin.call("PUBSUB", "NUMPAT"));
        }
    }

    @Test
    void disconnectedSubscriberLeavesItsChannels() throws Exception {
        try (RawResp admin = new RawResp(server.port())) {
            RawResp sub = new RawResp(server.port());
            sub.call("SUBSCRIBE", "gone");
            assertEquals(":1\r\n", admin.call("PUBLISH", "gone", "x"));
            sub.close();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!admin.call("PUBLISH", "gone", "x").equals(":0\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "subscriber still registered");
                Thread.sleep(5);
            }
            assertEquals("*0\r\n", admin.call("PUBSUB", "CHANNELS", "gone"));
        }
    }

    @Test
    void resetLeavesSubscribedMode() throws Exception {
        try (RawResp sub = new RawResp(server.port()); RawResp pub = new RawResp(server.port())) {
            sub.call("SUBSCRIBE", "r");
            sub.call("PSUBSCRIBE", "*");
            assertEquals("+RESET\r\n", sub.call("RESET"));
            assertEquals(":0\r\n", pub.call("PUBLISH", "r", "x"));
            assertEquals("+PONG\r\n", sub.call("PING"));
            assertFalse(sub.hasPending());
        }
    }

    @Test
    void lettuceResp3PubSubConnectionHearsPushes() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP3).build());
        try (StatefulRedisPubSubConnection<String, String> conn = client.connectPubSub(); Jedis pub = server.jedis()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            conn.addListener(new RedisPubSubAdapter<String, String>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + " " + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + " " + channel + " " + message);
                }
            });
            conn.sync().subscribe("lc");
            conn.sync().psubscribe("l*");
            assertEquals(2L, pub.publish("lc", "pushed"));
            assertEquals("lc pushed", got.poll(10, TimeUnit.SECONDS));
            assertEquals("l* lc pushed", got.poll(10, TimeUnit.SECONDS));
            // RESP3: the subscribed connection still runs ordinary commands
            pub.set("lk", "lv");
            assertEquals("lv", conn.sync().get("lk"));
            String list = pub.clientList();
            assertTrue(list.contains("sub=1 psub=1 ssub=0") && list.contains("resp=3"), list);
        } finally {
            client.shutdown();
        }
    }

    static void awaitNumsub(Jedis j, String channel, long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (j.pubsubNumSub(channel).get(channel) != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("subscriber count of " + channel + " never reached " + n);
            }
            Thread.sleep(5);
        }
    }
}
