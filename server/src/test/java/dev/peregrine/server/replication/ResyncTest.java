package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Links cut in the middle of a full sync (the replica starts over and ends equal), and a redis primary restarted
 * on its RDB file (new id, same history) followed by a Peregrine replica.
 */
class ResyncTest {
    @TempDir
    Path dir;

    @Test
    void peregrineReplicaResyncsAfterItsLinkIsKilledDuringAFullSync() throws Exception {
        // the primary's snapshot is slowed down (20 µs a key: some seconds), so the sync is caught in progress
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0", "--rdb-key-save-delay", "20", "--repl-backlog-size", "64mb");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
                 c.set("repl-diskless-load", "swapdb");
             });
             Jedis primary = new Jedis("127.0.0.1", redis.port(), 30_000);
             Jedis replica = peregrine.jedis()) {
            cmd(primary, "DEBUG", "POPULATE", "300000", "big", "50");
            replica.replicaof("127.0.0.1", redis.port());
            await("sync in progress", () -> "1".equals(info(replica).get("master_sync_in_progress")));
            assertEquals(1L, cmd(replica, "CLIENT", "KILL", "TYPE", "master"));
            primary.configSet("rdb-key-save-delay", "0");
            AtomicBoolean stop = new AtomicBoolean();
            Thread w = writer(redis.port(), stop, 21);
            await("link up", () -> "up".equals(info(replica).get("master_link_status")));
            w.join();
            assertCaughtUp(primary, replica);
            assertTrue(Long.parseLong(info(primary).get("sync_full")) >= 2, info(primary).get("sync_full"));
        }
    }

    @Test
    void redisReplicaResyncsAfterThePrimaryKillsItDuringAFullSync() throws Exception {
        for (String diskless : new String[] {"yes", "no"}) {
            try (TestServer peregrine = TestServer.start(c -> {
                     c.set("dir", dir.toString());
                     c.set("enable-debug-command", "yes");
                     c.set("repl-diskless-sync", diskless);
                     c.set("repl-diskless-sync-delay", "0");
                     c.set("repl-backlog-size", "64mb");
                 });
                 Jedis primary = peregrine.jedis()) {
                cmd(primary, "DEBUG", "POPULATE", "300000", "big", "50");
                // the replica loads slowly (20 µs a key) while it reads the socket: the transfer lasts seconds
                try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                        "--repl-diskless-load", "swapdb", "--key-load-delay", "20");
                     Jedis replica = new Jedis("127.0.0.1", redis.port(), 30_000)) {
                    replica.replicaof("127.0.0.1", peregrine.port());
                    await("sync in progress", () -> "1".equals(info(replica).get("master_sync_in_progress")));
                    long killed = (Long) cmd(primary, "CLIENT", "KILL", "TYPE", "replica");
                    assertEquals(1L, killed);
                    cmd(replica, "CONFIG", "SET", "key-load-delay", "0");
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread w = writer(peregrine.port(), stop, 22);
                    await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                    w.join();
                    assertCaughtUp(primary, replica);
                    assertTrue(Long.parseLong(info(primary).get("sync_full")) >= 2, info(primary).get("sync_full"));
                }
            }
        }
    }

    @Test
    void peregrineFollowsARedisPrimaryRestartedOnItsRdbFile() throws Exception {
        Path redisDir = dir.resolve("redis");
        java.nio.file.Files.createDirectories(redisDir);
        String[] args = {"--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0",
                "--dir", redisDir.toString(), "--dbfilename", "primary.rdb", "--repl-backlog-size", "64mb"};
        // the backlog (64mb) keeps the writes made before the replica is back, so it can continue
        RedisServerProcess redis = RedisServerProcess.start(args);
        int port = redis.port();
        try (TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis replica = peregrine.jedis()) {
            String oldId;
            try (Jedis primary = new Jedis("127.0.0.1", port, 30_000)) {
                cmd(primary, "DEBUG", "POPULATE", "20000", "pre", "20");
                replica.replicaof("127.0.0.1", port);
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(port, stop, 23);
                await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                w.join();
                assertCaughtUp(primary, replica);
                oldId = info(primary).get("master_replid");
                try {
                    cmd(primary, "SHUTDOWN", "SAVE");
                } catch (RuntimeException closed) {
                    // the connection ends with the server
                }
            }
            redis.close();
            await("link down", () -> "down".equals(info(replica).get("master_link_status")));
            redis = RedisServerProcess.start(port, args);
            assertEquals(port, redis.port());
            try (Jedis primary = new Jedis("127.0.0.1", port, 30_000)) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(port, stop, 24);
                await("link up again", () -> "up".equals(info(replica).get("master_link_status")));
                w.join();
                assertCaughtUp(primary, replica);
                assertNotEquals(oldId, info(primary).get("master_replid"));
                assertEquals(oldId, info(primary).get("master_replid2"));
                assertEquals(info(primary).get("master_replid"), info(replica).get("master_replid"));
                // the restarted primary continued the replica's history: no full resync
                assertEquals("0", info(primary).get("sync_full"));
                assertEquals("1", info(primary).get("sync_partial_ok"));
            }
        } finally {
            redis.close();
        }
    }
}
