package dev.peregrine.server.command.keys;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.ValueType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The keyspace family through Jedis and raw sockets; where a real {@code redis-server} is installed, the same
 * commands run against it and the raw reply bytes must be identical.
 */
class KeyCommandsTest {
    static TestServer server;
    static TestServer lfuServer;
    static Process redis;
    static RespConn ours;
    static RespConn theirs;

    /** A non-string value standing in for a list until lists exist. */
    static final class StubList extends ObjectEntry {
        final String value;

        StubList(byte[] key, String value) {
            super(key);
            this.value = value;
        }

        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public ObjectEntry copyAs(byte[] newKey) {
            return new StubList(newKey, value);
        }
    }

    /**
     * Test-only commands, run on the executor like any command: {@code keystest-set key value [PXAT ms] [IDLE
     * seconds]} stores a string entry (SET belongs to another family), {@code keystest-obj key value} a stub list.
     */
    static void registerTestCommands(CommandTable t) {
        t.register("keystest-set", (CommandContext c) -> {
            long expireAt = Entry.NO_EXPIRE;
            long idle = 0;
            for (int i = 3; i + 1 < c.argc(); i += 2) {
                if (c.argIs(i, "pxat")) {
                    expireAt = c.longArg(i + 1);
                } else if (c.argIs(i, "idle")) {
                    idle = c.longArg(i + 1);
                }
            }
            int clock = (int) ((Engine.lruClock(c.now()) - idle) & ((1 << 24) - 1));
            c.db().put(c.arg(1), StringEntry.create(c.arg(1), c.arg(2), expireAt, clock));
            c.reply().ok();
        });
        t.register("keystest-obj", (CommandContext c) -> {
            StubList o = new StubList(c.arg(1), c.argString(2));
            Entry.accessClock(o, Engine.lruClock(c.now()));
            c.db().put(c.arg(1), o);
            c.reply().integer(1);
        });
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        registerTestCommands(server.server().engine().commands());
        lfuServer = TestServer.start(cfg -> cfg.set("maxmemory-policy", "allkeys-lfu"));
        registerTestCommands(lfuServer.server().engine().commands());
        ours = new RespConn(server.port());
        String exe = findRedis();
        if (exe == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required on CI for the side-by-side comparison");
            }
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(exe, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (theirs == null) {
            try {
                theirs = new RespConn(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static String findRedis() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (theirs != null) {
            theirs.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
        server.close();
        lfuServer.close();
    }

    @BeforeEach
    void clean() throws IOException {
        assertEquals("+OK\r\n", both("flushall"));
        assertEquals("+OK\r\n", both("select", "0"));
    }

    /** Runs a command on both servers; the raw replies must match. Answers ours. */
    static String both(String... args) throws IOException {
        String a = ours.call(args);
        if (theirs != null) {
            assertEquals(theirs.call(args), a, () -> "reply to " + Arrays.toString(args));
        }
        return a;
    }

    static void set(String key, String value) throws IOException {
        assertEquals("+OK\r\n", ours.call("keystest-set", key, value));
        if (theirs != null) {
            assertEquals("+OK\r\n", theirs.call("set", key, value));
        }
    }

    static void setPxat(String key, String value, long pxat) throws IOException {
        assertEquals("+OK\r\n", ours.call("keystest-set", key, value, "pxat", String.valueOf(pxat)));
        if (theirs != null) {
            assertEquals("+OK\r\n", theirs.call("set", key, value, "pxat", String.valueOf(pxat)));
        }
    }

    static void list(String key, String value) throws IOException {
        assertEquals(":1\r\n", ours.call("keystest-obj", key, value));
        if (theirs != null) {
            assertEquals(":1\r\n", theirs.call("rpush", key, value));
        }
    }

    static String err(String message) {
        return "-" + message + "\r\n";
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    // ---------------------------------------------------------------- DEL EXISTS TYPE TOUCH UNLINK

    @Test
    void delExistsTypeTouch() throws IOException {
        set("a", "1");
        set("b", "2");
        list("l", "x");
        assertEquals(":3\r\n", both("exists", "a", "a", "l", "nope"));
        assertEquals("+string\r\n", both("type", "a"));
        assertEquals("+list\r\n", both("type", "l"));
        assertEquals("+none\r\n", both("type", "nope"));
        assertEquals(":2\r\n", both("touch", "a", "l", "nope"));
        assertEquals(":2\r\n", both("del", "a", "a", "l", "nope"));
        assertEquals(":0\r\n", both("exists", "a", "l"));
        assertEquals(":1\r\n", both("unlink", "b"));
        assertEquals(":0\r\n", both("dbsize"));
        assertEquals(err("ERR wrong number of arguments for 'del' command"), both("del"));
        assertEquals(err("ERR wrong number of arguments for 'type' command"), both("type", "a", "b"));
    }

    @Test
    void expiredKeysAreGoneOnAccess() throws IOException {
        long past = System.currentTimeMillis() - 10_000;
        // only on our side: SET with a past time would not store the key at all
        ours.call("keystest-set", "old", "v", "pxat", String.valueOf(past));
        ours.call("keystest-set", "old2", "v", "pxat", String.valueOf(past));
        ours.call("keystest-set", "live", "v");
        assertEquals(":3\r\n", ours.call("dbsize"));
        assertEquals(":0\r\n", ours.call("exists", "old"));
        assertEquals(":2\r\n", ours.call("dbsize"));
        assertEquals("*1\r\n" + bulk("live"), ours.call("keys", "*"));
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n" + bulk("live"), ours.call("scan", "0", "count", "100"));
        assertEquals(":1\r\n", ours.call("dbsize"));
        assertEquals(":0\r\n", ours.call("del", "old"));
        assertEquals(bulk("live"), ours.call("randomkey"));
    }

    // ---------------------------------------------------------------- RENAME RENAMENX MOVE COPY

    @Test
    void renameAndRenamenx() throws IOException {
        assertEquals(err("ERR no such key"), both("rename", "nope", "x"));
        assertEquals(err("ERR no such key"), both("rename", "nope", "nope"));
        assertEquals(err("ERR no such key"), both("renamenx", "nope", "x"));
        set("a", "1");
        assertEquals("+OK\r\n", both("rename", "a", "a"));
        assertEquals(":0\r\n", both("renamenx", "a", "a"));
        long at = System.currentTimeMillis() + 100_000;
        setPxat("t", "ttl", at);
        assertEquals("+OK\r\n", both("rename", "t", "t2"));
        assertEquals(":" + at + "\r\n", both("pexpiretime", "t2"));
        assertEquals(":0\r\n", both("exists", "t"));
        set("b", "2");
        assertEquals(":0\r\n", both("renamenx", "a", "b"));
        assertEquals("+OK\r\n", both("rename", "a", "b"));
        assertEquals(":0\r\n", both("exists", "a"));
        assertEquals(":-1\r\n", both("ttl", "b"));
        assertEquals(":1\r\n", both("renamenx", "b", "c"));
        list("l", "x");
        assertEquals("+OK\r\n", both("rename", "l", "l2"));
        assertEquals("+list\r\n", both("type", "l2"));
        assertEquals(":1\r\n", both("renamenx", "l2", "l3"));
        assertEquals("+list\r\n", both("type", "l3"));
        // RENAME onto an existing key of another type replaces it
        assertEquals("+OK\r\n", both("rename", "c", "l3"));
        assertEquals("+string\r\n", both("type", "l3"));
    }

    @Test
    void renameKeepsTheValueAndEncoding() throws Exception {
        set("n", "12345");
        set("s", "hello");
        both("rename", "n", "n2");
        both("rename", "s", "s2");
        assertEquals(bulk("int"), both("object", "encoding", "n2"));
        assertEquals(bulk("embstr"), both("object", "encoding", "s2"));
        Object e = server.server().engine().db(0).peek("s2".getBytes());
        assertEquals("hello", new String(StringEntry.value((byte[]) e)));
        assertEquals("s2", new String(Entry.key(e)));
    }

    @Test
    void move() throws IOException {
        set("a", "1");
        assertEquals(err("ERR source and destination objects are the same"), both("move", "a", "0"));
        assertEquals(err("ERR DB index is out of range"), both("move", "a", "16"));
        assertEquals(err("ERR DB index is out of range"), both("move", "a", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), both("move", "a", "x"));
        assertEquals(err("ERR value is out of range, value must between -2147483648 and 2147483647"),
                both("move", "a", "4294967296"));
        assertEquals(":0\r\n", both("move", "nope", "1"));
        long at = System.currentTimeMillis() + 100_000;
        setPxat("t", "v", at);
        assertEquals(":1\r\n", both("move", "a", "1"));
        assertEquals(":1\r\n", both("move", "t", "1"));
        list("l", "x");
        assertEquals(":1\r\n", both("move", "l", "1"));
        assertEquals(":0\r\n", both("exists", "a", "t", "l"));
        set("a", "again");
        assertEquals(":0\r\n", both("move", "a", "1"));
        assertEquals("+OK\r\n", both("select", "1"));
        assertEquals(":3\r\n", both("exists", "a", "t", "l"));
        assertEquals(":" + at + "\r\n", both("pexpiretime", "t"));
        assertEquals("+list\r\n", both("type", "l"));
    }

    @Test
    void copy() throws IOException {
        set("a", "1");
        assertEquals(err("ERR source and destination objects are the same"), both("copy", "a", "a"));
        assertEquals(":1\r\n", both("copy", "a", "a", "db", "1"));
        assertEquals(err("ERR syntax error"), both("copy", "a", "b", "db"));
        assertEquals(err("ERR syntax error"), both("copy", "a", "b", "foo"));
        assertEquals(err("ERR DB index is out of range"), both("copy", "a", "b", "db", "99"));
        assertEquals(err("ERR value is not an integer or out of range"), both("copy", "a", "b", "db", "z"));
        assertEquals(":0\r\n", both("copy", "nope", "b"));
        set("b", "2");
        assertEquals(":0\r\n", both("copy", "a", "b"));
        assertEquals(":1\r\n", both("copy", "a", "b", "REPLACE"));
        assertEquals(":1\r\n", both("copy", "a", "c", "replace", "db", "0"));
        long at = System.currentTimeMillis() + 100_000;
        setPxat("t", "v", at);
        assertEquals(":1\r\n", both("copy", "t", "t2"));
        assertEquals(":" + at + "\r\n", both("pexpiretime", "t2"));
        list("l", "x");
        assertEquals(":1\r\n", both("copy", "l", "l2"));
        assertEquals(":1\r\n", both("copy", "l", "s", "replace"));
        assertEquals("+list\r\n", both("type", "s"));
        assertEquals(":2\r\n", both("exists", "l", "l2"));
        Object original = server.server().engine().db(0).peek("l".getBytes());
        Object copied = server.server().engine().db(0).peek("l2".getBytes());
        assertTrue(original != copied);
        assertEquals("l2", new String(Entry.key(copied)));
    }

    // ---------------------------------------------------------------- EXPIRE family, TTL family, PERSIST

    @Test
    void expireOptionsAndErrors() throws IOException {
        set("k", "v");
        for (String cmd : List.of("expire", "pexpire", "expireat", "pexpireat")) {
            assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
                    both(cmd, "k", "100", "nx", "xx"));
            assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
                    both(cmd, "k", "100", "NX", "gt"));
            assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
                    both(cmd, "nope", "x", "lt", "nx"));
            assertEquals(err("ERR GT and LT options at the same time are not compatible"),
                    both(cmd, "k", "100", "gt", "lt"));
            assertEquals(err("ERR Unsupported option foo"), both(cmd, "k", "100", "foo"));
            assertEquals(err("ERR value is not an integer or out of range"), both(cmd, "k", "1.5"));
            assertEquals(err("ERR wrong number of arguments for '" + cmd + "' command"), both(cmd, "k"));
        }
        assertEquals(err("ERR invalid expire time in 'expire' command"),
                both("expire", "k", "9223372036854775807"));
        assertEquals(err("ERR invalid expire time in 'expire' command"),
                both("expire", "k", "-9223372036854775807"));
        assertEquals(err("ERR invalid expire time in 'pexpire' command"),
                both("pexpire", "k", "9223372036854775807"));
        assertEquals(err("ERR invalid expire time in 'expireat' command"),
                both("expireat", "k", "9223372036854775807"));
        assertEquals(":0\r\n", both("expire", "nope", "100"));
        assertEquals(":-1\r\n", both("ttl", "k"));
        assertEquals(":0\r\n", both("expire", "k", "100", "xx"));
        assertEquals(":0\r\n", both("expire", "k", "100", "gt"));
        assertEquals(":1\r\n", both("expire", "k", "100", "lt"));
        assertEquals(":100\r\n", both("ttl", "k"));
        assertEquals(":0\r\n", both("expire", "k", "200", "nx"));
        assertEquals(":0\r\n", both("expire", "k", "50", "gt"));
        assertEquals(":1\r\n", both("expire", "k", "200", "gt"));
        assertEquals(":0\r\n", both("expire", "k", "300", "lt"));
        assertEquals(":1\r\n", both("expire", "k", "150", "xx", "lt"));
        assertEquals(":150\r\n", both("ttl", "k"));
        assertEquals(":1\r\n", both("persist", "k"));
        assertEquals(":0\r\n", both("persist", "k"));
        assertEquals(":0\r\n", both("persist", "nope"));
        assertEquals(":1\r\n", both("expire", "k", "100", "nx"));
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(":1\r\n", both("expireat", "k", String.valueOf(at)));
        assertEquals(":" + at + "\r\n", both("expiretime", "k"));
        assertEquals(":" + at * 1000 + "\r\n", both("pexpiretime", "k"));
        assertEquals(":1\r\n", both("pexpireat", "k", String.valueOf(at * 1000 + 1499)));
        assertEquals(":" + (at + 1) + "\r\n", both("expiretime", "k"));
        assertEquals(":-2\r\n", both("ttl", "nope"));
        assertEquals(":-2\r\n", both("pttl", "nope"));
        assertEquals(":-2\r\n", both("expiretime", "nope"));
        assertEquals(":-2\r\n", both("pexpiretime", "nope"));
        set("p", "v");
        assertEquals(":-1\r\n", both("pttl", "p"));
        assertEquals(":-1\r\n", both("expiretime", "p"));
        assertEquals(":-1\r\n", both("pexpiretime", "p"));
    }

    @Test
    void aTimeInThePastDeletes() throws IOException {
        set("a", "v");
        set("b", "v");
        set("c", "v");
        set("d", "v");
        list("l", "x");
        assertEquals(":1\r\n", both("expire", "a", "-1"));
        assertEquals(":1\r\n", both("pexpire", "b", "0"));
        assertEquals(":1\r\n", both("expireat", "c", "1"));
        assertEquals(":1\r\n", both("pexpireat", "d", "-5"));
        assertEquals(":1\r\n", both("expire", "l", "-100"));
        assertEquals(":0\r\n", both("exists", "a", "b", "c", "d", "l"));
        assertEquals(":0\r\n", both("dbsize"));
    }

    @Test
    void pttlCountsDown() throws IOException {
        set("k", "v");
        both("pexpire", "k", "100000");
        String r = ours.call("pttl", "k");
        long left = Long.parseLong(r.substring(1, r.length() - 2));
        assertTrue(left > 0 && left <= 100000, r);
    }

    // ---------------------------------------------------------------- KEYS SCAN RANDOMKEY DBSIZE

    @Test
    void keysMatchesLikeRedis() throws IOException {
        for (String k : List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "a[b", "x\\y", "user:1",
                "user:2:name", "", "-", "]", "H")) {
            set(k, "1");
        }
        for (String p : List.of("*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "a\\*b", "a[b",
                "[", "x\\\\y", "user:*", "user:?", "*:name", "[a-]", "[z-a]*", "", "**", "\\", "h*", "[^h]*",
                "[\\]]")) {
            String a = ours.call("keys", p);
            if (theirs != null) {
                assertEquals(sortedBulks(theirs.call("keys", p)), sortedBulks(a), "KEYS " + p);
            }
        }
        assertEquals(Set.of("hello", "hallo"), new HashSet<>(sortedBulks(ours.call("keys", "h[ae]llo"))));
    }

    @Test
    void randomGlobPatternsAgreeWithRedis() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(theirs != null, "redis-server not installed");
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        String keyChars = "ab-][\\^A";
        Set<String> keys = new TreeSet<>();
        while (keys.size() < 150) {
            StringBuilder k = new StringBuilder();
            int len = 1 + r.nextInt(4);
            for (int i = 0; i < len; i++) {
                k.append(keyChars.charAt(r.nextInt(keyChars.length())));
            }
            keys.add(k.toString());
        }
        for (String k : keys) {
            set(k, "1");
        }
        String patChars = "ab*?[]^-\\A";
        for (int n = 0; n < 400; n++) {
            StringBuilder p = new StringBuilder();
            int len = 1 + r.nextInt(6);
            for (int i = 0; i < len; i++) {
                p.append(patChars.charAt(r.nextInt(patChars.length())));
            }
            String pattern = p.toString();
            assertEquals(sortedBulks(theirs.call("keys", pattern)), sortedBulks(ours.call("keys", pattern)),
                    () -> "KEYS " + pattern);
        }
    }

    /** The bulk strings of a flat array reply, sorted. */
    static List<String> sortedBulks(String reply) {
        List<String> out = new ArrayList<>();
        String[] parts = reply.split("\r\n", -1);
        for (int i = 1; i + 1 < parts.length; i += 2) {
            out.add(parts[i + 1]);
        }
        out.sort(null);
        return out;
    }

    @Test
    void fullScansReturnTheSameKeysAsRedis() throws IOException {
        for (int i = 0; i < 300; i++) {
            set("user:" + i, "v");
            set("item:" + i, "v");
        }
        list("alist", "x");
        for (String[] opts : List.of(new String[] {}, new String[] {"match", "user:1*"},
                new String[] {"match", "*:?", "count", "3"}, new String[] {"type", "list"},
                new String[] {"type", "string", "match", "item:2?", "count", "1000"},
                new String[] {"match", "nothing*"})) {
            Set<String> a = fullScan(ours, opts);
            if (theirs != null) {
                assertEquals(fullScan(theirs, opts), a, () -> "SCAN " + Arrays.toString(opts));
            }
        }
        assertEquals(111, fullScan(ours, "match", "user:1*").size());
    }

    static Set<String> fullScan(RespConn conn, String... opts) throws IOException {
        Set<String> keys = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] args = new String[opts.length + 2];
            args[0] = "scan";
            args[1] = cursor;
            System.arraycopy(opts, 0, args, 2, opts.length);
            String r = conn.call(args);
            String[] parts = r.split("\r\n", -1);
            cursor = parts[2];
            for (int i = 4; i + 1 < parts.length; i += 2) {
                keys.add(parts[i + 1]);
            }
            assertTrue(++calls < 100_000);
        } while (!cursor.equals("0"));
        return keys;
    }

    @Test
    void scanCursorParsing() throws IOException {
        for (String bad : List.of("x", " 1", "1 ", "0x10", "18446744073709551616", "-18446744073709551616", "+",
                "-", "1.0")) {
            assertEquals(err("ERR invalid cursor"), both("scan", bad), bad);
        }
        for (String ok : List.of("", "0", "+0", "-0", "18446744073709551615", "-1", "12345")) {
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", both("scan", ok), ok);
        }
        assertEquals(err("ERR syntax error"), both("scan", "0", "count", "0"));
        assertEquals(err("ERR syntax error"), both("scan", "0", "count", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), both("scan", "0", "count", "x"));
        assertEquals(err("ERR syntax error"), both("scan", "0", "match"));
        assertEquals(err("ERR syntax error"), both("scan", "0", "foo", "bar"));
        assertEquals(err("ERR invalid cursor"), both("scan", "x", "foo", "bar"));
        assertEquals(err("ERR wrong number of arguments for 'scan' command"), both("scan"));
    }

    @Test
    void scanIteratesEverythingWithFilters() throws IOException {
        try (Jedis j = server.jedis()) {
            for (int i = 0; i < 500; i++) {
                ours.call("keystest-set", "s:" + i, "v");
                ours.call("keystest-obj", "l:" + i, "v");
            }
            assertEquals(Set.copyOf(all(j, new ScanParams().count(7))).size(), 1000);
            Set<String> strings = new TreeSet<>(all(j, new ScanParams().match("s:*").count(50)));
            assertEquals(500, strings.size());
            assertTrue(strings.stream().allMatch(k -> k.startsWith("s:")));
            Set<String> lists = new TreeSet<>(allTyped(j, "list"));
            assertEquals(500, lists.size());
            assertTrue(lists.stream().allMatch(k -> k.startsWith("l:")));
            assertEquals(500, new TreeSet<>(allTyped(j, "STRING")).size());
            assertEquals(0, allTyped(j, "hash").size());
            assertEquals(0, allTyped(j, "nosuchtype").size());
            ScanResult<String> first = j.scan("0");
            assertFalse(first.getResult().isEmpty());
            assertTrue(first.getResult().size() <= 100);
        }
    }

    private static List<String> all(Jedis j, ScanParams params) {
        List<String> out = new ArrayList<>();
        String cursor = "0";
        do {
            ScanResult<String> r = j.scan(cursor, params);
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return out;
    }

    private static List<String> allTyped(Jedis j, String type) {
        List<String> out = new ArrayList<>();
        String cursor = "0";
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().count(20), type);
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return out;
    }

    @Test
    void randomkeyAndDbsize() throws IOException {
        assertEquals("$-1\r\n", both("randomkey"));
        assertEquals(":0\r\n", both("dbsize"));
        set("only", "1");
        assertEquals(bulk("only"), both("randomkey"));
        set("other", "1");
        assertEquals(":2\r\n", both("dbsize"));
        Set<String> seen = new HashSet<>();
        try (Jedis j = server.jedis()) {
            for (int i = 0; i < 200; i++) {
                seen.add(j.randomKey());
            }
        }
        assertEquals(Set.of("only", "other"), seen);
        assertEquals(err("ERR wrong number of arguments for 'dbsize' command"), both("dbsize", "x"));
    }

    // ---------------------------------------------------------------- FLUSHDB FLUSHALL SWAPDB

    @Test
    void flushes() throws IOException {
        set("a", "1");
        both("select", "1");
        set("b", "1");
        assertEquals(err("ERR syntax error"), both("flushdb", "now"));
        assertEquals(err("ERR syntax error"), both("flushdb", "sync", "async"));
        assertEquals(err("ERR syntax error"), both("flushall", "x"));
        assertEquals("+OK\r\n", both("flushdb", "ASYNC"));
        assertEquals(":0\r\n", both("dbsize"));
        both("select", "0");
        assertEquals(":1\r\n", both("dbsize"));
        assertEquals("+OK\r\n", both("flushdb", "sync"));
        set("a", "1");
        both("select", "3");
        set("c", "1");
        assertEquals("+OK\r\n", both("flushall", "sync"));
        assertEquals(":0\r\n", both("dbsize"));
        both("select", "0");
        assertEquals(":0\r\n", both("dbsize"));
        assertEquals("+OK\r\n", both("flushall"));
    }

    @Test
    void swapdb() throws IOException {
        assertEquals(err("ERR invalid first DB index"), both("swapdb", "x", "1"));
        assertEquals(err("ERR invalid second DB index"), both("swapdb", "0", "y"));
        assertEquals(err("ERR invalid first DB index"), both("swapdb", "99999999999", "1"));
        assertEquals(err("ERR DB index is out of range"), both("swapdb", "0", "16"));
        assertEquals(err("ERR DB index is out of range"), both("swapdb", "-1", "0"));
        set("a", "in0");
        long at = System.currentTimeMillis() + 100_000;
        setPxat("t", "v", at);
        try (Jedis other = server.jedis()) {
            other.select(1);
            assertEquals(0, other.dbSize());
            assertEquals("+OK\r\n", both("swapdb", "0", "1"));
            assertEquals(2, other.dbSize());
            assertEquals(at, other.pexpireTime("t"));
            assertEquals(":0\r\n", both("dbsize"));
            assertEquals("+OK\r\n", both("swapdb", "1", "1"));
            assertEquals("+OK\r\n", both("swapdb", "1", "0"));
            assertEquals(0, other.dbSize());
            assertEquals(":2\r\n", both("dbsize"));
        }
        // active expiry keeps working for keys that changed database
        assertEquals(":1\r\n", both("pexpire", "a", "1"));
        ours.call("swapdb", "0", "2");
        if (theirs != null) {
            theirs.call("swapdb", "0", "2");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.server().engine().stats().expiredKeys == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(server.server().engine().stats().expiredKeys > 0);
    }

    /** Changes counted since the last save, on our side; on Redis's side from INFO when it runs. */
    static long[] dirty() throws IOException {
        long ourDirty = server.server().engine().stats().dirty;
        long theirDirty = -1;
        if (theirs != null) {
            String info = theirs.call("info", "persistence");
            int i = info.indexOf("rdb_changes_since_last_save:");
            int end = info.indexOf('\r', i);
            theirDirty = Long.parseLong(info.substring(i + "rdb_changes_since_last_save:".length(), end));
        }
        return new long[] {ourDirty, theirDirty};
    }

    static void assertDirtyDelta(long expected, long[] before, String... command) throws IOException {
        both(command);
        long[] after = dirty();
        assertEquals(expected, after[0] - before[0], () -> "our changes counted by " + Arrays.toString(command));
        if (theirs != null) {
            assertEquals(expected, after[1] - before[1], () -> "Redis's changes by " + Arrays.toString(command));
        }
    }

    @Test
    void changesCountedAsRedisCountsThem() throws IOException {
        set("a", "1");
        set("b", "1");
        set("c", "1");
        assertDirtyDelta(1, dirty(), "rename", "a", "a2");
        assertDirtyDelta(1, dirty(), "renamenx", "a2", "a3");
        assertDirtyDelta(1, dirty(), "move", "a3", "1");
        assertDirtyDelta(1, dirty(), "copy", "b", "b2");
        assertDirtyDelta(2, dirty(), "del", "b", "b2", "nope");
        assertDirtyDelta(1, dirty(), "expire", "c", "100");
        assertDirtyDelta(1, dirty(), "persist", "c");
        assertDirtyDelta(0, dirty(), "persist", "c");
        assertDirtyDelta(0, dirty(), "exists", "c");
        assertDirtyDelta(1, dirty(), "swapdb", "0", "1");
        assertDirtyDelta(1, dirty(), "flushdb");
        set("x", "1");
        set("y", "1");
        assertDirtyDelta(3, dirty(), "flushall");
        assertDirtyDelta(0, dirty(), "flushall");
    }

    // ---------------------------------------------------------------- OBJECT

    @Test
    void objectEncodingAndRefcount() throws IOException {
        set("int", "123");
        set("shared", "9999");
        set("big", "10000");
        set("neg", "-5");
        set("emb", "hello");
        set("raw", "x".repeat(45));
        set("emb44", "y".repeat(44));
        list("l", "x");
        assertEquals(bulk("int"), both("object", "encoding", "int"));
        assertEquals(bulk("embstr"), both("object", "encoding", "emb"));
        assertEquals(bulk("embstr"), both("object", "encoding", "emb44"));
        assertEquals(bulk("raw"), both("object", "encoding", "raw"));
        // Redis 7.0 answers quicklist here; 7.2 keeps a small list as a listpack
        assertEquals(bulk("listpack"), ours.call("OBJECT", "ENCODING", "l"));
        assertEquals("$-1\r\n", both("object", "encoding", "nope"));
        assertEquals(":2147483647\r\n", both("object", "refcount", "int"));
        assertEquals(":2147483647\r\n", both("object", "refcount", "shared"));
        assertEquals(":1\r\n", both("object", "refcount", "big"));
        assertEquals(":1\r\n", both("object", "refcount", "neg"));
        assertEquals(":1\r\n", both("object", "refcount", "emb"));
        assertEquals(":1\r\n", both("object", "refcount", "l"));
        assertEquals("$-1\r\n", both("object", "refcount", "nope"));
        assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"),
                both("object", "encoding"));
        assertEquals(err("ERR wrong number of arguments for 'object' command"), both("object"));
        assertEquals(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), both("object", "foo", "k"));
        String help = ours.call("object", "help");
        assertTrue(help.startsWith("*11\r\n+OBJECT <subcommand>"), help);
        assertEquals(12, help.split("\r\n").length);
        assertEquals(err("ERR wrong number of arguments for 'object|help' command"), both("object", "help", "x"));
    }

    @Test
    void objectIdletimeReadsButDoesNotTouch() throws IOException {
        ours.call("keystest-set", "k", "v", "idle", "500");
        for (int i = 0; i < 3; i++) {
            String r = ours.call("object", "idletime", "k");
            long idle = Long.parseLong(r.substring(1, r.length() - 2));
            assertTrue(idle >= 500 && idle < 600, r);
            assertEquals(bulk("embstr"), ours.call("object", "encoding", "k"));
            assertEquals(":1\r\n", ours.call("exists", "k"));
            assertEquals("+string\r\n", ours.call("type", "k"));
            assertEquals(":-1\r\n", ours.call("ttl", "k"));
        }
        assertEquals(":1\r\n", ours.call("touch", "k"));
        String r = ours.call("object", "idletime", "k");
        assertTrue(Long.parseLong(r.substring(1, r.length() - 2)) < 5, r);
        assertEquals("$-1\r\n", both("object", "idletime", "nope"));
        assertEquals(err(KeyCommands.LFU_NOT_SELECTED), ours.call("object", "freq", "k"));
        set("x", "1");
        assertEquals(err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                + "that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
                both("object", "freq", "x"));
        assertEquals("$-1\r\n", both("object", "freq", "nope"));
    }

    @Test
    void objectFreqWithAnLfuPolicy() throws IOException {
        try (RespConn lfu = new RespConn(lfuServer.port())) {
            lfu.call("flushall");
            lfu.call("keystest-set", "k", "v");
            long minutes = System.currentTimeMillis() / 60_000;
            int word = (int) (((minutes & 0xffff) << 8) | 5);
            lfuServer.server().engine().db(0).peek("k".getBytes());
            // set a known LFU word through the entry, while the server is idle
            Entry.accessClock(lfuServer.server().engine().db(0).peek("k".getBytes()), word);
            String r = lfu.call("object", "freq", "k");
            assertTrue(r.equals(":5\r\n") || r.equals(":4\r\n"), r);
            assertEquals(err(KeyCommands.LFU_SELECTED), lfu.call("object", "idletime", "k"));
            assertEquals("$-1\r\n", lfu.call("object", "freq", "nope"));
        }
    }

    @Test
    void lfuDecay() {
        long now = 1_700_000_000_000L;
        int minutes = (int) ((now / 60_000) & 0xffff);
        assertEquals(10, KeyCommands.lfuDecayed((minutes << 8) | 10, now, 1));
        assertEquals(7, KeyCommands.lfuDecayed((((minutes - 3) & 0xffff) << 8) | 10, now, 1));
        assertEquals(0, KeyCommands.lfuDecayed((((minutes - 30) & 0xffff) << 8) | 10, now, 1));
        assertEquals(10, KeyCommands.lfuDecayed((((minutes - 30) & 0xffff) << 8) | 10, now, 0));
        assertEquals(0, KeyCommands.idleSeconds(100, 100));
        assertEquals(5, KeyCommands.idleSeconds(5, (1 << 24) - 1));
    }

    @Test
    void jedisRoundTrip() {
        try (Jedis j = server.jedis()) {
            ours.call("keystest-set", "a", "1");
            assertTrue(j.exists("a"));
            assertEquals("string", j.type("a"));
            assertEquals(1, j.expire("a", 100));
            assertEquals(100, j.ttl("a"));
            assertEquals(1, j.persist("a"));
            assertEquals("OK", j.rename("a", "b"));
            assertTrue(j.copy("b", "c", false));
            assertEquals(Set.of("b", "c"), j.keys("*"));
            assertEquals(2, j.del("b", "c"));
            assertNull(j.randomKey());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
