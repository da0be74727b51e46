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

/** A full resync of some tens of megabytes each way, with writes during the transfer. */
class LargeSyncTest {
    @TempDir
    Path dir;

    @Test
    void tensOfMegabytesEachWayUnderWrites() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0", "--repl-backlog-size", "64mb");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
                 c.set("repl-diskless-load", "swapdb");
                 c.set("repl-backlog-size", "64mb");
             });
             Jedis jr = new Jedis("127.0.0.1", redis.port(), 30_000);
             Jedis jp = peregrine.jedis()) {
            cmd(jr, "DEBUG", "POPULATE", "200000", "big", "200");
            AtomicBoolean stop = new AtomicBoolean();
            Thread w = writer(redis.port(), stop, 11);
            jp.replicaof("127.0.0.1", redis.port());
            await("link up", () -> "up".equals(info(jp).get("master_link_status")));
            w.join();
            assertCaughtUp(jr, jp);
            // and back: a redis replica of the Peregrine copy, synced from a fork-less snapshot
            try (RedisServerProcess back = RedisServerProcess.start("--enable-debug-command", "yes",
                    "--replicaof", "127.0.0.1", String.valueOf(peregrine.port()));
                 Jedis jb = new Jedis("127.0.0.1", back.port(), 30_000)) {
                await("back up", () -> "up".equals(info(jb).get("master_link_status")));
                assertCaughtUp(jp, jb);
            }
        }
    }
}
