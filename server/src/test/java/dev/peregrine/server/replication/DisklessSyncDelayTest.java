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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** repl-diskless-sync-delay and repl-diskless-sync-max-replicas: replicas that wait together share one stream. */
class DisklessSyncDelayTest {
    @TempDir
    Path dir;

    @Test
    void replicasArrivingWithinTheDelayShareOneStreamedSnapshot() throws Exception {
        try (TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
                 c.set("repl-backlog-size", "64mb");
                 // an hour's delay: only the second replica's arrival (max-replicas 2) starts the transfer
                 c.set("repl-diskless-sync-delay", "3600");
                 c.set("repl-diskless-sync-max-replicas", "2");
             });
             Jedis primary = peregrine.jedis()) {
            cmd(primary, "DEBUG", "POPULATE", "20000", "pre", "20");
            try (RedisServerProcess a = RedisServerProcess.start("--enable-debug-command", "yes",
                    "--replicaof", "127.0.0.1", String.valueOf(peregrine.port()));
                 Jedis ja = new Jedis("127.0.0.1", a.port(), 10_000)) {
                await("first waits", () -> String.valueOf(info(primary).get("slave0")).contains("state=wait_bgsave"));
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(peregrine.port(), stop, 41);
                Thread.sleep(1000);
                assertTrue(info(primary).get("slave0").contains("state=wait_bgsave"), info(primary).get("slave0"));
                assertEquals("down", info(ja).get("master_link_status"));
                try (RedisServerProcess b = RedisServerProcess.start("--enable-debug-command", "yes",
                        "--replicaof", "127.0.0.1", String.valueOf(peregrine.port()));
                     Jedis jb = new Jedis("127.0.0.1", b.port(), 10_000)) {
                    // had they not shared the snapshot, the one left alone would wait for the hour
                    await("both up", () -> "up".equals(info(ja).get("master_link_status"))
                                           && "up".equals(info(jb).get("master_link_status")));
                    w.join();
                    assertCaughtUp(primary, ja);
                    assertCaughtUp(primary, jb);
                    assertEquals("2", info(primary).get("sync_full"));
                    assertEquals("2", info(primary).get("connected_slaves"));
                }
            }
        }
    }
}
