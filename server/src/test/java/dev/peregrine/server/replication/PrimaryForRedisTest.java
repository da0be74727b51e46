package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.str;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peregrine as the primary of real redis-server replicas (the rollback path). */
class PrimaryForRedisTest {
    @TempDir
    Path dir;

    @Test
    void redisReplicaSyncsUnderLoadContinuesAfterALinkDropAndAcknowledges() throws Exception {
        for (String diskless : new String[] {"yes", "no"}) {
            try (TestServer peregrine = TestServer.start(c -> {
                     c.set("dir", dir.toString());
                     c.set("enable-debug-command", "yes");
                     c.set("repl-backlog-size", "64mb");
                     c.set("repl-diskless-sync", diskless);
                 });
                 Jedis primary = peregrine.jedis()) {
                cmd(primary, "DEBUG", "POPULATE", "5000", "pre", "20");
                primary.rpush("list", "a", "b", "c");
                primary.hset("hash", Map.of("f1", "v1", "f2", "v2"));
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(peregrine.port(), stop, 3);
                try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                        "--replicaof", "127.0.0.1", String.valueOf(peregrine.port()));
                     Jedis replica = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                    await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                    w.join();
                    assertCaughtUp(primary, replica);
                    Map<String, String> i = info(primary);
                    assertEquals("1", i.get("connected_slaves"));
                    assertTrue(i.get("slave0").contains("state=online"), i.get("slave0"));
                    assertEquals("1", i.get("repl_backlog_active"));
                    assertEquals("1", i.get("sync_full"));
                    assertTrue(Long.parseLong(i.get("total_net_repl_output_bytes")) > 0);
                    List<Object> role = primary.role();
                    assertEquals("master", str(role.get(0)));

                    // WAIT: the replica acknowledges after GETACK
                    primary.set("w", "1");
                    assertEquals(1L, primary.waitReplicas(1, 5000));
                    assertEquals(1L, primary.waitReplicas(2, 300)); // times out with the count reached
                    try (Jedis reader = peregrine.jedis()) {
                        // a client that wrote nothing waits for nothing: every replica counts
                        assertEquals(1L, reader.waitReplicas(1, 0));
                    }

                    // the replica drops its link and continues from its offset
                    Thread w2 = writer(peregrine.port(), stop, 4);
                    Thread.sleep(50);
                    cmd(replica, "CLIENT", "KILL", "TYPE", "master");
                    w2.join();
                    await("link up again", () -> "up".equals(info(replica).get("master_link_status")));
                    assertCaughtUp(primary, replica);
                    assertEquals("1", info(primary).get("sync_full"));
                    assertEquals("1", info(primary).get("sync_partial_ok"));

                    // min-replicas-to-write
                    primary.configSet("min-replicas-to-write", "2");
                    await("good replicas counted", () -> {
                        try {
                            primary.set("x", "y");
                            return false;
                        } catch (JedisDataException e) {
                            return e.getMessage().equals("NOREPLICAS Not enough good replicas to write.");
                        }
                    });
                    primary.configSet("min-replicas-to-write", "0");
                    assertEquals("OK", primary.set("x", "y"));
                }
            }
        }
    }

    @Test
    void waitOnAReplicaAndArgumentErrors() {
        try (TestServer peregrine = TestServer.start(); Jedis j = peregrine.jedis()) {
            assertEquals(0L, j.waitReplicas(0, 0));
            JedisDataException e = assertThrows(JedisDataException.class, () -> cmd(j, "WAIT", "0", "-1"));
            assertEquals("ERR timeout is negative", e.getMessage());
            assertEquals(0L, j.waitReplicas(1, 100));
        }
    }
}
