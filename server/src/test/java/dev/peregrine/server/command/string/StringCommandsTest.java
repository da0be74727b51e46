package dev.peregrine.server.command.string;

import dev.peregrine.server.TestServer;
import dev.peregrine.storage.Entry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The string commands over the network: Jedis for the common paths, raw sockets for exact reply bytes. */
class StringCommandsTest {
    private static final String SYNTAX = "-ERR syntax error\r\n";
    private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
    private static final String NOT_FLOAT = "-ERR value is not a valid float\r\n";
    private static final AtomicInteger KEYS = new AtomicInteger();

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A key no other test uses (the family has no DEL). */
    private static String key(String name) {
        return name + ":" + KEYS.incrementAndGet();
    }

    /** The entry of a key in db 0; call only while no command runs. */
    private static Object peek(String key) {
        return server.server().engine().db(0).peek(key.getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---------------------------------------------------------------- GET / SET

    @Test
    void getAndSetThroughJedis() {
        try (Jedis j = server.jedis()) {
            String k = key("gs");
            assertNull(j.get(k));
            assertEquals("OK", j.set(k, "hello"));
            assertEquals("hello", j.get(k));
            assertEquals("OK", j.set(k, "world", SetParams.setParams().xx()));
            assertNull(j.set(k, "x", SetParams.setParams().nx()));
            assertEquals("world", j.setGet(k, "again"));
            assertEquals("again", j.get(k));
            String bin = key("bin");
            byte[] value = {0, (byte) 0xff, '\r', '\n', 7};
            j.set(bin.getBytes(StandardCharsets.UTF_8), value);
            assertEquals(5, j.strlen(bin));
            assertTrue(java.util.Arrays.equals(value, j.get(bin.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void setConditionsAndGetOption() throws IOException {
        try (Socket s = server.socket()) {
            String k = key("cond");
            assertEquals("$-1\r\n", Resp.call(s, "SET", k, "v", "XX"));
            assertEquals("$-1\r\n", Resp.call(s, "GET", k));
            assertEquals("+OK\r\n", Resp.call(s, "SET", k, "v", "NX"));
            assertEquals("$-1\r\n", Resp.call(s, "SET", k, "w", "NX"));
            assertEquals("$1\r\nv\r\n", Resp.call(s, "SET", k, "w", "nx", "get"));
            assertEquals("$1\r\nv\r\n", Resp.call(s, "SET", k, "w", "XX", "GET"));
            assertEquals("$1\r\nw\r\n", Resp.call(s, "GET", k));
            String fresh = key("cond");
            assertEquals("$-1\r\n", Resp.call(s, "SET", fresh, "v", "GET"));
            assertEquals("$1\r\nv\r\n", Resp.call(s, "GET", fresh));
            assertEquals("+OK\r\n", Resp.call(s, "SET", k, "z", "ex", "100", "Ex", "200"));
        }
    }

    @Test
    void setOptionConflictsAreSyntaxErrors() throws IOException {
        String[][] bad = {
                {"NX", "XX"}, {"XX", "NX"}, {"EX"}, {"EX", "10", "PX", "10"}, {"PX", "10", "EXAT", "10"},
                {"EXAT", "10", "PXAT", "10"}, {"EX", "10", "KEEPTTL"}, {"KEEPTTL", "EX", "10"},
                {"KEEPTTL", "PXAT", "10"}, {"PERSIST"}, {"FOO"}, {"GET", "FOO"}, {"NXX"}, {"PX"},
        };
        try (Socket s = server.socket()) {
            String k = key("syntax");
            for (String[] opts : bad) {
                List<String> args = new ArrayList<>(List.of("SET", k, "v"));
                args.addAll(List.of(opts));
                assertEquals(SYNTAX, Resp.call(s, args.toArray(new String[0])), String.join(" ", opts));
            }
            assertEquals("$-1\r\n", Resp.call(s, "GET", k));
            assertEquals("-ERR wrong number of arguments for 'set' command\r\n", Resp.call(s, "SET", k));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", Resp.call(s, "GET"));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", Resp.call(s, "GET", k, k));
        }
    }

    @Test
    void expireArgumentErrors() throws IOException {
        String invalid = "-ERR invalid expire time in 'set' command\r\n";
        try (Socket s = server.socket()) {
            String k = key("expire");
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "EX", "0"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "PX", "-5"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "EXAT", "0"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "PXAT", "-1"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "EX", "9223372036854775807"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "EX", "9223372036854775"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "PX", "9223372036854775807"));
            assertEquals(invalid, Resp.call(s, "SET", k, "v", "EXAT", "9223372036854776"));
            assertEquals(NOT_INTEGER, Resp.call(s, "SET", k, "v", "EX", "1.5"));
            assertEquals(NOT_INTEGER, Resp.call(s, "SET", k, "v", "PX", "abc"));
            assertEquals("$-1\r\n", Resp.call(s, "GET", k));
            assertEquals("+OK\r\n", Resp.call(s, "SET", k, "v", "PXAT", "9223372036854775807"));
            assertEquals("+OK\r\n", Resp.call(s, "SET", k, "v", "EXAT", "9223372036854775"));

            assertEquals("-ERR invalid expire time in 'setex' command\r\n", Resp.call(s, "SETEX", k, "0", "v"));
            assertEquals("-ERR invalid expire time in 'setex' command\r\n",
                    Resp.call(s, "SETEX", k, "9223372036854775807", "v"));
            assertEquals("-ERR invalid expire time in 'psetex' command\r\n", Resp.call(s, "PSETEX", k, "-3", "v"));
            assertEquals(NOT_INTEGER, Resp.call(s, "SETEX", k, "x", "v"));
            assertEquals("-ERR invalid expire time in 'getex' command\r\n", Resp.call(s, "GETEX", k, "EX", "0"));
            assertEquals("-ERR invalid expire time in 'getex' command\r\n",
                    Resp.call(s, "GETEX", k, "PX", "9223372036854775807"));
            assertEquals(NOT_INTEGER, Resp.call(s, "GETEX", k, "EXAT", "soon"));
            // a missing key answers nil before the time is looked at
            assertEquals("$-1\r\n", Resp.call(s, "GETEX", key("none"), "EX", "-1"));
        }
    }

    @Test
    void ttlsAreStoredAsAbsoluteTimes() throws IOException {
        try (Socket s = server.socket()) {
            String ex = key("ttl");
            long before = System.currentTimeMillis();
            assertEquals("+OK\r\n", Resp.call(s, "SET", ex, "v", "EX", "100"));
            String px = key("ttl");
            assertEquals("+OK\r\n", Resp.call(s, "SET", px, "v", "PX", "5000"));
            String setex = key("ttl");
            assertEquals("+OK\r\n", Resp.call(s, "SETEX", setex, "50", "v"));
            String psetex = key("ttl");
            assertEquals("+OK\r\n", Resp.call(s, "PSETEX", psetex, "60000", "v"));
            String exat = key("ttl");
            assertEquals("+OK\r\n", Resp.call(s, "SET", exat, "v", "EXAT", "4000000000"));
            String pxat = key("ttl");
            assertEquals("+OK\r\n", Resp.call(s, "SET", pxat, "v", "PXAT", "4000000000123"));
            long after = System.currentTimeMillis();
            assertBetween(before + 100_000, after + 100_000, Entry.expireAt(peek(ex)));
            assertBetween(before + 5000, after + 5000, Entry.expireAt(peek(px)));
            assertBetween(before + 50_000, after + 50_000, Entry.expireAt(peek(setex)));
            assertBetween(before + 60_000, after + 60_000, Entry.expireAt(peek(psetex)));
            assertEquals(4_000_000_000_000L, Entry.expireAt(peek(exat)));
            assertEquals(4_000_000_000_123L, Entry.expireAt(peek(pxat)));

            assertEquals("+OK\r\n", Resp.call(s, "SET", exat, "w", "KEEPTTL"));
            assertEquals(4_000_000_000_000L, Entry.expireAt(peek(exat)));
            assertEquals("$1\r\nw\r\n", Resp.call(s, "GET", exat));
            assertEquals("+OK\r\n", Resp.call(s, "SET", exat, "x"));
            assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek(exat)));

            assertEquals("+OK\r\n", Resp.call(s, "SET", pxat, "v", "EXAT", "1"));
            assertEquals("$-1\r\n", Resp.call(s, "GET", pxat));
            assertNull(peek(pxat));
        }
    }

    private static void assertBetween(long low, long high, long actual) {
        assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
    }

    @Test
    void setnxSetexPsetexGetsetGetdel() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String k = key("nx");
            assertEquals(1, j.setnx(k, "a"));
            assertEquals(0, j.setnx(k, "b"));
            assertEquals("a", j.get(k));
            assertEquals("OK", j.setex(k, 100, "c"));
            assertEquals("c", j.get(k));
            assertEquals("OK", j.psetex(k, 100_000, "d"));
            assertEquals("d", j.getSet(k, "e"));
            assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek(k)));
            String missing = key("nx");
            assertEquals("$-1\r\n", Resp.call(s, "GETSET", missing, "f"));
            assertEquals("$1\r\nf\r\n", Resp.call(s, "GET", missing));
            assertEquals("e", j.getDel(k));
            assertNull(j.getDel(k));
            assertNull(peek(k));
            assertEquals("-ERR wrong number of arguments for 'setnx' command\r\n", Resp.call(s, "SETNX", k));
            assertEquals("-ERR wrong number of arguments for 'getdel' command\r\n", Resp.call(s, "GETDEL"));
        }
    }

    @Test
    void getex() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String k = key("getex");
            assertNull(j.getEx(k, GetExParams.getExParams().ex(10)));
            j.set(k, "v");
            assertEquals("v", j.getEx(k, GetExParams.getExParams().ex(100)));
            long ex = Entry.expireAt(peek(k));
            assertTrue(ex > System.currentTimeMillis() + 90_000);
            assertEquals("v", j.getEx(k, GetExParams.getExParams().persist()));
            assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek(k)));
            assertEquals("v", j.getEx(k, GetExParams.getExParams().pxAt(4_000_000_000_000L)));
            assertEquals(4_000_000_000_000L, Entry.expireAt(peek(k)));
            assertEquals("$1\r\nv\r\n", Resp.call(s, "GETEX", k));
            assertEquals(4_000_000_000_000L, Entry.expireAt(peek(k)));
            for (String[] opts : new String[][] {
                    {"EX", "10", "PERSIST"}, {"PERSIST", "PX", "10"}, {"NX"}, {"KEEPTTL"}, {"GET"}, {"EX"},
                    {"EX", "1", "EXAT", "1"}}) {
                List<String> args = new ArrayList<>(List.of("GETEX", k));
                args.addAll(List.of(opts));
                assertEquals(SYNTAX, Resp.call(s, args.toArray(new String[0])), String.join(" ", opts));
            }
            assertEquals("$1\r\nv\r\n", Resp.call(s, "GETEX", k, "EXAT", "1"));
            assertEquals("$-1\r\n", Resp.call(s, "GET", k));
            assertNull(peek(k));
        }
    }

    // ---------------------------------------------------------------- multi-key

    @Test
    void msetMgetMsetnx() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String a = key("m");
            String b = key("m");
            String c = key("m");
            assertEquals("OK", j.mset(a, "1", b, "2"));
            assertEquals(List.of("1", "2"), j.mget(a, b));
            assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", Resp.call(s, "MGET", a, c, b));
            assertEquals(0, j.msetnx(c, "3", a, "x"));
            assertNull(j.get(c));
            assertEquals("1", j.get(a));
            assertEquals(1, j.msetnx(c, "3", key("m"), "4"));
            assertEquals("3", j.get(c));
            assertEquals("+OK\r\n", Resp.call(s, "MSET", a, "first", a, "second"));
            assertEquals("$6\r\nsecond\r\n", Resp.call(s, "GET", a));
            assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", Resp.call(s, "MSET", a, "1", b));
            assertEquals("-ERR wrong number of arguments for 'msetnx' command\r\n", Resp.call(s, "MSETNX", a, "1", b));
            assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", Resp.call(s, "MSET", a));
            assertEquals("-ERR wrong number of arguments for 'mget' command\r\n", Resp.call(s, "MGET"));
        }
    }

    // ---------------------------------------------------------------- APPEND, STRLEN, ranges

    @Test
    void appendAndStrlen() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String k = key("app");
            assertEquals(0, j.strlen(k));
            assertEquals(5, j.append(k, "hello"));
            assertEquals(11, j.append(k, " world"));
            assertEquals("hello world", j.get(k));
            assertEquals(11, j.strlen(k));
            assertEquals(":11\r\n", Resp.call(s, "APPEND", k, ""));
            assertEquals("raw", Entry.encoding(peek(k)));
            String n = key("app");
            assertEquals(":3\r\n", Resp.call(s, "APPEND", n, "123"));
            assertEquals("int", Entry.encoding(peek(n)));
            assertEquals(":6\r\n", Resp.call(s, "APPEND", n, "456"));
            assertEquals("raw", Entry.encoding(peek(n)));
            assertEquals(":123457\r\n", Resp.call(s, "INCR", n));
        }
    }

    @Test
    void getrangeAndSubstr() throws IOException {
        try (Socket s = server.socket()) {
            String k = key("range");
            Resp.call(s, "SET", k, "This is a string");
            assertEquals("$4\r\nThis\r\n", Resp.call(s, "GETRANGE", k, "0", "3"));
            assertEquals("$3\r\ning\r\n", Resp.call(s, "GETRANGE", k, "-3", "-1"));
            assertEquals("$16\r\nThis is a string\r\n", Resp.call(s, "GETRANGE", k, "0", "-1"));
            assertEquals("$6\r\nstring\r\n", Resp.call(s, "GETRANGE", k, "10", "100"));
            assertEquals("$0\r\n\r\n", Resp.call(s, "GETRANGE", k, "-1", "-5"));
            assertEquals("$0\r\n\r\n", Resp.call(s, "GETRANGE", k, "5", "2"));
            assertEquals("$0\r\n\r\n", Resp.call(s, "GETRANGE", k, "100", "200"));
            assertEquals("$1\r\nT\r\n", Resp.call(s, "GETRANGE", k, "-100", "-100"));
            assertEquals("$2\r\nTh\r\n", Resp.call(s, "GETRANGE", k, "-100", "1"));
            assertEquals("$16\r\nThis is a string\r\n",
                    Resp.call(s, "GETRANGE", k, "-9223372036854775808", "9223372036854775807"));
            assertEquals("$2\r\nhi\r\n", Resp.call(s, "SUBSTR", k, "1", "2"));
            assertEquals("$0\r\n\r\n", Resp.call(s, "GETRANGE", key("none"), "0", "-1"));
            assertEquals(NOT_INTEGER, Resp.call(s, "GETRANGE", k, "a", "1"));
            assertEquals(NOT_INTEGER, Resp.call(s, "GETRANGE", k, "0", "1.0"));
            String i = key("range");
            Resp.call(s, "SET", i, "12345");
            assertEquals("$2\r\n23\r\n", Resp.call(s, "GETRANGE", i, "1", "2"));
        }
    }

    @Test
    void setrange() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String k = key("sr");
            assertEquals(8, j.setrange(k, 5, "abc"));
            assertEquals("\0\0\0\0\0abc", j.get(k));
            assertEquals("raw", Entry.encoding(peek(k)));
            assertEquals(8, j.setrange(k, 0, "XY"));
            assertEquals("XY\0\0\0abc", j.get(k));
            assertEquals(":8\r\n", Resp.call(s, "SETRANGE", k, "3", ""));
            assertEquals(":12\r\n", Resp.call(s, "SETRANGE", k, "10", "zz"));
            String none = key("sr");
            assertEquals(":0\r\n", Resp.call(s, "SETRANGE", none, "5", ""));
            assertNull(peek(none));
            assertEquals("-ERR offset is out of range\r\n", Resp.call(s, "SETRANGE", k, "-1", "x"));
            assertEquals(NOT_INTEGER, Resp.call(s, "SETRANGE", k, "x", "x"));
            String tooLong = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
            assertEquals(tooLong, Resp.call(s, "SETRANGE", none, "536870912", "x"));
            assertEquals(tooLong, Resp.call(s, "SETRANGE", k, "9223372036854775807", "x"));
            assertNull(peek(none));
        }
    }

    // ---------------------------------------------------------------- counters

    @Test
    void incrementsAndDecrements() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String k = key("ctr");
            assertEquals(1, j.incr(k));
            assertEquals(11, j.incrBy(k, 10));
            assertEquals(8, j.decrBy(k, 3));
            assertEquals(7, j.decr(k));
            assertEquals(-3, j.incrBy(k, -10));
            assertEquals("int", Entry.encoding(peek(k)));
            assertEquals(":-4\r\n", Resp.call(s, "DECR", k));
            assertEquals(NOT_INTEGER, Resp.call(s, "INCRBY", k, "1.5"));
            assertEquals(NOT_INTEGER, Resp.call(s, "DECRBY", k, "x"));
            String overflow = "-ERR increment or decrement would overflow\r\n";
            String max = key("ctr");
            Resp.call(s, "SET", max, "9223372036854775807");
            assertEquals(overflow, Resp.call(s, "INCR", max));
            assertEquals(overflow, Resp.call(s, "INCRBY", max, "1"));
            String min = key("ctr");
            Resp.call(s, "SET", min, "-9223372036854775808");
            assertEquals(overflow, Resp.call(s, "DECR", min));
            assertEquals(overflow, Resp.call(s, "INCRBY", min, "-1"));
            assertEquals(":-1\r\n", Resp.call(s, "INCRBY", min, "9223372036854775807"));
            assertEquals("-ERR decrement would overflow\r\n", Resp.call(s, "DECRBY", k, "-9223372036854775808"));
            assertEquals(":9223372036854775803\r\n", Resp.call(s, "INCRBY", k, "9223372036854775807"));
            String odd = key("ctr");
            for (String v : new String[] {" 1", "1 ", "01", "-0", "+1", "1.0", "abc", "", "99999999999999999999"}) {
                Resp.call(s, "SET", odd, v);
                assertEquals(NOT_INTEGER, Resp.call(s, "INCR", odd), "'" + v + "'");
            }
            Resp.call(s, "SET", odd, "-9223372036854775807");
            assertEquals(":-9223372036854775806\r\n", Resp.call(s, "INCR", odd));
        }
    }

    @Test
    void incrbyfloatPrintsAsRedis() throws IOException {
        try (Socket s = server.socket()) {
            String k = key("flt");
            Resp.call(s, "SET", k, "10.5");
            assertEquals("$4\r\n10.6\r\n", Resp.call(s, "INCRBYFLOAT", k, "0.1"));
            assertEquals("$23\r\n-4989.39999999999999991\r\n", Resp.call(s, "INCRBYFLOAT", k, "-5.0e3"));
            String a = key("flt");
            assertEquals("$4\r\n3000\r\n", Resp.call(s, "INCRBYFLOAT", a, "3.0e3"));
            assertEquals("$4\r\n3002\r\n", Resp.call(s, "INCRBYFLOAT", a, "2"));
            assertEquals("embstr", Entry.encoding(peek(a)), "INCRBYFLOAT results are never int-encoded");
            String b = key("flt");
            assertEquals("$3\r\n0.1\r\n", Resp.call(s, "INCRBYFLOAT", b, "0.1"));
            assertEquals("$3\r\n0.3\r\n", Resp.call(s, "INCRBYFLOAT", b, "0.2"));
            assertEquals("$1\r\n0\r\n", Resp.call(s, "INCRBYFLOAT", b, "-0.3"));
            String c = key("flt");
            assertEquals("$2\r\n16\r\n", Resp.call(s, "INCRBYFLOAT", c, "0x10"));
            assertEquals("$5\r\n16.25\r\n", Resp.call(s, "INCRBYFLOAT", c, "0x1p-2"));
            assertEquals("$5\r\n16.75\r\n", Resp.call(s, "INCRBYFLOAT", c, ".5"));
            assertEquals("$5\r\n21.75\r\n", Resp.call(s, "INCRBYFLOAT", c, "+5."));
            String nan = "-ERR increment would produce NaN or Infinity\r\n";
            assertEquals(nan, Resp.call(s, "INCRBYFLOAT", c, "inf"));
            assertEquals(nan, Resp.call(s, "INCRBYFLOAT", c, "-Infinity"));
            assertEquals("$5\r\n21.75\r\n", Resp.call(s, "GET", c));
            for (String bad : new String[] {"nan", "abc", " 1", "1 ", "1e", "", "1e5000", "1e-5000", "0x", "infinit",
                    "1.2.3", "--1"}) {
                assertEquals(NOT_FLOAT, Resp.call(s, "INCRBYFLOAT", c, bad), "'" + bad + "'");
            }
            String text = key("flt");
            Resp.call(s, "SET", text, "abc");
            assertEquals(NOT_FLOAT, Resp.call(s, "INCRBYFLOAT", text, "1"));
            String ttl = key("flt");
            Resp.call(s, "SET", ttl, "1.5", "PXAT", "4000000000000");
            assertEquals("$1\r\n3\r\n", Resp.call(s, "INCRBYFLOAT", ttl, "1.5"));
            assertEquals(4_000_000_000_000L, Entry.expireAt(peek(ttl)));
        }
    }

    // ---------------------------------------------------------------- LCS

    @Test
    void lcs() throws IOException {
        try (Jedis j = server.jedis(); Socket s = server.socket()) {
            String a = "{lcs}a" + KEYS.incrementAndGet();
            String b = "{lcs}b" + KEYS.incrementAndGet();
            j.mset(a, "ohmytext", b, "mynewtext");
            LCSMatchResult r = j.lcs(a, b, LCSParams.LCSParams());
            assertEquals("mytext", r.getMatchString());
            assertEquals(6, j.lcs(a, b, LCSParams.LCSParams().len()).getLen());
            LCSMatchResult idx = j.lcs(a, b, LCSParams.LCSParams().idx().withMatchLen());
            assertEquals(6, idx.getLen());
            assertEquals(2, idx.getMatches().size());
            assertEquals(4, idx.getMatches().get(0).getA().getStart());
            assertEquals(7, idx.getMatches().get(0).getA().getEnd());
            assertEquals(5, idx.getMatches().get(0).getB().getStart());
            assertEquals(4, idx.getMatches().get(0).getMatchLen());
            assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n",
                    Resp.call(s, "LCS", a, b, "IDX", "MINMATCHLEN", "3"));
            assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n",
                    Resp.call(s, "LCS", a, key("none"), "IDX"));
            assertEquals("$0\r\n\r\n", Resp.call(s, "LCS", key("none"), key("none")));
            assertEquals("-ERR If you want both the length and indexes, please just use IDX.\r\n",
                    Resp.call(s, "LCS", a, b, "LEN", "IDX"));
            assertEquals(SYNTAX, Resp.call(s, "LCS", a, b, "MINMATCHLEN"));
            assertEquals(SYNTAX, Resp.call(s, "LCS", a, b, "FOO"));
            assertEquals(NOT_INTEGER, Resp.call(s, "LCS", a, b, "MINMATCHLEN", "x"));
            assertEquals("-ERR wrong number of arguments for 'lcs' command\r\n", Resp.call(s, "LCS", a));
        }
    }

    // ---------------------------------------------------------------- side by side with redis-server

    /**
     * Sends the same commands to Peregrine and to a real redis-server and compares the raw replies. Skipped when
     * redis-server is not installed, except in CI, where it must be.
     */
    @Test
    void repliesMatchRedisServer() throws Exception {
        String redis = findOnPath("redis-server");
        if (redis == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required in CI");
            }
            Assumptions.abort("redis-server not on PATH");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(redis, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (Socket ours = server.socket(); Socket theirs = connect(port)) {
            String pre = "cmp" + KEYS.incrementAndGet() + ":";
            List<String[]> script = new ArrayList<>();
            for (String line : SCRIPT) {
                String[] args = line.split(" ", -1);
                for (int i = 1; i < args.length; i++) {
                    if (args[i].startsWith("%")) {
                        args[i] = pre + args[i].substring(1);
                    }
                    args[i] = args[i].replace('_', ' ');
                }
                script.add(args);
            }
            for (String[] args : script) {
                assertEquals(Resp.call(theirs, args), Resp.call(ours, args), String.join(" ", args));
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Commands for the comparison: {@code %} marks a key (prefixed per run), {@code _} stands for a space. */
    private static final String[] SCRIPT = {
        "SET %a hello", "GET %a", "SET %a v NX GET", "SET %a v XX NX", "SET %a v EX 0", "SET %a v EX 10 PX 10",
        "SET %a v KEEPTTL EX 1", "SET %a v PXAT 9223372036854775807", "SET %a v EX 9223372036854775",
        "SETEX %b 0 x", "PSETEX %b x x", "SETNX %a z", "GETSET %a y", "GETDEL %a", "GETDEL %a", "GETEX %a EX -1",
        "SET %a v", "GETEX %a PERSIST EX 10", "GETEX %a EXAT 0", "GETEX %a FOO", "MSET %a 1 %b 2", "MGET %a %b %c",
        "MSETNX %c 3 %a 2", "MSETNX %c 3 %d 4", "MSET %a", "APPEND %e abc", "APPEND %e def", "STRLEN %e",
        "INCR %e", "INCR %f", "INCRBY %f 9223372036854775807", "DECRBY %f -9223372036854775808", "DECRBY %f x",
        "INCRBYFLOAT %g 10.5", "INCRBYFLOAT %g 0.1", "INCRBYFLOAT %g -5.0e3", "INCRBYFLOAT %g 1e4000",
        "INCRBYFLOAT %h 3.0e3", "INCRBYFLOAT %h 2", "INCRBYFLOAT %h 1.1", "INCRBYFLOAT %h 2.2",
        "INCRBYFLOAT %h -3.3", "INCRBYFLOAT %h _1", "INCRBYFLOAT %h inf", "INCRBYFLOAT %h 5e-324",
        "INCRBYFLOAT %i 123456789.123456789", "INCRBYFLOAT %i 0.000000001", "INCRBYFLOAT %i -0.0",
        "GETRANGE %e 0 2", "GETRANGE %e -2 -1", "GETRANGE %e -1 -2", "GETRANGE %e 2 100", "SUBSTR %e 1 1",
        "SETRANGE %j 3 ab", "GET %j", "SETRANGE %j 0 XYZW", "SETRANGE %j -1 a", "SETRANGE %j 536870912 a",
        "SET %k ACCGGTCGAGTGCGCGGAAGCCGGCCGAA", "SET %l GTCGTTCGGAATGCCGTTGCTCTGTAAA", "LCS %k %l",
        "LCS %k %l IDX", "LCS %k %l IDX MINMATCHLEN 3 WITHMATCHLEN", "LCS %k %l LEN", "LCS %k %m IDX",
        "LCS %k %l IDX LEN", "LCS %k %l MINMATCHLEN", "GET %m", "STRLEN %m",
    };

    private static Socket connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(10_000);
                return s;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
