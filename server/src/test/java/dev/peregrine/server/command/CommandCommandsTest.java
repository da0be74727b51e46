package dev.peregrine.server.command;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.CommandListFilterByParams;

import java.net.Socket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COMMAND and its subcommands, compared byte for byte with a real redis-server where the data is the same. */
class CommandCommandsTest {
    /** Commands both servers have, whose INFO must match exactly. */
    private static final String[] SHARED = {"ping", "echo", "select", "quit", "time", "lastsave", "shutdown",
        "debug", "command|count", "command|info", "command|docs", "command|list", "command|getkeys",
        "command|getkeysandflags", "command|help", "client|tracking", "client|caching", "client|getredir",
        "client|trackinginfo", "replicaof", "slaveof", "role", "replconf", "psync", "sync", "wait", "failover"};
    static TestServer server;
    static RealRedis redis;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Switches both connections to {@code proto}; false when our server has no HELLO yet (another family adds
     * it), in which case only RESP2 is compared.
     */
    static boolean hello(Socket ours, Socket theirs, String proto) throws Exception {
        String reply = Resp.call(ours, "HELLO", proto);
        if (reply.startsWith("-")) {
            return proto.equals("2");
        }
        Resp.call(theirs, "HELLO", proto);
        return true;
    }

    @Test
    void infoMatchesRedisInBothProtocols() throws Exception {
        for (String proto : new String[] {"2", "3"}) {
            try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
                if (!hello(ours, theirs, proto)) {
                    continue;
                }
                for (String name : SHARED) {
                    assertEquals(Resp.call(theirs, "COMMAND", "INFO", name), Resp.call(ours, "COMMAND", "INFO", name),
                            "COMMAND INFO " + name + " RESP" + proto);
                }
                assertEquals(Resp.call(theirs, "COMMAND", "INFO", "nosuch", "Ping"),
                        Resp.call(ours, "COMMAND", "INFO", "nosuch", "Ping"));
            }
        }
    }

    @Test
    void infoOfContainerListsSubcommands() throws Exception {
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (String proto : new String[] {"2", "3"}) {
                if (!hello(ours, theirs, proto)) {
                    continue;
                }
                Object o = sortSubcommandInfos(Resp.callParsed(ours, "COMMAND", "INFO", "command"));
                Object t = sortSubcommandInfos(Resp.callParsed(theirs, "COMMAND", "INFO", "command"));
                assertEquals(t, o);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object sortSubcommandInfos(Object reply) {
        List<Object> entry = (List<Object>) ((List<Object>) reply).get(0);
        List<Object> subs = new ArrayList<>((List<Object>) entry.get(9));
        subs.sort(Comparator.comparing(s -> (String) ((List<Object>) s).get(0)));
        entry.set(9, subs);
        return entry;
    }

    @Test
    void docsMatchRedisApartFromSummaries() throws Exception {
        for (String proto : new String[] {"2", "3"}) {
            try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
                if (!hello(ours, theirs, proto)) {
                    continue;
                }
                for (String name : SHARED) {
                    if (name.equals("quit")) {
                        continue; // deprecated in 7.2; the reference server is 7.0
                    }
                    Object o = normalizeDocs(Resp.callParsed(ours, "COMMAND", "DOCS", name));
                    Object t = normalizeDocs(Resp.callParsed(theirs, "COMMAND", "DOCS", name));
                    assertEquals(t, o, "COMMAND DOCS " + name + " RESP" + proto);
                }
                Object o = normalizeDocs(Resp.callParsed(ours, "COMMAND", "DOCS", "command", "nosuch"));
                Object t = normalizeDocs(Resp.callParsed(theirs, "COMMAND", "DOCS", "command", "nosuch"));
                assertEquals(t, o);
            }
        }
    }

    /** Drops summary values (ours are our own words) and sorts subcommand maps (Redis's order is its hash order). */
    @SuppressWarnings("unchecked")
    private static Object normalizeDocs(Object reply) {
        List<Object> map = (List<Object>) reply;
        for (int i = 1; i < map.size(); i += 2) {
            List<Object> doc = (List<Object>) map.get(i);
            for (int k = 0; k < doc.size(); k += 2) {
                if ("summary".equals(doc.get(k))) {
                    doc.set(k + 1, "<summary>");
                } else if ("subcommands".equals(doc.get(k))) {
                    List<Object> subs = (List<Object>) doc.get(k + 1);
                    normalizeDocs(subs);
                    List<List<Object>> pairs = new ArrayList<>();
                    for (int p = 0; p < subs.size(); p += 2) {
                        pairs.add(List.of(subs.get(p), subs.get(p + 1)));
                    }
                    pairs.sort(Comparator.comparing(p -> (String) p.get(0)));
                    doc.set(k + 1, pairs);
                }
            }
        }
        return map;
    }

    @Test
    void docsOfAllCommandsIsAMapOfEveryCommand() throws Exception {
        try (Socket s = server.socket()) {
            List<?> docs = (List<?>) Resp.callParsed(s, "COMMAND", "DOCS");
            Long count = (Long) Resp.callParsed(s, "COMMAND", "COUNT");
            assertEquals(count * 2, docs.size());
            assertTrue(docs.contains("ping"));
            List<?> all = (List<?>) Resp.callParsed(s, "COMMAND");
            assertEquals(count, (long) all.size());
            assertEquals(all, Resp.callParsed(s, "COMMAND", "INFO"));
        }
    }

    @Test
    void helpAndErrorsMatchRedis() throws Exception {
        String[][] cases = {
            {"COMMAND", "HELP"},
            {"COMMAND", "COUNT", "x"},
            {"COMMAND", "FOO"},
            {"COMMAND", "LIST", "FILTERBY", "foo", "x"},
            {"COMMAND", "LIST", "FILTERBY", "pattern"},
            {"COMMAND", "LIST", "extra"},
            {"COMMAND", "LIST", "FILTERBY", "MODULE", "nosuch"},
            {"COMMAND", "GETKEYS"},
            {"COMMAND", "GETKEYS", "ping"},
            {"COMMAND", "GETKEYS", "nosuch", "a"},
            {"COMMAND", "GETKEYS", "ping", "a"},
            {"COMMAND", "GETKEYSANDFLAGS", "echo", "a"},
            {"COMMAND", "GETKEYS", "command", "getkeys", "get", "a"},
            {"COMMAND", "GETKEYS", "command", "nosuch", "a"},
        };
        try (Socket ours = server.socket(); Socket theirs = redis.socket()) {
            for (String[] c : cases) {
                assertEquals(Resp.call(theirs, c), Resp.call(ours, c), String.join(" ", c));
            }
        }
    }

    @Test
    void listFiltersByPatternAndCategory() throws Exception {
        try (Jedis j = server.jedis()) {
            List<String> all = j.commandList();
            assertTrue(all.containsAll(List.of("ping", "command", "command|info", "command|getkeysandflags")));
            long subcommands = server.server().engine().commands().all().stream()
                    .mapToLong(c -> c.subcommands().size()).sum();
            assertTrue(subcommands >= 7);
            assertEquals(j.commandCount() + subcommands, all.size(), all + ": top-level commands plus subcommands");
            List<String> sub = j.commandListFilterBy(CommandListFilterByParams
                    .commandListFilterByParams().filterByPattern("COMMAND|*"));
            assertEquals(7, sub.size());
            assertTrue(sub.stream().allMatch(n -> n.startsWith("command|")));
            List<String> admin = j.commandListFilterBy(CommandListFilterByParams
                    .commandListFilterByParams().filterByAclCat("dangerous"));
            assertTrue(admin.containsAll(List.of("shutdown", "debug")));
            assertTrue(!admin.contains("ping"));
            List<String> none = j.commandListFilterBy(CommandListFilterByParams
                    .commandListFilterByParams().filterByAclCat("nosuchcategory"));
            assertTrue(none.isEmpty());
        }
    }

    @Test
    void jedisParsesInfoAndDocs() {
        try (Jedis j = server.jedis()) {
            var info = j.commandInfo("ping", "command|info").get("ping");
            assertEquals(-1, info.getArity());
            assertEquals(List.of("fast"), info.getFlags());
            assertEquals(List.of("@fast", "@connection"), info.getAclCategories());
            var docs = j.commandDocs("shutdown").get("shutdown");
            assertEquals("1.0.0", docs.getSince());
            assertEquals("server", docs.getGroup());
            assertTrue(docs.getSummary() != null && !docs.getSummary().isEmpty());
            assertEquals(1, docs.getHistory().size());
        }
    }

    @Test
    void commandWithoutSubcommandRunsInPipelineAndResp2() throws Exception {
        try (Socket s = server.socket()) {
            List<?> all = (List<?>) Resp.callParsed(s, "COMMAND");
            assertTrue(all.size() >= 8);
            assertEquals("+PONG\r\n", Resp.call(s, "PING"));
        }
    }
}
