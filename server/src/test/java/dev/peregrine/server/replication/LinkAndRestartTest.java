package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.str;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link to our primary as a client (CLIENT LIST flags=M, CLIENT KILL), and a Peregrine primary restarted. */
class LinkAndRestartTest {
    @TempDir
    Path dir;

    @Test
    void theLinkToThePrimaryIsListedAndKillable() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
             });
             Jedis primary = new Jedis("127.0.0.1", redis.port(), 10_000);
             Jedis replica = peregrine.jedis()) {
            assertEquals("", masterLines(replica, "CLIENT", "LIST", "TYPE", "master").stream()
                    .collect(Collectors.joining()));
            replica.replicaof("127.0.0.1", redis.port());
            await("link up", () -> "up".equals(info(replica).get("master_link_status")));
            primary.select(2);
            primary.set("k", "v");
            primary.select(0);
            assertCaughtUp(primary, replica);

            List<String> all = masterLines(replica, "CLIENT", "LIST");
            List<String> masters = all.stream().filter(l -> l.contains(" flags=M ")).toList();
            assertEquals(1, masters.size(), all.toString());
            String line = masters.get(0);
            assertTrue(line.contains(" addr=127.0.0.1:" + redis.port() + " "), line);
            assertTrue(line.contains(" db=2 "), line);
            assertTrue(line.contains(" cmd=set "), line);
            assertEquals(masters, masterLines(replica, "CLIENT", "LIST", "TYPE", "master"));
            String id = line.substring(3, line.indexOf(' '));
            assertEquals(masters, masterLines(replica, "CLIENT", "LIST", "ID", id));

            // killed by id: the link comes back and continues
            assertEquals(1L, cmd(replica, "CLIENT", "KILL", "ID", id));
            await("a new link", () -> {
                List<String> m = masterLines(replica, "CLIENT", "LIST", "TYPE", "master");
                return m.size() == 1 && !m.get(0).startsWith("id=" + id + " ");
            });
            // killed by type
            assertEquals(1L, cmd(replica, "CLIENT", "KILL", "TYPE", "master"));
            await("link up again", () -> "up".equals(info(replica).get("master_link_status")));
            primary.set("k2", "v2");
            assertCaughtUp(primary, replica);
            assertEquals("1", info(primary).get("sync_full"));
            assertEquals("2", info(primary).get("sync_partial_ok"));
        }
    }

    private static List<String> masterLines(Jedis j, String... args) {
        String text = str(cmd(j, args));
        return Arrays.stream(text.split("\n")).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void aRestartedPrimaryTakesItsHistoryBackFromItsRdbAndItsReplicasContinue() throws Exception {
        java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> settings = c -> {
            c.set("dir", dir.toString());
            c.set("enable-debug-command", "yes");
            c.set("repl-diskless-sync-delay", "0");
            c.set("repl-ping-replica-period", "3600"); // no PING between the save and the stop
        };
        TestServer peregrine = TestServer.start(settings);
        int port = peregrine.port();
        try (Jedis j = peregrine.jedis()) {
            cmd(j, "DEBUG", "POPULATE", "5000", "pre", "20"); // not propagated: before the replica comes
        }
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                "--replicaof", "127.0.0.1", String.valueOf(port));
             Jedis replica = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            String oldId;
            String offset;
            try (Jedis primary = peregrine.jedis()) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(port, stop, 31);
                await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                w.join();
                assertCaughtUp(primary, replica);
                oldId = info(primary).get("master_replid");
                offset = info(primary).get("master_repl_offset");
                assertEquals("OK", primary.save());
            }
            peregrine.close();
            peregrine = TestServer.start(settings.andThen(c -> c.set("port", String.valueOf(port))));
            Jedis primary = peregrine.jedis();
            try (primary) {
                var i = info(primary);
                assertEquals(oldId, i.get("master_replid2"));
                assertEquals(Long.parseLong(offset) + 1, Long.parseLong(i.get("second_repl_offset")));
                assertEquals(offset, i.get("master_repl_offset"));
                assertNotEquals(oldId, i.get("master_replid"));
                await("link up again", () -> "up".equals(info(replica).get("master_link_status"))
                        && info(primary).get("master_replid").equals(info(replica).get("master_replid")));
                AtomicBoolean stop = new AtomicBoolean();
                writer(port, stop, 32).join();
                assertCaughtUp(primary, replica);
                assertEquals("0", info(primary).get("sync_full"));
                assertEquals("1", info(primary).get("sync_partial_ok"));
            }
        } finally {
            peregrine.close();
        }
    }
}
