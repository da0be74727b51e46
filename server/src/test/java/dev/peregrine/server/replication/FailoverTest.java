package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** FAILOVER between Peregrine and redis-server, both ways. */
class FailoverTest {
    @TempDir
    Path dir;

    private static String error(Jedis j, String... args) {
        return assertThrows(JedisDataException.class, () -> cmd(j, args)).getMessage();
    }

    @Test
    void peregrineHandsItsRoleToARedisReplica() throws Exception {
        try (TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis jp = peregrine.jedis()) {
            assertEquals("ERR FAILOVER requires connected replicas.", error(jp, "FAILOVER"));
            assertEquals("ERR No failover in progress.", error(jp, "FAILOVER", "ABORT"));
            assertEquals("ERR syntax error", error(jp, "FAILOVER", "BOGUS"));
            assertEquals("ERR FAILOVER timeout must be greater than 0", error(jp, "FAILOVER", "TIMEOUT", "0"));
            jp.set("before", "1");
            try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                    "--replicaof", "127.0.0.1", String.valueOf(peregrine.port()));
                 Jedis jr = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                await("link up", () -> "up".equals(info(jr).get("master_link_status")));
                assertCaughtUp(jp, jr);
                assertEquals("ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
                             error(jp, "FAILOVER", "FORCE"));
                assertEquals("ERR FAILOVER target HOST and PORT is not a replica.",
                             error(jp, "FAILOVER", "TO", "127.0.0.1", "1"));
                String port = String.valueOf(redis.port());
                assertEquals("OK", ReplicaOfRedisTest.str(cmd(jp, "FAILOVER", "TO", "127.0.0.1", port, "TIMEOUT",
                                                              "10000")));
                await("redis promoted", () -> "master".equals(info(jr).get("role")));
                await("peregrine follows", () -> "slave".equals(info(jp).get("role"))
                        && "up".equals(info(jp).get("master_link_status")));
                assertEquals("no-failover", info(jp).get("master_failover_state"));
                jr.set("after", "2");
                assertCaughtUp(jr, jp);
                assertEquals("2", jp.get("after"));
                assertEquals("1", jp.get("before"));
                // the hand-over continued the history: no full sync either way
                assertEquals("0", info(jr).get("sync_full"));
            }
        }
    }

    @Test
    void redisHandsItsRoleToAPeregrineReplica() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis jr = new Jedis("127.0.0.1", redis.port(), 10_000);
             Jedis jp = peregrine.jedis()) {
            jr.set("before", "1");
            jp.replicaof("127.0.0.1", redis.port());
            await("link up", () -> "up".equals(info(jp).get("master_link_status")));
            assertCaughtUp(jr, jp);
            assertEquals("OK", ReplicaOfRedisTest.str(cmd(jr, "FAILOVER")));
            await("peregrine promoted", () -> "master".equals(info(jp).get("role")));
            await("redis follows", () -> "slave".equals(info(jr).get("role"))
                    && "up".equals(info(jr).get("master_link_status")));
            jp.set("after", "2");
            assertCaughtUp(jp, jr);
            assertEquals("2", jr.get("after"));
            assertEquals("1", info(jp).get("sync_partial_ok"));
        }
    }
}
