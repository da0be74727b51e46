package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.assertCaughtUp;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.cmd;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chains (redis → peregrine → redis, peregrine → peregrine) and the legacy SYNC command. */
class ChainedReplicationTest {
    @TempDir
    Path dir;

    @Test
    void redisToPeregrineToRedis() throws Exception {
        try (RedisServerProcess top = RedisServerProcess.start("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0");
             TestServer middle = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("enable-debug-command", "yes");
                     c.set("repl-backlog-size", "64mb");
             });
             Jedis jt = new Jedis("127.0.0.1", top.port(), 10_000);
             Jedis jm = middle.jedis()) {
            cmd(jt, "DEBUG", "POPULATE", "2000", "pre", "10");
            jm.replicaof("127.0.0.1", top.port());
            await("middle up", () -> "up".equals(info(jm).get("master_link_status")));
            try (RedisServerProcess bottom = RedisServerProcess.start("--enable-debug-command", "yes",
                    "--replicaof", "127.0.0.1", String.valueOf(middle.port()));
                 Jedis jb = new Jedis("127.0.0.1", bottom.port(), 10_000)) {
                await("bottom up", () -> "up".equals(info(jb).get("master_link_status")));
                AtomicBoolean stop = new AtomicBoolean();
                writer(top.port(), stop, 5).join();
                assertCaughtUp(jt, jm);
                assertCaughtUp(jt, jb);
                // the whole chain shares the top's history
                assertEquals(info(jt).get("master_replid"), info(jb).get("master_replid"));

                // the bottom drops its link to the middle and continues from the middle's backlog
                cmd(jb, "CLIENT", "KILL", "TYPE", "master");
                writer(top.port(), stop, 6).join();
                await("bottom up again", () -> "up".equals(info(jb).get("master_link_status")));
                assertCaughtUp(jt, jb);
                assertEquals("1", info(jm).get("sync_partial_ok"));

                // the middle is promoted: the bottom continues under the middle's new id
                jm.replicaofNoOne();
                jm.set("after-promotion", "1");
                await("bottom follows the new id", () -> info(jm).get("master_replid")
                        .equals(info(jb).get("master_replid")) && "1".equals(jb.get("after-promotion")));
                assertCaughtUp(jm, jb);
                assertEquals("1", info(jm).get("sync_full"));
            }
        }
    }

    @Test
    void peregrineReplicaOfPeregrine() throws Exception {
        for (String load : new String[] {"disabled", "swapdb"}) {
            // one side runs the executor on its own thread (QueueDispatcher), the other inline, in each round
            boolean primaryThreaded = load.equals("disabled");
            try (TestServer primary = TestServer.start(c -> {
                     c.set("dir", dir.toString());
                     c.set("enable-debug-command", "yes");
                     c.set("repl-backlog-size", "64mb");
                     c.set("executor-mode", primaryThreaded ? "thread" : "inline");
                 });
                 TestServer replica = TestServer.start(c -> {
                     c.set("dir", dir.toString());
                     c.set("dbfilename", "replica.rdb");
                     c.set("enable-debug-command", "yes");
                     c.set("repl-backlog-size", "64mb");
                     c.set("repl-diskless-load", load);
                     c.set("executor-mode", primaryThreaded ? "inline" : "thread");
                 });
                 Jedis jp = primary.jedis();
                 Jedis jr = replica.jedis()) {
                cmd(jp, "DEBUG", "POPULATE", "3000", "pre", "10");
                AtomicBoolean stop = new AtomicBoolean();
                Thread w = writer(primary.port(), stop, 7);
                jr.replicaof("127.0.0.1", primary.port());
                await("link up", () -> "up".equals(info(jr).get("master_link_status")));
                w.join();
                assertCaughtUp(jp, jr);
                cmd(jp, "CLIENT", "KILL", "TYPE", "replica");
                writer(primary.port(), stop, 8).join();
                await("link up again", () -> "up".equals(info(jr).get("master_link_status")));
                assertCaughtUp(jp, jr);
                Map<String, String> i = info(jp);
                assertEquals("1", i.get("sync_full"));
                assertEquals("1", i.get("sync_partial_ok"));
                assertTrue(jp.clientList().contains("flags=S"), jp.clientList());
                assertEquals(primaryThreaded, !primary.server().inlineMode());
                assertEquals(primaryThreaded, replica.server().inlineMode());
            }
        }
    }

    @Test
    void legacySyncSendsASizedRdbThenTheStream() throws Exception {
        try (TestServer primary = TestServer.start(c -> c.set("dir", dir.toString()));
             Jedis jp = primary.jedis();
             Socket s = new Socket("127.0.0.1", primary.port())) {
            jp.set("k", "v");
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            String header;
            do {
                header = readLine(in); // newlines may come first while the RDB is produced
            } while (header.isEmpty());
            assertTrue(header.startsWith("$"), header);
            int size = Integer.parseInt(header.substring(1));
            byte[] rdb = in.readNBytes(size);
            assertEquals("REDIS", new String(rdb, 0, 5, StandardCharsets.US_ASCII));
            jp.set("after", "1");
            String expected = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n";
            // the primary's periodic PINGs may come in between
            String ping = "*1\r\n$4\r\nPING\r\n";
            StringBuilder got = new StringBuilder();
            while (got.toString().replace(ping, "").length() < expected.length()) {
                got.append((char) in.read());
            }
            assertEquals(expected, got.toString().replace(ping, ""));
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new java.io.EOFException();
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
