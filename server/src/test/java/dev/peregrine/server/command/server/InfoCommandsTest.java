package dev.peregrine.server.command.server;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> headers(String info) {
        List<String> h = new ArrayList<>();
        for (String line : info.split("\r\n", -1)) {
            if (line.startsWith("# ")) {
                h.add(line.substring(2));
            }
        }
        return h;
    }

    @Test
    void defaultAllAndEverythingSections() {
        try (Jedis j = server.jedis()) {
            List<String> def = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                                       "Modules", "Errorstats", "Cluster", "Keyspace");
            assertEquals(def, headers(j.info()));
            assertEquals(def, headers(j.info("default")));
            List<String> all = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                                       "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster",
                                       "Keyspace");
            assertEquals(all, headers(j.info("all")));
            assertEquals(all, headers(j.info("everything")));
            assertEquals(List.of("Server", "Keyspace"), headers(sendInfo(j, "keyspace", "SERVER")));
            assertEquals("", j.info("nosuchsection"));
        }
    }

    private static String sendInfo(Jedis j, String... sections) {
        Object r = j.sendCommand(redis.clients.jedis.Protocol.Command.INFO, sections);
        return new String((byte[]) r, StandardCharsets.ISO_8859_1);
    }

    @Test
    void byteLayoutIsRedisLike() {
        try (Jedis j = server.jedis()) {
            String info = j.info();
            assertTrue(info.startsWith("# Server\r\nredis_version:" + ServerInfo.REDIS_VERSION + "\r\n"), info);
            assertTrue(info.contains("\r\n\r\n# Clients\r\nconnected_clients:"), info);
            assertTrue(info.endsWith("# Keyspace\r\n") || info.matches("(?s).*# Keyspace\r\n(db\\d+:[^\r]*\r\n)+"),
                       info);
            for (String line : info.split("\r\n")) {
                assertTrue(line.isEmpty() || line.startsWith("# ") || line.matches("[A-Za-z0-9_|-]+:.*"), line);
            }
            assertFalse(info.replace("\r\n", "").contains("\n"), "bare LF");
        }
    }

    @Test
    void fieldsAndOrder() {
        try (Jedis j = server.jedis()) {
            String info = j.info("everything");
            String[] ordered = {"redis_version", "redis_mode:standalone", "arch_bits:64", "process_id", "run_id",
                                "tcp_port:" + server.port(), "uptime_in_seconds", "hz:10", "configured_hz:10",
                                "lru_clock", "executable", "config_file:", "io_threads_active:0",
                                "listener0:name=tcp,bind=127.0.0.1,port=" + server.port(),
                                "connected_clients:", "maxclients:10000", "total_blocking_keys_on_nokey:0",
                                "used_memory:", "used_memory_human:", "used_memory_rss:", "used_memory_peak:",
                                "maxmemory:0\r\n", "maxmemory_human:0B", "maxmemory_policy:noeviction",
                                "mem_allocator:", "lazyfreed_objects:0", "loading:0", "rdb_changes_since_last_save:",
                                "rdb_last_bgsave_status:ok", "rdb_last_bgsave_time_sec:-1", "aof_enabled:0",
                                "module_fork_last_cow_size:0", "total_connections_received:",
                                "total_commands_processed:", "instantaneous_ops_per_sec:", "total_net_input_bytes:",
                                "rejected_connections:0", "expired_keys:", "keyspace_hits:", "keyspace_misses:",
                                "total_error_replies:", "acl_access_denied_channel:0", "role:master",
                                "connected_slaves:0", "master_failover_state:no-failover", "master_replid:",
                                "master_replid2:0000000000000000000000000000000000000000", "master_repl_offset:0",
                                "second_repl_offset:-1", "repl_backlog_active:0", "repl_backlog_size:1048576",
                                "used_cpu_sys:", "used_cpu_user:", "used_cpu_sys_children:0.000000",
                                "used_cpu_user_main_thread:", "# Modules", "# Commandstats", "# Errorstats",
                                "# Latencystats", "# Cluster\r\ncluster_enabled:0\r\n", "# Keyspace"};
            int at = 0;
            for (String f : ordered) {
                int i = info.indexOf(f, at);
                assertTrue(i >= 0, "missing or out of order: " + f + "\n" + info);
                at = i + 1;
            }
            assertTrue(Pattern.compile("master_replid:[0-9a-f]{40}\r\n").matcher(info).find());
            assertTrue(Pattern.compile("run_id:[0-9a-f]{40}\r\n").matcher(info).find());
            assertTrue(Pattern.compile("used_cpu_user:\\d+\\.\\d{6}\r\n").matcher(info).find());
            assertTrue(Pattern.compile("used_memory_peak_perc:\\d+\\.\\d\\d%\r\n").matcher(info).find());
            assertTrue(Pattern.compile("cmdstat_info:calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,"
                                       + "rejected_calls=0,failed_calls=0\r\n").matcher(info).find(), info);
        }
    }

    @Test
    void errorstatsAndFailedCalls() throws Exception {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis(); Socket sock = s.socket()) {
            String e = "-ERR wrong number of arguments for 'config|get' command\r\n";
            assertEquals(e, TestServer.exchange(sock, "CONFIG GET\r\n", e.length()));
            e = "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an "
                + "integer\r\n";
            assertEquals(e, TestServer.exchange(sock, "CONFIG SET hz x\r\n", e.length()));
            String info = j.info("everything");
            assertTrue(info.contains("cmdstat_config|get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,"
                                     + "failed_calls=0\r\n"), info);
            assertTrue(Pattern.compile("cmdstat_config\\|set:calls=1,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,"
                                       + "rejected_calls=0,failed_calls=1\r\n").matcher(info).find(), info);
            assertTrue(Pattern.compile("errorstat_ERR:count=\\d+\r\n").matcher(info).find(), info);
        }
    }

    @Test
    void rawBulkReplyInResp2() throws Exception {
        try (Socket s = server.socket()) {
            String head = TestServer.exchange(s, "INFO cluster\r\n", 5);
            assertEquals("$30\r\n", head);
            assertEquals("# Cluster\r\ncluster_enabled:0\r\n\r\n", TestServer.read(s, 32));
        }
    }

    @Test
    void keyspaceLines() {
        ServerConfig config = new ServerConfig();
        Engine engine = new Engine(config, new ServerInfo());
        long now = System.currentTimeMillis();
        engine.db(0).put("a".getBytes(), StringEntry.create("a".getBytes(), "1".getBytes(), Entry.NO_EXPIRE, 0));
        engine.db(0).put("b".getBytes(), StringEntry.create("b".getBytes(), "1".getBytes(), Entry.NO_EXPIRE, 0));
        engine.db(0).setExpire("b".getBytes(), now + 100_000);
        engine.db(3).put("c".getBytes(), StringEntry.create("c".getBytes(), "1".getBytes(), Entry.NO_EXPIRE, 0));
        String info = InfoCommands.generate(engine, Set.of("keyspace"), now);
        assertTrue(Pattern.compile("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\\d+\r\ndb3:keys=1,expires=0,"
                                   + "avg_ttl=0\r\n").matcher(info).matches(), info);
    }

    @Test
    void humanSizes() {
        assertEquals("0B", InfoCommands.human(0));
        assertEquals("1023B", InfoCommands.human(1023));
        assertEquals("919.07K", InfoCommands.human(941128));
        assertEquals("1.00M", InfoCommands.human(1 << 20));
        assertEquals("23.54G", InfoCommands.human(25276510208L));
    }
}
