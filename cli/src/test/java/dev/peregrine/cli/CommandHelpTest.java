package dev.peregrine.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Command hints, completions and help built from COMMAND DOCS: on hand-made docs (the synopsis rules, hint trimming,
 * completion order, the fallback from COMMAND), and side by side with the real redis-cli on a redis-server, whose
 * {@code help} lines (read from stdin) print every command's synopsis, summary, since and group: the bytes must be
 * the same for every group, over RESP2 and RESP3.
 */
class CommandHelpTest {
    private static Reply bulk(String s) {
        return new Reply(Reply.STRING, s.getBytes(StandardCharsets.UTF_8), 0, new Reply[0]);
    }

    private static Reply status(String s) {
        return new Reply(Reply.STATUS, s.getBytes(StandardCharsets.UTF_8), 0, new Reply[0]);
    }

    private static Reply integer(long v) {
        return new Reply(Reply.INTEGER, null, v, new Reply[0]);
    }

    private static Reply array(Reply... e) {
        return new Reply(Reply.ARRAY, null, 0, e);
    }

    /** A flat map (RESP2 shape): key, value, key, value... with string values as bulks, others as they are. */
    private static Reply map(Object... kv) {
        List<Reply> e = new ArrayList<>();
        for (Object o : kv) {
            e.add(o instanceof Reply ? (Reply) o : bulk((String) o));
        }
        return array(e.toArray(new Reply[0]));
    }

    private static Reply flags(String... f) {
        Reply[] e = new Reply[f.length];
        for (int i = 0; i < f.length; i++) {
            e[i] = status(f[i]);
        }
        return array(e);
    }

    /** Docs for SET (token, oneof, block, pure-token, optional), MIGRATE-like empty token, and CLIENT KILL. */
    private static CommandHelp docs() {
        Reply set = map("summary", "Sets a string", "since", "1.0.0", "group", "string", "arguments", array(
                map("name", "key", "type", "key", "key_spec_index", integer(0)),
                map("name", "value", "type", "string"),
                map("name", "condition", "type", "oneof", "flags", flags("optional"), "arguments", array(
                        map("name", "nx", "type", "pure-token", "token", "NX"),
                        map("name", "xx", "type", "pure-token", "token", "XX"))),
                map("name", "get", "type", "pure-token", "token", "GET", "flags", flags("optional")),
                map("name", "expiration", "type", "oneof", "flags", flags("optional"), "arguments", array(
                        map("name", "seconds", "type", "integer", "token", "EX"),
                        map("name", "keepttl", "type", "pure-token", "token", "KEEPTTL")))));
        Reply mset = map("summary", "Sets many", "since", "1.0.1", "group", "string", "arguments", array(
                map("name", "data", "type", "block", "flags", flags("multiple"), "arguments", array(
                        map("name", "key", "type", "key"),
                        map("name", "value", "type", "string")))));
        Reply migrate = map("summary", "Moves keys", "since", "2.6.0", "group", "generic", "arguments", array(
                map("name", "host", "type", "string"),
                map("name", "key-selector", "type", "oneof", "arguments", array(
                        map("name", "key", "type", "key"),
                        map("name", "empty-string", "type", "pure-token", "token", ""))),
                map("name", "keys", "type", "key", "token", "KEYS", "flags", flags("optional", "multiple")),
                map("name", "filter", "type", "string", "token", "FILTER",
                        "flags", flags("optional", "multiple", "multiple_token"))));
        Reply client = map("summary", "A container", "since", "2.4.0", "group", "connection", "subcommands", map(
                "client|kill", map("summary", "Kills", "since", "2.4.0", "group", "connection", "arguments", array(
                        map("name", "id", "type", "integer", "token", "ID"))),
                "client|id", map("summary", "Says the id", "group", "connection")));
        return CommandHelp.fromDocs(map("set", set, "mset", mset, "migrate", migrate, "client", client));
    }

    private static CommandHelp.Entry entry(CommandHelp h, String full) {
        for (CommandHelp.Entry e : h.entries()) {
            if (e.full.equals(full)) {
                return e;
            }
        }
        throw new AssertionError("no entry " + full);
    }

    @Test
    void synopsisFollowsTheArgumentsTree() {
        CommandHelp h = docs();
        assertEquals("key value [NX|XX] [GET] [EX seconds|KEEPTTL]", entry(h, "SET").params);
        assertEquals("key value [key value ...]", entry(h, "MSET").params);
        assertEquals("host key|\"\" [KEYS keys [keys ...]] [FILTER filter [FILTER filter ...]]",
                entry(h, "MIGRATE").params);
        assertEquals("ID id", entry(h, "CLIENT KILL").params);
        assertEquals("", entry(h, "CLIENT").params);
        assertNull(entry(h, "CLIENT ID").since);
        List<String> order = new ArrayList<>();
        for (CommandHelp.Entry e : h.entries()) {
            order.add(e.full);
        }
        assertEquals(List.of("@connection", "@generic", "@string", "CLIENT", "CLIENT ID", "CLIENT KILL", "MIGRATE",
                "MSET", "SET"), order, "sorted byte-wise, groups first");
    }

    @Test
    void hintDropsTypedArgumentsUpToTheFirstOptionalOne() {
        CommandHelp h = docs();
        assertEquals(" key value [NX|XX] [GET] [EX seconds|KEEPTTL]", h.hint("set"));
        assertEquals("key value [NX|XX] [GET] [EX seconds|KEEPTTL]", h.hint("SET "));
        assertEquals(" value [NX|XX] [GET] [EX seconds|KEEPTTL]", h.hint("set k"));
        assertEquals("[NX|XX] [GET] [EX seconds|KEEPTTL]", h.hint("set k v "));
        assertEquals(" [NX|XX] [GET] [EX seconds|KEEPTTL]", h.hint("set k v NX"), "never past an optional one");
        assertEquals(" ID id", h.hint("client kill"), "the longest name that matches wins");
        assertEquals(" ", h.hint("client"));
        assertEquals(" ", h.hint("client nosuch"));
        assertNull(h.hint("nosuch"));
        assertNull(h.hint("   "));
        assertNull(h.hint("set \"unbalanced"));
    }

    @Test
    void completionsCycleThroughNamesInOrder() {
        CommandHelp h = docs();
        assertEquals(List.of("CLIENT", "CLIENT ID", "CLIENT KILL"), h.completions("cl"));
        assertEquals(List.of("CLIENT KILL"), h.completions("client k"));
        assertEquals(List.of("MIGRATE", "MSET"), h.completions("m"));
        assertEquals(List.of(), h.completions("setx"));
        assertEquals(List.of("help SET"), h.completions("help s"));
        assertEquals(List.of("help @string"), h.completions("help @s"), "help completes groups too");
        assertEquals(List.of("help  @generic"), h.completions("help  @g"));
    }

    @Test
    void helpTextHasRedisCliLayout() {
        CommandHelp h = docs();
        assertEquals("\r\n  \u001b[1mSET\u001b[0m \u001b[90mkey value [NX|XX] [GET] [EX seconds|KEEPTTL]\u001b[0m\r\n"
                + "  \u001b[33msummary:\u001b[0m Sets a string\r\n"
                + "  \u001b[33msince:\u001b[0m 1.0.0\r\n"
                + "  \u001b[33mgroup:\u001b[0m string\r\n"
                + "\r\n", h.help(List.of("set")));
        String client = h.help(List.of("CLIENT"));
        assertTrue(client.indexOf("CLIENT\u001b") < client.indexOf("CLIENT ID") && client.contains("CLIENT KILL"),
                client);
        assertTrue(!h.help(List.of("client", "id")).contains("since:"), "no since line when the docs have none");
        String group = h.help(List.of("@STRING"));
        assertTrue(group.contains("MSET") && group.contains("SET\u001b") && !group.contains("group:"), group);
        assertEquals("\r\n", h.help(List.of("nosuch")));
    }

    @Test
    void withoutCommandDocsTheCommandTableGivesGenericSynopses() {
        Reply table = array(
                array(bulk("get"), integer(2), flags("readonly"), integer(1), integer(1), integer(1)),
                array(bulk("mset"), integer(-3), flags("write"), integer(1), integer(-1), integer(2)),
                array(bulk("ping"), integer(-1), flags("fast"), integer(0), integer(0), integer(0)));
        CommandHelp h = CommandHelp.fromCommandTable(table);
        assertEquals("key ", entry(h, "GET").params);
        assertEquals("key arg ...options...", entry(h, "MSET").params);
        assertEquals("...options...", entry(h, "PING").params);
        String get = h.help(List.of("get"));
        assertTrue(get.contains("  \u001b[33msummary:\u001b[0m Help not available\r\n")
                && get.contains("  \u001b[33msince:\u001b[0m Not known\r\n")
                && get.contains("  \u001b[33mgroup:\u001b[0m generic\r\n"), get);
    }

    /** Every command's help, group by group, as redis-cli prints it from the same server's COMMAND DOCS. */
    @Test
    void helpLinesMatchRedisCli() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            List<String> groups = new ArrayList<>();
            try (Connection c = redis.connect()) {
                for (CommandHelp.Entry e : CommandHelp.fetch(c).entries()) {
                    if (e.isGroup) {
                        groups.add(e.full);
                    }
                }
            }
            assertTrue(groups.size() > 10, groups.toString());
            StringBuilder in = new StringBuilder();
            for (String g : groups) {
                in.append("help ").append(g).append('\n');
            }
            in.append("help set\nhelp CLIENT\nhelp client kill\nhelp config get\nhelp nosuch\nhelp @nosuch\n");
            in.append("? get\n3 help get\n:set hints\n:set nohints\n:set foo\n:bar\nrestart\n");
            byte[] stdin = in.toString().getBytes(StandardCharsets.UTF_8);
            for (String[] args : new String[][] {{}, {"-3"}, {"--no-raw"}}) {
                RealRedis.Result expected = redis.redisCli(stdin, args);
                RealRedis.Result actual = redis.ours(stdin, args);
                assertEquals(expected.toString(), actual.toString(), String.join(" ", args));
                assertArrayEquals(expected.out(), actual.out());
            }
        }
    }

    /** A server without COMMAND (renamed away): no hints, help prints its blank line, commands still run. */
    @Test
    void serverWithoutCommandDocs() throws Exception {
        try (RealRedis redis = RealRedis.start("--rename-command", "COMMAND", "")) {
            try (Connection c = redis.connect()) {
                CommandHelp h = CommandHelp.fetch(c);
                assertEquals(0, h.entries().size());
                assertNull(h.hint("set k"));
            }
            RealRedis.Result r = redis.ours("help set\nset a 1\nget a\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("\r\nOK\n1\n", r.outText());
            assertEquals(0, r.code());
        }
    }
}
