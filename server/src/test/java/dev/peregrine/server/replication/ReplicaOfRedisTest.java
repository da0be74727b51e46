package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peregrine as a replica of a real redis-server: full and partial resyncs, the stream, promotion. */
class ReplicaOfRedisTest {
    @TempDir
    Path dir;

    static Object cmd(Jedis j, String... args) {
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        return j.sendCommand(() -> SafeEncoder.encode(args[0]), rest);
    }

    static String str(Object o) {
        return o instanceof byte[] ? SafeEncoder.encode((byte[]) o) : String.valueOf(o);
    }

    static Map<String, String> info(Jedis j) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : j.info("replication").split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                m.put(line.substring(0, c), line.substring(c + 1));
            }
        }
        Map<String, String> stats = new java.util.HashMap<>();
        for (String line : j.info("stats").split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                stats.put(line.substring(0, c), line.substring(c + 1));
            }
        }
        m.put("sync_full", stats.get("sync_full"));
        m.put("sync_partial_ok", stats.get("sync_partial_ok"));
        m.put("total_net_repl_input_bytes", stats.get("total_net_repl_input_bytes"));
        m.put("total_net_repl_output_bytes", stats.get("total_net_repl_output_bytes"));
        return m;
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the replica applied all the primary produced, then compares the digests. */
    static void assertCaughtUp(Jedis primary, Jedis replica) throws InterruptedException {
        await("replica offset", () -> info(replica).get("master_repl_offset")
                .equals(info(primary).get("master_repl_offset")) && "up".equals(info(replica).get("master_link_status")));
        assertEquals(str(cmd(primary, "DEBUG", "DIGEST")), str(cmd(replica, "DEBUG", "DIGEST")));
        assertEquals(primary.dbSize(), replica.dbSize());
    }

    /** Writes of every kind, some in MULTI, some in database 3, until stopped. */
    static Thread writer(int port, AtomicBoolean stop, int seed) {
        Thread t = new Thread(() -> {
            Random r = new Random(seed);
            try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                int n = 0;
                while (!stop.get() && n < 20_000) {
                    n++;
                    String k = "k" + r.nextInt(500);
                    switch (r.nextInt(8)) {
                        case 0 -> j.set("s:" + k, "v" + n);
                        case 1 -> j.incr("c:" + k);
                        case 2 -> j.lpush("l:" + k, "e" + n);
                        case 3 -> j.hset("h:" + k, "f" + r.nextInt(20), "v" + n);
                        case 4 -> j.expire("s:" + k, 1000 + r.nextInt(1000));
                        case 5 -> {
                            Transaction tx = j.multi();
                            tx.incr("c:" + k);
                            tx.sadd("set:" + k, "m" + r.nextInt(50));
                            tx.zadd("z:" + k, r.nextInt(100), "m" + n % 30);
                            tx.exec();
                        }
                        case 6 -> {
                            j.select(3);
                            j.set("db3:" + k, "x" + n);
                            j.select(0);
                        }
                        default -> j.setex("t:" + k, 500, "y" + n);
                    }
                }
            }
        });
        t.start();
        return t;
    }

    @Test
    void fullSyncThenStreamUnderLoadThenPartialResyncThenPromotion() throws Exception {
        for (String load : new String[] {"disabled", "swapdb"}) {
            try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
                                                                    "--repl-diskless-sync-delay", "0", "--repl-backlog-size", "64mb");
                 TestServer peregrine = TestServer.start(c -> {
                     c.set("dir", dir.toString());
                     c.set("repl-diskless-load", load);
                     c.set("enable-debug-command", "yes");
                 });
                 Jedis primary = new Jedis("127.0.0.1", redis.port(), 10_000);
                 Jedis replica = peregrine.jedis()) {
                cmd(primary, "DEBUG", "POPULATE", "5000", "pre", "20");
                primary.rpush("list", "a", "b", "c");
                primary.hset("hash", Map.of("f1", "v1", "f2", "v2"));
                primary.pexpire("pre:1", 500_000);
                replica.set("stale", "x");

                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(redis.port(), stop, 1);
                assertEquals("OK", replica.replicaof("127.0.0.1", redis.port()));
                await("link up", () -> "up".equals(info(replica).get("master_link_status")));
                w.join();
                assertCaughtUp(primary, replica);
                assertEquals(null, replica.get("stale"));
                assertTrue(replica.ttl("pre:1") > 0);
                assertEquals("1", info(primary).get("sync_full"));

                // the replica refuses writes from its clients
                JedisDataException e = assertThrows(JedisDataException.class, () -> replica.set("a", "b"));
                assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
                List<Object> role = replica.role();
                assertEquals("slave", str(role.get(0)));
                assertEquals("connected", str(role.get(3)));

                // the link drops; the replica continues from its offset
                Thread w2 = writer(redis.port(), stop, 2);
                Thread.sleep(50);
                cmd(primary, "CLIENT", "KILL", "TYPE", "master");
                cmd(primary, "CLIENT", "KILL", "TYPE", "replica");
                w2.join();
                await("link up again", () -> "up".equals(info(replica).get("master_link_status")));
                assertCaughtUp(primary, replica);
                assertEquals("1", info(primary).get("sync_full"));
                assertEquals("1", info(primary).get("sync_partial_ok"));
                assertTrue(Long.parseLong(info(replica).get("total_net_repl_input_bytes"))
                           >= Long.parseLong(info(primary).get("master_repl_offset")));

                // promotion: writable, the old id kept as replid2
                String oldId = info(replica).get("master_replid");
                String offset = info(replica).get("master_repl_offset");
                assertEquals("OK", replica.replicaofNoOne());
                Map<String, String> after = info(replica);
                assertEquals("master", after.get("role"));
                assertEquals(oldId, after.get("master_replid2"));
                assertEquals(Long.parseLong(offset) + 1, Long.parseLong(after.get("second_repl_offset")));
                assertEquals("OK", replica.set("a", "b"));
            }
        }
    }
}
