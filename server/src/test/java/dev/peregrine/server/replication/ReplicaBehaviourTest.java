package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.Map;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Replica details: AUTH to the primary, replicaof in the configuration, WAIT/GETACK, expiry, stale data. */
class ReplicaBehaviourTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void authenticatesWithMasteruserAndAcknowledgesWait() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0", "--requirepass", "s3cret");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("masteruser", "default");
                 c.set("masterauth", "s3cret");
                 c.set("enable-debug-command", "yes");
                 c.set("replicaof", "127.0.0.1 " + redis.port());
             });
             Jedis primary = new Jedis("127.0.0.1", redis.port(), 10_000);
             Jedis replica = peregrine.jedis()) {
            primary.auth("s3cret");
            await("link up", () -> "up".equals(info(replica).get("master_link_status")));
            primary.set("a", "1");
            // the primary asks with REPLCONF GETACK; the replica's ACK covers the write
            assertEquals(1L, primary.waitReplicas(1, 5000));
            assertCaughtUp(primary, replica);
            assertEquals("1", replica.get("a"));
            Map<String, String> i = info(replica);
            assertEquals("slave", i.get("role"));
            assertEquals(String.valueOf(redis.port()), i.get("master_port"));
            assertEquals("0", i.get("master_sync_in_progress"));
        }
    }

    @Test
    void replicaHidesExpiredKeysButWaitsForThePrimarysDeletion() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis primary = new Jedis("127.0.0.1", redis.port(), 10_000);
             Jedis replica = peregrine.jedis()) {
            cmd(primary, "DEBUG", "SET-ACTIVE-EXPIRE", "0");
            replica.replicaof("127.0.0.1", redis.port());
            await("link up", () -> "up".equals(info(replica).get("master_link_status")));
            primary.set("k", "v");
            primary.pexpire("k", 200);
            assertCaughtUp(primary, replica);
            Thread.sleep(400);
            assertNull(replica.get("k"));
            assertEquals(1L, replica.dbSize()); // not deleted by the replica itself
            cmd(primary, "DEBUG", "SET-ACTIVE-EXPIRE", "1");
            await("deletion from the primary", () -> replica.dbSize() == 0);
        }
    }

    @Test
    void staleDataRefusedWhileTheLinkIsDownWhenConfigured() throws Exception {
        try (TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("replica-serve-stale-data", "no");
             });
             Jedis replica = peregrine.jedis()) {
            // nobody listens on port 1: the link stays down
            assertEquals("OK", replica.replicaof("127.0.0.1", 1));
            assertEquals("OK Already connected to specified master",
                         str(cmd(replica, "REPLICAOF", "127.0.0.1", "1")));
            JedisDataException e = assertThrows(JedisDataException.class, () -> replica.get("a"));
            assertEquals("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                         e.getMessage());
            assertThrows(JedisDataException.class, replica::ping); // PING is not a stale command
            replica.info("server"); // INFO is
            assertEquals("down", info(replica).get("master_link_status"));
            assertEquals("slave", str(replica.role().get(0)));
            JedisDataException port = assertThrows(JedisDataException.class,
                    () -> cmd(replica, "REPLICAOF", "127.0.0.1", "70000"));
            assertEquals("ERR Invalid master port", port.getMessage());
            assertEquals("OK", replica.replicaofNoOne());
            assertNull(replica.get("a"));
        }
    }

    @Test
    void continuesWithTheNewIdAfterThePrimaryFailsOver() throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             RedisServerProcess b = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis ja = new Jedis("127.0.0.1", a.port(), 10_000);
             Jedis jb = new Jedis("127.0.0.1", b.port(), 10_000);
             Jedis replica = peregrine.jedis()) {
            ja.set("x", "1");
            jb.replicaof("127.0.0.1", a.port());
            replica.replicaof("127.0.0.1", a.port());
            await("b up", () -> "up".equals(info(jb).get("master_link_status")));
            await("peregrine up", () -> "up".equals(info(replica).get("master_link_status")));
            ja.set("y", "2");
            assertCaughtUp(ja, replica);
            assertCaughtUp(ja, jb);
            String oldId = info(replica).get("master_replid");
            // B becomes the primary; Peregrine follows it and continues without a full sync
            jb.replicaofNoOne();
            replica.replicaof("127.0.0.1", b.port());
            await("peregrine up on b", () -> "up".equals(info(replica).get("master_link_status"))
                    && replica.role().get(2).equals((long) b.port()));
            jb.set("z", "3");
            assertCaughtUp(jb, replica);
            Map<String, String> i = info(replica);
            assertEquals(info(jb).get("master_replid"), i.get("master_replid"));
            assertEquals(oldId, i.get("master_replid2"));
            assertEquals("1", info(jb).get("sync_partial_ok"));
            assertEquals("0", info(jb).get("sync_full"));
        }
    }

    @Test
    void aRestartedReplicaContinuesFromItsRdbFile() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             Jedis primary = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> cfg = c -> {
                c.set("dir", dir.toString());
                c.set("enable-debug-command", "yes");
                c.set("replicaof", "127.0.0.1 " + redis.port());
            };
            primary.select(5);
            primary.set("a", "1");
            try (TestServer first = TestServer.start(cfg); Jedis replica = first.jedis()) {
                await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                replica.select(5);
                assertCaughtUp(primary, replica);
                assertEquals("OK", replica.save());
            }
            primary.set("b", "2"); // still in database 5: the stream carries no SELECT for it
            try (TestServer second = TestServer.start(cfg); Jedis replica = second.jedis()) {
                await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                replica.select(5);
                assertCaughtUp(primary, replica);
                assertEquals("2", replica.get("b"));
            }
            assertEquals("1", info(primary).get("sync_full"));
            assertEquals("1", info(primary).get("sync_partial_ok"));
        }
    }
}
