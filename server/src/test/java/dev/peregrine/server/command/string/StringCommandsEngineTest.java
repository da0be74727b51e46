package dev.peregrine.server.command.string;

import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.ValueType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The string commands driven through the {@link Engine} on the test thread, with no network: RESP3 reply shapes,
 * expiry at chosen instants (the command clock is passed in, so no sleeping), WRONGTYPE against a non-string
 * value, and the encodings OBJECT ENCODING will report.
 */
class StringCommandsEngineTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    private Engine engine;
    private Client client;
    private int protocol = 2;

    /** A stand-in for a non-string value (lists come with another family). */
    static final class FakeList extends ObjectEntry {
        FakeList(byte[] key) {
            super(key);
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
            return new FakeList(newKey);
        }
    }

    @BeforeEach
    void setUp() {
        engine = new Engine(new ServerConfig(), new ServerInfo());
        client = new Client(1, null, null, NOW, true);
    }

    private String run(long now, String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteBuf out = Unpooled.buffer();
        client.protocol(protocol);
        client.replyWriter().wrap(out, protocol);
        engine.process(client, argv, now);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String run(String... args) {
        return run(NOW, args);
    }

    private Object peek(String key) {
        return engine.db(0).peek(key.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void putList(String key) {
        byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
        engine.db(0).put(k, new FakeList(k));
    }

    @Test
    void lcsIdxIsAMapInResp3AndAFlatArrayInResp2() {
        run("SET", "a", "ohmytext");
        run("SET", "b", "mynewtext");
        String matches = "*2\r\n"
                + "*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
                + "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n";
        assertEquals("*4\r\n$7\r\nmatches\r\n" + matches + "$3\r\nlen\r\n:6\r\n",
                run("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
        protocol = 3;
        assertEquals("%2\r\n$7\r\nmatches\r\n" + matches + "$3\r\nlen\r\n:6\r\n",
                run("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
        assertEquals("%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n",
                run("LCS", "a", "b", "idx", "minmatchlen", "4"));
        assertEquals("$6\r\nmytext\r\n", run("LCS", "a", "b"));
        assertEquals(":6\r\n", run("LCS", "a", "b", "LEN"));
    }

    @Test
    void nullRepliesInResp3() {
        protocol = 3;
        assertEquals("_\r\n", run("GET", "missing"));
        run("SET", "k", "v");
        assertEquals("_\r\n", run("SET", "k", "w", "NX"));
        assertEquals("*2\r\n$1\r\nv\r\n_\r\n", run("MGET", "k", "missing"));
        assertEquals("_\r\n", run("GETDEL", "missing"));
        assertEquals("_\r\n", run("GETEX", "missing", "PERSIST"));
        assertEquals("$2\r\n11\r\n", run("INCRBYFLOAT", "f", "11"));
    }

    @Test
    void relativeExpiryIsCountedFromTheCommandClock() {
        assertEquals("+OK\r\n", run(NOW, "SET", "k", "v", "PX", "100"));
        assertEquals(NOW + 100, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run(NOW + 99, "GET", "k"));
        assertEquals("$-1\r\n", run(NOW + 100, "GET", "k"));
        assertNull(peek("k"));

        run(NOW, "SET", "s", "v", "EX", "3");
        assertEquals(NOW + 3000, Entry.expireAt(peek("s")));
        run(NOW, "SETEX", "se", "7", "v");
        assertEquals(NOW + 7000, Entry.expireAt(peek("se")));
        run(NOW, "PSETEX", "pse", "7", "v");
        assertEquals(NOW + 7, Entry.expireAt(peek("pse")));
        run(NOW, "SET", "ea", "v", "EXAT", "1800000000");
        assertEquals(1_800_000_000_000L, Entry.expireAt(peek("ea")));
        run(NOW, "SET", "pa", "v", "PXAT", "1800000000123");
        assertEquals(1_800_000_000_123L, Entry.expireAt(peek("pa")));
    }

    @Test
    void keepTtlAndPlainSetAndGetset() {
        run("SET", "k", "v", "EX", "100");
        run(NOW + 5, "SET", "k", "w", "KEEPTTL");
        assertEquals(NOW + 100_000, Entry.expireAt(peek("k")));
        run("SET", "k", "x");
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek("k")));
        run("SET", "g", "v", "EX", "100");
        assertEquals("$1\r\nv\r\n", run("GETSET", "g", "w"));
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek("g")));
        run("SET", "m", "v", "EX", "100");
        run("MSET", "m", "w");
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek("m")));
    }

    @Test
    void modifyingCommandsKeepTheTtl() {
        for (String[] cmd : new String[][] {
                {"APPEND", "k", "1"}, {"SETRANGE", "k", "0", "2"}, {"INCR", "k"}, {"DECRBY", "k", "3"},
                {"INCRBYFLOAT", "k", "1.5"}}) {
            run("SET", "k", "10", "PX", "5000");
            run(cmd);
            assertEquals(NOW + 5000, Entry.expireAt(peek("k")), String.join(" ", cmd));
        }
    }

    @Test
    void getexChangesTheTtl() {
        run("SET", "k", "v");
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "EX", "10"));
        assertEquals(NOW + 10_000, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "PX", "10"));
        assertEquals(NOW + 10, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "PXAT", String.valueOf(NOW + 50)));
        assertEquals(NOW + 50, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "EXAT", "1800000000"));
        assertEquals(1_800_000_000_000L, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run("GETEX", "k"));
        assertEquals(1_800_000_000_000L, Entry.expireAt(peek("k")));
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "PERSIST"));
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek("k")));
        // an absolute time already past deletes the key after answering
        assertEquals("$1\r\nv\r\n", run("GETEX", "k", "PXAT", String.valueOf(NOW)));
        assertNull(peek("k"));
    }

    @Test
    void setWithAPastAbsoluteTimeLeavesNoReadableValue() {
        run("SET", "k", "old");
        assertEquals("$3\r\nold\r\n", run("SET", "k", "new", "PXAT", String.valueOf(NOW - 1), "GET"));
        assertEquals("$-1\r\n", run("GET", "k"));
        assertEquals("+OK\r\n", run("SET", "k2", "v", "EXAT", "1"));
        assertEquals("$-1\r\n", run("GET", "k2"));
    }

    @Test
    void expiredKeysCountAsAbsentForWrites() {
        run("SET", "k", "5", "PX", "10");
        assertEquals(":1\r\n", run(NOW + 10, "SETNX", "k", "x"));
        run("SET", "c", "5", "PX", "10");
        assertEquals(":1\r\n", run(NOW + 10, "INCR", "c"));
        assertEquals(Entry.NO_EXPIRE, Entry.expireAt(peek("c")));
        run("SET", "a", "abc", "PX", "10");
        assertEquals(":1\r\n", run(NOW + 10, "APPEND", "a", "x"));
        run("SET", "m", "abc", "PX", "10");
        assertEquals(":1\r\n", run(NOW + 10, "MSETNX", "m", "x"));
        run("SET", "x", "abc", "PX", "10");
        assertEquals("$-1\r\n", run(NOW + 10, "SET", "x", "y", "XX"));
    }

    @Test
    void everyCommandAnswersWrongTypeForANonString() {
        putList("l");
        run("SET", "s", "v");
        String[][] commands = {
                {"GET", "l"}, {"SET", "l", "v", "GET"}, {"GETSET", "l", "v"}, {"GETDEL", "l"},
                {"GETEX", "l", "EX", "10"}, {"APPEND", "l", "x"}, {"STRLEN", "l"}, {"INCR", "l"}, {"DECR", "l"},
                {"INCRBY", "l", "2"}, {"DECRBY", "l", "2"}, {"INCRBYFLOAT", "l", "1.5"},
                {"GETRANGE", "l", "0", "1"}, {"SUBSTR", "l", "0", "1"}, {"SETRANGE", "l", "0", "x"},
        };
        for (String[] cmd : commands) {
            assertEquals(WRONGTYPE, run(cmd), String.join(" ", cmd));
        }
        assertEquals(ValueType.LIST, Entry.type(peek("l")));
        assertEquals("-ERR The specified keys must contain string values\r\n", run("LCS", "s", "l"));
        assertEquals("-ERR The specified keys must contain string values\r\n", run("LCS", "l", "s"));
        assertEquals("*2\r\n$-1\r\n$1\r\nv\r\n", run("MGET", "l", "s"));
        // plain SET, MSET and SETEX replace a value of any type
        assertEquals("+OK\r\n", run("MSET", "l", "x"));
        assertEquals("$1\r\nx\r\n", run("GET", "l"));
        putList("l2");
        assertEquals("+OK\r\n", run("SET", "l2", "x"));
        putList("l3");
        assertEquals(":0\r\n", run("SETNX", "l3", "x"));
        assertEquals(ValueType.LIST, Entry.type(peek("l3")));
        // errors in arguments come before the type check where Redis checks them first
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCRBY", "l3", "x"));
        assertEquals("-ERR offset is out of range\r\n", run("SETRANGE", "l3", "-1", "x"));
        assertEquals("-ERR syntax error\r\n", run("SET", "l3", "v", "GET", "BAD"));
    }

    @Test
    void encodingsAsRedisReportsThem() {
        run("SET", "i", "12345");
        assertEquals("int", Entry.encoding(peek("i")));
        run("SET", "e", "hello");
        assertEquals("embstr", Entry.encoding(peek("e")));
        run("SET", "r", "x".repeat(45));
        assertEquals("raw", Entry.encoding(peek("r")));
        run("SET", "e44", "x".repeat(44));
        assertEquals("embstr", Entry.encoding(peek("e44")));
        run("APPEND", "e", "!");
        assertEquals("raw", Entry.encoding(peek("e")));
        run("APPEND", "new", "12");
        assertEquals("int", Entry.encoding(peek("new")));
        run("SET", "n", "1");
        run("APPEND", "n", "2");
        assertEquals("raw", Entry.encoding(peek("n")));
        run("SETRANGE", "sr", "0", "1");
        assertEquals("raw", Entry.encoding(peek("sr")));
        run("SET", "sr2", "abc");
        run("SETRANGE", "sr2", "0", "x");
        assertEquals("raw", Entry.encoding(peek("sr2")));
        run("INCR", "n");
        assertEquals("int", Entry.encoding(peek("n")));
        run("INCRBYFLOAT", "f", "1.5");
        assertEquals("embstr", Entry.encoding(peek("f")));
        run("INCRBYFLOAT", "f2", "2");
        assertEquals("embstr", Entry.encoding(peek("f2")), "as redis-server: INCRBYFLOAT never int-encodes");
    }

    @Test
    void writesCountAsChanges() {
        long before = engine.stats().dirty;
        run("SET", "a", "1");
        run("MSET", "b", "1", "c", "2");
        run("INCR", "a");
        run("GET", "a");
        run("SETRANGE", "a", "0", "");
        assertEquals(before + 4, engine.stats().dirty);
    }

    @Test
    void setrangeRespectsProtoMaxBulkLen() {
        engine.config().set("proto-max-bulk-len", "1048576");
        String tooLong = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
        assertEquals(tooLong, run("SETRANGE", "k", String.valueOf(1024 * 1024), "x"));
        assertNull(peek("k"));
        assertEquals(":1048576\r\n", run("SETRANGE", "k", String.valueOf(1024 * 1024 - 1), "x"));
        assertEquals(tooLong, run("APPEND", "k", "y"));
        assertEquals(":1048576\r\n", run("APPEND", "k", ""));
        assertEquals(":1048576\r\n", run("STRLEN", "k"));
        assertEquals("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n",
                run("LCS", "k", "k"));
    }
}
