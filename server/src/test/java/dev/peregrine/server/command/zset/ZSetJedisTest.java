package dev.peregrine.server.command.zset;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Sorted sets through Jedis, as an application would use them (a leaderboard, a delay queue). */
class ZSetJedisTest {
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
    void leaderboard() {
        try (Jedis j = server.jedis()) {
            j.del("board");
            assertEquals(3, j.zadd("board", Map.of("ann", 10.0, "bob", 25.5, "cy", 7.0)));
            assertEquals(0, j.zadd("board", 99.0, "ann", ZAddParams.zAddParams().nx()));
            assertEquals(12.5, j.zincrby("board", 2.5, "ann"));
            assertEquals(List.of("bob", "ann", "cy"), j.zrevrange("board", 0, -1));
            assertEquals(List.of(new Tuple("cy", 7.0), new Tuple("ann", 12.5)),
                         j.zrangeWithScores("board", 0, 1));
            assertEquals(1L, j.zrank("board", "ann"));
            assertEquals(25.5, j.zscore("board", "bob"));
            assertEquals(2, j.zcount("board", "(7", "+inf"));
            assertEquals(List.of("ann"), j.zrangeByScore("board", 8, 20));
            assertEquals(new Tuple("cy", 7.0), j.zpopmin("board"));
            assertEquals(2, j.zcard("board"));
            assertEquals(2, j.zunionstore("copy", "board"));
            assertEquals(List.of("ann", "bob"), j.zrange("copy", 0, -1));
            assertNull(j.zscore("board", "cy"));
        }
    }

    @Test
    void delayQueueWakesABlockedConsumer() throws Exception {
        try (Jedis consumer = server.jedis(); Jedis producer = server.jedis()) {
            producer.del("jobs");
            CompletableFuture<KeyValue<String, Tuple>> taken =
                    CompletableFuture.supplyAsync(() -> consumer.bzpopmin(10, "jobs"));
            // the consumer blocks until the producer adds a job (poll until it is registered as blocked)
            long deadline = System.currentTimeMillis() + 10_000;
            while (!producer.info("clients").contains("blocked_clients:1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            producer.zadd("jobs", 1700000000, "job-1");
            KeyValue<String, Tuple> job = taken.get(10, TimeUnit.SECONDS);
            assertEquals("jobs", job.getKey());
            assertEquals(new Tuple("job-1", 1.7e9), job.getValue());
            assertEquals(0, producer.exists("jobs") ? 1 : 0);
        }
    }
}
