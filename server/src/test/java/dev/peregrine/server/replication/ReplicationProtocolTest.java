package dev.peregrine.server.replication;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.peregrine.server.replication.ReplicaOfRedisTest.await;
import static dev.peregrine.server.replication.ReplicaOfRedisTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replication protocol on the wire, against scripted peers: handshake, transfer progress, limits. */
class ReplicationProtocolTest {
    @TempDir
    Path dir;

    /** Reads one RESP multi-bulk request as strings. */
    static List<String> readCommand(InputStream in) throws IOException {
        String header = readLine(in);
        assertTrue(header.startsWith("*"), header);
        int n = Integer.parseInt(header.substring(1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(readLine(in).substring(1));
            out.add(new String(in.readNBytes(len), StandardCharsets.ISO_8859_1));
            readLine(in);
        }
        return out;
    }

    static String readLine(InputStream in) throws IOException {
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
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void handshakeTransferProgressAndTimeoutAgainstAScriptedPrimary() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("repl-timeout", "1");
                 c.set("masterauth", "pw");
             });
             Jedis replica = peregrine.jedis()) {
            fake.setSoTimeout(20_000);
            replica.replicaof("127.0.0.1", fake.getLocalPort());
            try (Socket s = fake.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                assertEquals(List.of("PING"), readCommand(in));
                out.write("-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(List.of("AUTH", "pw"), readCommand(in));
                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(List.of("REPLCONF", "listening-port", String.valueOf(peregrine.port())),
                             readCommand(in));
                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(List.of("REPLCONF", "capa", "eof", "capa", "psync2"), readCommand(in));
                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                List<String> psync = readCommand(in);
                assertEquals("PSYNC", psync.get(0));
                assertEquals(40, psync.get(1).length());
                assertEquals("1", psync.get(2));
                out.write(("\n\n+FULLRESYNC " + "a".repeat(40) + " 0\r\n\n$1000\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[100]);
                out.flush();
                await("transfer progress", () -> "100".equals(info(replica).get("master_sync_read_bytes")));
                Map<String, String> i = info(replica);
                assertEquals("1", i.get("master_sync_in_progress"));
                assertEquals("1000", i.get("master_sync_total_bytes"));
                assertEquals("900", i.get("master_sync_left_bytes"));
                assertEquals("10.00", i.get("master_sync_perc"));
                assertEquals("down", i.get("master_link_status"));
                assertEquals("sync", ReplicaOfRedisTest.str(replica.role().get(3)));
                // then silence: repl-timeout drops the link and the replica connects again
                try (Socket again = fake.accept()) {
                    again.setSoTimeout(10_000);
                    assertEquals(List.of("PING"), readCommand(again.getInputStream()));
                }
            }
            assertEquals("OK", replica.replicaofNoOne());
        }
    }

    static Map<String, String> persistenceInfo(Jedis j) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : j.info("persistence").split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                m.put(line.substring(0, c), line.substring(c + 1));
            }
        }
        return m;
    }

    @Test
    void aSwapdbLoadServesTheOldDataAndReportsItsProgress() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TestServer peregrine = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("repl-diskless-load", "swapdb");
             });
             Jedis replica = peregrine.jedis()) {
            fake.setSoTimeout(20_000);
            replica.set("old", "v");
            replica.replicaof("127.0.0.1", fake.getLocalPort());
            try (Socket s = fake.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String reply : new String[] {"+PONG", "+OK", "+OK"}) {
                    readCommand(in);
                    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                readCommand(in); // PSYNC
                out.write(("+FULLRESYNC " + "b".repeat(40) + " 0\r\n$1000\r\n").getBytes(StandardCharsets.US_ASCII));
                // the start of an RDB: the header and one AUX field; the loader then waits for more
                ByteArrayOutputStream rdb = new ByteArrayOutputStream();
                rdb.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
                rdb.write(0xFA);
                rdb.write(9);
                rdb.write("redis-ver".getBytes(StandardCharsets.US_ASCII));
                rdb.write(5);
                rdb.write("7.2.4".getBytes(StandardCharsets.US_ASCII));
                out.write(rdb.toByteArray());
                out.flush();
                await("load progress", () -> "26".equals(persistenceInfo(replica).get("loading_loaded_bytes")));
                Map<String, String> p = persistenceInfo(replica);
                assertEquals("0", p.get("loading"));
                assertEquals("1", p.get("async_loading"));
                assertEquals("1000", p.get("loading_total_bytes"));
                assertEquals("2.60", p.get("loading_loaded_perc"));
                assertEquals("v", replica.get("old")); // the old dataset is served meanwhile
                JedisDataException e = assertThrows(JedisDataException.class, replica::bgsave);
                assertEquals("LOADING Redis is loading the dataset in memory", e.getMessage());
            }
            // the primary went away mid-transfer: the load is abandoned, the old data stays
            await("load abandoned", () -> "0".equals(persistenceInfo(replica).get("async_loading")));
            assertEquals("v", replica.get("old"));
            assertEquals("OK", replica.replicaofNoOne());
        }
    }

    @Test
    void aReplicaThatDoesNotReadIsDroppedAtTheOutputLimit() throws Exception {
        try (TestServer primary = TestServer.start(c -> {
                 c.set("dir", dir.toString());
                 c.set("client-output-buffer-limit", "replica 1mb 0 0");
                 c.set("repl-backlog-ttl", "1");
             });
             Jedis jp = primary.jedis();
             Socket s = new Socket("127.0.0.1", primary.port())) {
            s.setReceiveBufferSize(4096);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            s.setSoTimeout(10_000);
            out.write("*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n1234\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK", readLine(in));
            out.write("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = readLine(in);
            } while (line.isEmpty());
            assertTrue(line.startsWith("+FULLRESYNC "), line);
            String bulk;
            do {
                bulk = readLine(in);
            } while (bulk.isEmpty());
            in.readNBytes(Integer.parseInt(bulk.substring(1)));
            await("replica online", () -> info(jp).getOrDefault("slave0", "").contains("state=online"));
            assertTrue(info(jp).get("slave0").contains("port=1234"), info(jp).get("slave0"));
            // the replica stops reading; writes pile up until the limit closes it
            String value = "x".repeat(64 * 1024);
            for (int i = 0; i < 200 && "1".equals(info(jp).get("connected_slaves")); i++) {
                jp.set("k" + i, value);
            }
            await("replica dropped", () -> "0".equals(info(jp).get("connected_slaves")));
            // without replicas, the backlog is freed after repl-backlog-ttl
            await("backlog freed", () -> "0".equals(info(jp).get("repl_backlog_active")));
        }
    }
}
