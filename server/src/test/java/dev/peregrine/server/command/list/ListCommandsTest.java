package dev.peregrine.server.command.list;

import dev.peregrine.server.TestServer;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.list.ListValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ListCommandsTest {
    private static TestServer server;
    private static Process redis;
    private static int redisPort;
    private Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        // a string key for WRONGTYPE checks; put before any client connects, while the server is idle
        server.server().engine().db(0).put(b("str"), StringEntry.create(b("str"), b("v"), Entry.NO_EXPIRE, 0));
        String bin = findRedis();
        if (bin == null) {
            assumeTrue(!"true".equals(System.getenv("CI")), "redis-server is required on CI");
            return;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redis = new ProcessBuilder(bin, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", redisPort)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        redis.destroy();
        redis = null;
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
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
    }

    @BeforeEach
    void connect(TestInfo info) {
        jedis = server.jedis();
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        jedis.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ Jedis

    @Test
    void pushPopRangeLength() {
        assertEquals(3, jedis.rpush("pp", "a", "b", "c"));
        assertEquals(5, jedis.lpush("pp", "1", "0"));
        assertEquals(List.of("0", "1", "a", "b", "c"), jedis.lrange("pp", 0, -1));
        assertEquals(List.of("a", "b"), jedis.lrange("pp", -3, 3));
        assertEquals(List.of(), jedis.lrange("pp", 4, 2));
        assertEquals(5, jedis.llen("pp"));
        assertEquals("0", jedis.lpop("pp"));
        assertEquals("c", jedis.rpop("pp"));
        assertEquals(List.of("b", "a"), jedis.rpop("pp", 2));
        assertEquals(List.of("1"), jedis.lpop("pp", 10));
        assertEquals(0, jedis.llen("pp"));
        assertEquals(0, jedis.lpushx("pp", "x")); // the emptied list is gone
        assertNull(jedis.lpop("pp"));
    }

    @Test
    void pushxOnlyOnExisting() {
        assertEquals(0, jedis.rpushx("px", "a"));
        jedis.rpush("px", "a");
        assertEquals(3, jedis.rpushx("px", "b", "c"));
        assertEquals(4, jedis.lpushx("px", "z"));
        assertEquals(List.of("z", "a", "b", "c"), jedis.lrange("px", 0, -1));
    }

    @Test
    void indexSetInsert() {
        jedis.rpush("ix", "a", "b", "c");
        assertEquals("c", jedis.lindex("ix", -1));
        assertNull(jedis.lindex("ix", 3));
        assertEquals("OK", jedis.lset("ix", 1, "B"));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.lset("ix", 5, "x"));
        assertEquals("ERR index out of range", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.lset("nokey", 0, "x"));
        assertEquals("ERR no such key", e.getMessage());
        assertEquals(4, jedis.linsert("ix", ListPosition.BEFORE, "B", "x"));
        assertEquals(5, jedis.linsert("ix", ListPosition.AFTER, "c", "y"));
        assertEquals(-1, jedis.linsert("ix", ListPosition.AFTER, "nope", "y"));
        assertEquals(0, jedis.linsert("nokey", ListPosition.AFTER, "a", "y"));
        assertEquals(List.of("a", "x", "B", "c", "y"), jedis.lrange("ix", 0, -1));
    }

    @Test
    void remTrimPos() {
        jedis.rpush("rt", "a", "b", "a", "c", "a", "1", "01");
        assertEquals(1, jedis.lrem("rt", -1, "a"));
        assertEquals(1, jedis.lrem("rt", 0, "1"));
        assertEquals(List.of("a", "b", "a", "c", "01"), jedis.lrange("rt", 0, -1));
        assertEquals(2, jedis.lpos("rt", "a", LPosParams.lPosParams().rank(-1)));
        assertEquals(List.of(0L, 2L), jedis.lpos("rt", "a", LPosParams.lPosParams(), 0));
        assertNull(jedis.lpos("rt", "a", LPosParams.lPosParams().rank(3)));
        assertEquals("OK", jedis.ltrim("rt", 1, -2));
        assertEquals(List.of("b", "a", "c"), jedis.lrange("rt", 0, -1));
        assertEquals("OK", jedis.ltrim("rt", 5, 10));
        assertEquals(0, jedis.llen("rt"));
        assertEquals(0, jedis.rpushx("rt", "x"));
    }

    @Test
    void moveAndMpop() {
        jedis.rpush("m1", "a", "b", "c");
        assertEquals("c", jedis.rpoplpush("m1", "m2"));
        assertEquals("a", jedis.lmove("m1", "m2", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals(List.of("c", "a"), jedis.lrange("m2", 0, -1));
        assertEquals("b", jedis.lmove("m1", "m1", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals("b", jedis.rpoplpush("m1", "m2"));
        assertEquals(0, jedis.llen("m1"));
        assertNull(jedis.rpoplpush("m1", "m2"));
        assertEquals("a", jedis.lmove("m2", "m2", ListDirection.RIGHT, ListDirection.LEFT));
        assertEquals(List.of("a", "b", "c"), jedis.lrange("m2", 0, -1));
        var popped = jedis.lmpop(ListDirection.RIGHT, 2, "none", "m2");
        assertEquals("m2", popped.getKey());
        assertEquals(List.of("c", "b"), popped.getValue());
        assertNull(jedis.lmpop(ListDirection.LEFT, "none", "none2"));
    }

    @Test
    void wrongType() {
        for (String cmd : new String[] {"lpush str a", "rpushx str a", "lpop str", "rpop str 2", "llen str",
                                        "lrange str 0 1", "lindex str 0", "lset str 0 a", "linsert str before a b",
                                        "lrem str 0 a", "ltrim str 0 1", "lpos str a", "lmove str x left left",
                                        "rpoplpush str x", "lmpop 1 str left"}) {
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(() -> b(cmd.split(" ")[0]), rest(cmd)), cmd);
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), cmd);
        }
        jedis.rpush("wt", "a");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.rpoplpush("wt", "str"));
        assertTrue(e.getMessage().startsWith("WRONGTYPE"));
        assertEquals(List.of("a"), jedis.lrange("wt", 0, -1)); // nothing popped
    }

    private static String[] rest(String cmd) {
        String[] parts = cmd.split(" ");
        String[] r = new String[parts.length - 1];
        System.arraycopy(parts, 1, r, 0, r.length);
        return r;
    }

    @Test
    void bigListsKeepOrder() {
        List<String> model = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String v = (i % 3 == 0 ? Integer.toString(i) : "v" + i + "x".repeat(i % 50));
            jedis.rpush("big", v);
            model.add(v);
        }
        assertEquals(model, jedis.lrange("big", 0, -1));
        assertEquals(model.get(1500), jedis.lindex("big", 1500));
        jedis.lset("big", 1500, "X".repeat(10000));
        model.set(1500, "X".repeat(10000));
        jedis.linsert("big", ListPosition.AFTER, "v1501" + "x".repeat(1501 % 50), "ins");
        model.add(1502, "ins");
        assertEquals(model, jedis.lrange("big", 0, -1));
        assertEquals(model.subList(0, 100), jedis.lpop("big", 100));
    }

    // ------------------------------------------------------------------ raw RESP2 bytes

    @Test
    void resp2NullShapes() throws IOException {
        try (Socket s = server.socket()) {
            assertEquals("$-1\r\n", TestServer.exchange(s, "LPOP missing\r\n", 5));
            assertEquals("*-1\r\n", TestServer.exchange(s, "LPOP missing 1\r\n", 5));
            assertEquals("*-1\r\n", TestServer.exchange(s, "RPOP missing 0\r\n", 5));
            assertEquals("*0\r\n", TestServer.exchange(s, "RPUSH l0 a\r\nRPOP l0 0\r\n", 8).substring(4));
            assertEquals("$-1\r\n", TestServer.exchange(s, "LINDEX missing 0\r\n", 5));
            assertEquals("$-1\r\n", TestServer.exchange(s, "LPOS missing a\r\n", 5));
            assertEquals("*0\r\n", TestServer.exchange(s, "LPOS missing a COUNT 0\r\n", 4));
            assertEquals("*-1\r\n", TestServer.exchange(s, "LMPOP 1 missing LEFT\r\n", 5));
            assertEquals("$-1\r\n", TestServer.exchange(s, "RPOPLPUSH missing x\r\n", 5));
            String err = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or "
                    + "use negative to start from the end of the list\r\n";
            assertEquals(err, TestServer.exchange(s, "LPOS l0 a RANK 0\r\n", err.length()));
            err = "-ERR numkeys should be greater than 0\r\n";
            assertEquals(err, TestServer.exchange(s, "LMPOP 0 a LEFT\r\n", err.length()));
            err = "-ERR count should be greater than 0\r\n";
            assertEquals(err, TestServer.exchange(s, "LMPOP 1 a LEFT COUNT 0\r\n", err.length()));
            String reply = "*2\r\n$2\r\nl0\r\n*1\r\n$1\r\na\r\n";
            assertEquals(reply, TestServer.exchange(s, "LMPOP 2 x l0 RIGHT COUNT 9\r\n", reply.length()));
        }
    }

    private static String encoding(TestServer s, String key) {
        // read after a reply round trip, while the server is idle
        Object e = s.server().engine().db(0).peek(b(key));
        return e == null ? null : ((ListValue) e).encoding();
    }

    @Test
    void encodingSwitchesAtTheByteLimit() {
        String e = "x".repeat(100); // 103 bytes per entry: the 80th push passes 8 KB (7 + 79 * 103 + 100 > 8192)
        for (int i = 0; i < 79; i++) {
            jedis.rpush("enc", e);
        }
        assertEquals("listpack", encoding(server, "enc"));
        jedis.rpush("enc", e);
        assertEquals("quicklist", encoding(server, "enc"));
        jedis.rpop("enc");
        assertEquals("quicklist", encoding(server, "enc")); // one node, but above half the limit
        jedis.ltrim("enc", 0, 38); // 39 entries: 7 + 39 * 103 = 4024 <= 4096
        assertEquals("listpack", encoding(server, "enc"));
        jedis.lset("enc", 0, "y".repeat(9000));
        assertEquals("quicklist", encoding(server, "enc"));
        jedis.lpop("enc");
        assertEquals("listpack", encoding(server, "enc"));
    }

    @Test
    void encodingSwitchesAtTheCountLimit() {
        try (TestServer five = TestServer.start(c -> c.set("list-max-ziplist-size", "5")); Jedis j = five.jedis()) {
            j.rpush("c", "1", "2", "3", "4", "5");
            assertEquals("listpack", encoding(five, "c"));
            j.linsert("c", ListPosition.BEFORE, "3", "x");
            assertEquals("quicklist", encoding(five, "c"));
            j.lrem("c", 0, "x");
            j.rpop("c", 2);
            assertEquals("quicklist", encoding(five, "c")); // 3 > 5 / 2
            j.rpoplpush("c", "d");
            assertEquals("listpack", encoding(five, "c"));
            assertEquals(List.of("1", "2"), j.lrange("c", 0, -1));
        }
    }

    @Test
    void compressedInteriorNodes() {
        try (TestServer packed = TestServer.start(c -> c.set("list-compress-depth", "1")); Jedis j = packed.jedis()) {
            List<String> model = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String v = "item:" + (i % 10) + ":" + "payload".repeat(4);
                j.rpush("z", v);
                model.add(v);
            }
            ListValue list = (ListValue) packed.server().engine().db(0).peek(b("z"));
            assertTrue(list.compressedNodeCount() > 5, "interior nodes compressed");
            assertEquals(model.get(1000), j.lindex("z", 1000));
            j.linsert("z", ListPosition.BEFORE, model.get(1005), "mid");
            model.add(1005, "mid");
            assertEquals(1, j.lrem("z", -1, "mid"));
            model.remove(1005);
            assertEquals(model.subList(990, 1010), j.lrange("z", 990, 1009));
            assertEquals(model, j.lrange("z", 0, -1));
            assertTrue(list.compressedNodeCount() > 5, "compressed again after reads");
        }
    }

    @Test
    void lposRankLongMinIsRejectedAs72() throws IOException {
        // Redis 7.0 wraps RANK -2^63 around; 7.2 limits RANK to [-LONG_MAX, LONG_MAX]
        try (Socket s = server.socket()) {
            assertEquals("-ERR value is out of range, value must between -9223372036854775807 and "
                         + "9223372036854775807\r\n",
                         exchangeOne(s, "LPOS", "k", "a", "RANK", "-9223372036854775808"));
        }
    }

    @Test
    void resp3NullShapes() throws IOException {
        try (Socket s = server.socket()) {
            String hello = exchangeOne(s, "HELLO", "3");
            assumeTrue(!hello.startsWith("-"), "HELLO not available on this branch");
            assertEquals("_\r\n", exchangeOne(s, "LPOP", "missing"));
            assertEquals("_\r\n", exchangeOne(s, "LPOP", "missing", "1"));
            assertEquals("_\r\n", exchangeOne(s, "LMPOP", "1", "missing", "LEFT"));
            assertEquals("_\r\n", exchangeOne(s, "LPOS", "missing", "x"));
        }
    }

    // ------------------------------------------------------------------ against a real redis-server

    private static final String[] ELEMENTS = {"a", "b", "c", "1", "2", "-7", "01", "", "x".repeat(70),
                                              "abcabcabcabcabcabcabcabcabcabcabcabc"};
    private static final String[] KEYS = {"d1", "d2", "d3"};

    /** A random list command, sometimes with bad arguments, over a few keys. */
    private static String[] randomCommand(Random r) {
        String k = KEYS[r.nextInt(KEYS.length)];
        String k2 = KEYS[r.nextInt(KEYS.length)];
        String e = ELEMENTS[r.nextInt(ELEMENTS.length)];
        String idx = Integer.toString(r.nextInt(13) - 6);
        String[] where = {"LEFT", "RIGHT", "left", "UP"};
        switch (r.nextInt(22)) {
            case 0: case 1: return new String[] {"RPUSH", k, e, ELEMENTS[r.nextInt(ELEMENTS.length)],
                                                 ELEMENTS[r.nextInt(ELEMENTS.length)]};
            case 2: case 3: return new String[] {"LPUSH", k, e};
            case 4: return new String[] {r.nextBoolean() ? "LPUSHX" : "RPUSHX", k, e};
            case 5: return new String[] {"LPOP", k};
            case 6: return new String[] {"RPOP", k, r.nextInt(8) == 0 ? "-1" : Integer.toString(r.nextInt(4))};
            case 7: return new String[] {"LLEN", k};
            case 8: return new String[] {"LRANGE", k, idx, Integer.toString(r.nextInt(13) - 6)};
            case 9: return new String[] {"LINDEX", k, r.nextInt(10) == 0 ? "x" : idx};
            case 10: return new String[] {"LSET", k, idx, e};
            case 11: return new String[] {"LINSERT", k, r.nextBoolean() ? "BEFORE" : (r.nextBoolean() ? "after"
                                                                                          : "middle"), e, "ins"};
            case 12: return new String[] {"LREM", k, Integer.toString(r.nextInt(5) - 2), e};
            case 13: return new String[] {"LTRIM", k, idx, Integer.toString(r.nextInt(13) - 6)};
            case 14: {
                List<String> cmd = new ArrayList<>(List.of("LPOS", k, e));
                if (r.nextBoolean()) {
                    cmd.addAll(List.of("RANK", Integer.toString(r.nextInt(5) - 2)));
                }
                if (r.nextBoolean()) {
                    cmd.addAll(List.of("COUNT", Integer.toString(r.nextInt(4) - (r.nextInt(6) == 0 ? 2 : 0))));
                }
                if (r.nextBoolean()) {
                    cmd.addAll(List.of("MAXLEN", Integer.toString(r.nextInt(5) - (r.nextInt(6) == 0 ? 2 : 0))));
                }
                if (r.nextInt(10) == 0) {
                    cmd.add("RANK");
                }
                return cmd.toArray(new String[0]);
            }
            case 15: case 16:
                return new String[] {"LMOVE", k, k2, where[r.nextInt(where.length)], where[r.nextInt(3)]};
            case 17: return new String[] {"RPOPLPUSH", k, k2};
            case 18: {
                int n = r.nextInt(4);
                List<String> cmd = new ArrayList<>(List.of("LMPOP", Integer.toString(n)));
                for (int i = 0; i < n; i++) {
                    cmd.add(KEYS[r.nextInt(KEYS.length)]);
                }
                cmd.add(where[r.nextInt(where.length)]);
                if (r.nextBoolean()) {
                    cmd.addAll(List.of("COUNT", Integer.toString(r.nextInt(4))));
                }
                return cmd.toArray(new String[0]);
            }
            case 19: return new String[] {"LPOP", k, "abc"};
            case 20: return new String[] {"LRANGE", k, "0"};
            default: return new String[] {"LPOS", k, e, "RANK", "9223372036854775807", "COUNT", "0"};
        }
    }

    @Test
    void randomCommandsMatchRedis() throws IOException {
        assumeTrue(redis != null, "no redis-server");
        differential(server, 11, 4000);
    }

    /** The same, with two-element quicklist nodes so that node splits, merges and removals are exercised. */
    @Test
    void randomCommandsMatchRedisWithTinyNodes() throws IOException {
        assumeTrue(redis != null, "no redis-server");
        try (TestServer tiny = TestServer.start(c -> c.set("list-max-listpack-size", "2"))) {
            differential(tiny, 12, 6000);
        }
    }

    /** The same, with interior quicklist nodes compressed (the elements are repetitive enough to compress). */
    @Test
    void randomCommandsMatchRedisWithCompression() throws IOException {
        assumeTrue(redis != null, "no redis-server");
        try (TestServer packed = TestServer.start(c -> {
            c.set("list-max-listpack-size", "3");
            c.set("list-compress-depth", "1");
        })) {
            differential(packed, 13, 6000);
        }
    }

    private static void differential(TestServer target, long seed, int steps) throws IOException {
        try (Socket ours = target.socket(); Socket theirs = new Socket("127.0.0.1", redisPort)) {
            theirs.setSoTimeout(10_000);
            for (String k : KEYS) {
                exchangeOne(ours, "LTRIM", k, "1", "0");
                exchangeOne(theirs, "DEL", k);
            }
            Random r = new Random(seed);
            for (int i = 0; i < steps; i++) {
                String[] cmd = randomCommand(r);
                String expected = exchangeOne(theirs, cmd);
                String actual = exchangeOne(ours, cmd);
                assertEquals(expected, actual, "step " + i + ": " + String.join(" ", cmd));
            }
            for (String k : KEYS) {
                assertEquals(exchangeOne(theirs, "LRANGE", k, "0", "-1"), exchangeOne(ours, "LRANGE", k, "0", "-1"));
            }
        }
    }

    @Test
    void errorsMatchRedis() throws IOException {
        assumeTrue(redis != null, "no redis-server");
        String[][] cmds = {
            {"LPOP", "e1", "-1"}, {"LPOP", "e1", "x"}, {"LPOP", "e1", "1", "2"}, {"LPUSH", "e1"},
            {"LPOS", "e1", "a", "COUNT", "-1"}, {"LPOS", "e1", "a", "MAXLEN", "x"}, {"LPOS", "e1", "a", "RANK", "x"},
            {"LPOS", "e1", "a", "FOO", "1"}, {"LMPOP", "x", "a", "LEFT"}, {"LMPOP", "2", "a", "LEFT"},
            {"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}, {"LMPOP", "1", "a", "LEFT", "COUNT"},
            {"LMPOP", "-1", "a", "LEFT"}, {"LMPOP", "99999999999999999999", "a", "LEFT"},
            {"LMOVE", "a", "b", "LEFT", "UP"}, {"LINSERT", "e1", "X", "a", "b"}, {"LINDEX", "e1", "x"},
            {"LSET", "e1", "x", "a"}, {"LRANGE", "e1", "a", "b"}, {"LTRIM", "e1", "0", "x"},
            {"LREM", "e1", "x", "a"}, {"RPUSH", "e2", "a"}, {"LINDEX", "e2", "x"}, {"LSET", "e2", "x", "a"},
            {"LPOS", "e2", "a", "COUNT", "0", "MAXLEN", "0", "RANK", "-1"},
        };
        try (Socket ours = server.socket(); Socket theirs = new Socket("127.0.0.1", redisPort)) {
            theirs.setSoTimeout(10_000);
            exchangeOne(theirs, "DEL", "e1", "e2");
            for (String[] cmd : cmds) {
                assertEquals(exchangeOne(theirs, cmd), exchangeOne(ours, cmd), String.join(" ", cmd));
            }
        }
    }

    // ------------------------------------------------------------------ raw RESP helpers

    /** Sends one command as a multibulk and returns its whole reply, byte for byte. */
    static String exchangeOne(Socket s, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a)
              .append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readReply(s.getInputStream(), reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            copy.write(c);
            if (prev == '\r' && c == '\n') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
            prev = c;
        }
    }

    private static void readReply(InputStream in, ByteArrayOutputStream copy) throws IOException {
        String line = readLine(in, copy);
        char type = line.charAt(0);
        switch (type) {
            case '$': case '=': case '!': {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    for (int i = 0; i < n + 2; i++) {
                        copy.write(in.read());
                    }
                }
                break;
            }
            case '*': case '~': case '>': case '%': {
                int n = Integer.parseInt(line.substring(1));
                if (type == '%') {
                    n *= 2;
                }
                for (int i = 0; i < n; i++) {
                    readReply(in, copy);
                }
                break;
            }
            default:
                break;
        }
    }
}
