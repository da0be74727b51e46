package dev.peregrine.persistence.rdb;

import com.ning.compress.lzf.LZFEncoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.peregrine.persistence.rdb.RdbBuilder.b;
import static dev.peregrine.persistence.rdb.RdbDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made files reaching every encoding and every refusal, with no server needed. */
class RdbReaderTest {
    private static String view(byte[] file) throws IOException {
        return Keyspace.ofReader(file, 0).toString();
    }

    private static RdbFormatException refused(byte[] file, String part) {
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> view(file));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("RDB error"), e.getMessage());
        return e;
    }

    private static RdbLoader.Result load(byte[] file) throws IOException {
        return new RdbLoader(RdbLoader.Options.DEFAULTS, 0, 0).load(new ByteArrayInputStream(file));
    }

    private static final List<Object> LISTPACK_ITEMS = List.of(
            0L, 127L, 128L, -1L, 4095L, -4096L, 4096L, -32768L, 40000L, -8388608L, 10000000L,
            (long) Integer.MIN_VALUE, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE,
            b(""), b("x".repeat(63)), b("y".repeat(64)), b("z".repeat(4095)), b("w".repeat(5000)));

    private static List<String> decimal(List<Object> items) {
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            out.add(o instanceof Long l ? l.toString() : Keyspace.s((byte[]) o));
        }
        return out;
    }

    @Test
    void listpackEveryEntryEncodingInQuicklist2PackedAndPlainNodes() throws IOException {
        byte[] file = new RdbBuilder(11).key(TYPE_LIST_QUICKLIST_2, "l").len(3)
                .len(QUICKLIST_NODE_PACKED).str(RdbBuilder.listpack(LISTPACK_ITEMS))
                .len(QUICKLIST_NODE_PLAIN).str("plain element")
                .len(QUICKLIST_NODE_PACKED).str(RdbBuilder.listpack(List.of(b("tail")))).end();
        List<String> expected = new ArrayList<>(decimal(LISTPACK_ITEMS));
        expected.add("plain element");
        expected.add("tail");
        assertEquals("0/l -> " + Keyspace.describe("list", -1, expected, false) + "\n", view(file));
        RdbLoader.Result res = load(file);
        assertEquals(view(file), Keyspace.ofDatabases(res.databases()).toString());
    }

    private static final List<Object> ZIPLIST_ITEMS = List.of(
            0L, 5L, 12L, 13L, -1L, 300L, -300L, 100000L, -100000L, 1L << 30, 1L << 40, Long.MIN_VALUE,
            b("short"), b("s".repeat(300)), b("after a 5-byte prevlen"), b("t".repeat(20000)), b("end"));

    @Test
    void ziplistEveryEntryEncodingAndQuicklistOfZiplists() throws IOException {
        byte[] file = new RdbBuilder(9).key(TYPE_LIST_ZIPLIST, "zl").str(RdbBuilder.ziplist(ZIPLIST_ITEMS))
                .key(TYPE_LIST_QUICKLIST, "ql").len(2).str(RdbBuilder.ziplist(ZIPLIST_ITEMS))
                .str(RdbBuilder.ziplist(List.of(b("x")))).end();
        List<String> items = decimal(ZIPLIST_ITEMS);
        List<String> twice = new ArrayList<>(items);
        twice.add("x");
        assertEquals("0/ql -> " + Keyspace.describe("list", -1, twice, false) + "\n"
                     + "0/zl -> " + Keyspace.describe("list", -1, items, false) + "\n", view(file));
        assertEquals(view(file), Keyspace.ofDatabases(load(file).databases()).toString());
    }

    @Test
    void setListpackAndIntsets() throws IOException {
        byte[] file = new RdbBuilder(11).key(TYPE_SET_LISTPACK, "sl").str(RdbBuilder.listpack(List.of(b("a"), 5L,
                                                                                                     b("b"))))
                .key(TYPE_SET_INTSET, "i2").str(RdbBuilder.intset(2, -5, 0, 300))
                .key(TYPE_SET_INTSET, "i4").str(RdbBuilder.intset(4, -70000, 70000))
                .key(TYPE_SET_INTSET, "i8").str(RdbBuilder.intset(8, Long.MIN_VALUE, 1L << 40)).end();
        assertEquals("0/i2 -> set exp=-1 [-5, 0, 300]\n0/i4 -> set exp=-1 [-70000, 70000]\n"
                     + "0/i8 -> set exp=-1 [-9223372036854775808, 1099511627776]\n0/sl -> set exp=-1 [5, a, b]\n",
                     view(file));
        RdbLoader.Result res = load(file);
        assertEquals(view(file), Keyspace.ofDatabases(res.databases()).toString());
        assertEquals("listpack", dev.peregrine.storage.Entry.encoding(res.databases()[0].peek(b("sl"))));
        assertEquals("intset", dev.peregrine.storage.Entry.encoding(res.databases()[0].peek(b("i8"))));
    }

    @Test
    void zipmapWithFreeBytesAndLongLength() throws IOException {
        byte[] longValue = b("v".repeat(300));
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        z.write(2);
        z.write(1);
        z.write('a');
        z.write(1);
        z.write(2);
        z.writeBytes(b("1xx"));
        z.write(2);
        z.writeBytes(b("bb"));
        z.write(254);
        z.writeBytes(new byte[] {44, 1, 0, 0});
        z.write(0);
        z.writeBytes(longValue);
        z.write(0xFF);
        byte[] file = new RdbBuilder(3).key(TYPE_HASH_ZIPMAP, "h").str(z.toByteArray()).endNoChecksum();
        assertEquals("0/h -> hash exp=-1 [a=1, bb=" + "v".repeat(300) + "]\n", view(file));
        assertFalse(load(file).checksumVerified());
    }

    @Test
    void sortedSetsInEveryForm() throws IOException {
        byte[] file = new RdbBuilder(11)
                .key(TYPE_ZSET, "legacy").len(5)
                .str("a").u8(3).raw(b("1.5"))
                .str("b").u8(DOUBLE_POS_INF)
                .str("c").u8(DOUBLE_NEG_INF)
                .str("d").u8(4).raw(b("-inf"))
                .str("e").u8(1).raw(b("3"))
                .key(TYPE_ZSET_2, "binary").len(2).str("x").le(Double.doubleToLongBits(-0.25), 8)
                .str("y").le(Double.doubleToLongBits(1e300), 8)
                .key(TYPE_ZSET_ZIPLIST, "zl").str(RdbBuilder.ziplist(List.of(b("m"), 7L, b("n"), b("2.5"))))
                .key(TYPE_ZSET_LISTPACK, "lp").str(RdbBuilder.listpack(List.of(b("m"), -7L, b("n"), b("inf"))))
                .end();
        assertEquals("0/binary -> zset exp=-1 [x=-0.25, y=1.0E300]\n"
                     + "0/legacy -> zset exp=-1 [a=1.5, b=Infinity, c=-Infinity, d=-Infinity, e=3.0]\n"
                     + "0/lp -> zset exp=-1 [m=-7.0, n=Infinity]\n"
                     + "0/zl -> zset exp=-1 [m=7.0, n=2.5]\n", view(file));
        RdbLoader.Result loaded = load(file);
        assertEquals(view(file), Keyspace.ofDatabases(loaded.databases()).toString());
        assertEquals("listpack", dev.peregrine.storage.Entry.encoding(
                loaded.databases()[0].peek(b("legacy"))), "small sorted sets load as listpack whatever the form");
        refused(new RdbBuilder(11).key(TYPE_ZSET, "z").len(1).str("a").u8(DOUBLE_NAN).end(), "NaN score");
        refused(new RdbBuilder(11).key(TYPE_ZSET, "z").len(1).str("a").u8(3).raw(b("abc")).end(),
                "score \"abc\" is not a number");
        refused(new RdbBuilder(11).key(TYPE_ZSET_2, "z").len(2).str("a").le(0, 8).str("a").le(0, 8).end(),
                "duplicate zset members");
    }

    @Test
    void stringsIntAndLzf() throws IOException {
        byte[] big = b("0123456789".repeat(100));
        byte[] file = new RdbBuilder(11)
                .key(TYPE_STRING, "i8").u8(0xC0).u8(0x85)
                .key(TYPE_STRING, "i16").u8(0xC1).le(-1234, 2)
                .key(TYPE_STRING, "i32").u8(0xC2).le(-123456789, 4)
                .key(TYPE_STRING, "lzf").lzfLiteral(big)
                .u8(TYPE_STRING).u8(0xC0).u8(0x85).str("an int key")
                .end();
        assertEquals("0/-123 -> string exp=-1 [an int key]\n0/i16 -> string exp=-1 [-1234]\n"
                     + "0/i32 -> string exp=-1 [-123456789]\n0/i8 -> string exp=-1 [-123]\n0/lzf -> string exp=-1 ["
                     + Keyspace.s(big) + "]\n", view(file));
        assertEquals(view(file), Keyspace.ofDatabases(load(file).databases()).toString());
        // the LZF string's declared length must match what decompresses
        byte[] bad = new RdbBuilder(11).key(TYPE_STRING, "k").u8(0xC3).len(3).len(5).u8(1).raw(b("ab")).end();
        refused(bad, "invalid LZF-compressed the value of key \"k\": LZF output is 2 bytes, declared 5");
        byte[] backref = new RdbBuilder(11).key(TYPE_STRING, "k").u8(0xC3).len(2).len(4).u8(0x20).u8(5).end();
        refused(backref, "LZF back-reference before the start of the output");
    }

    @Test
    void lzfMatchesTheLibraryEncoder() {
        Random rnd = new Random(3);
        for (int round = 0; round < 200; round++) {
            byte[] raw = new byte[1 + rnd.nextInt(20000)];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) ('a' + rnd.nextInt(1 + round % 5));
            }
            byte[] chunk = LZFEncoder.encode(raw);
            if (chunk.length > raw.length || chunk[2] != 1) {
                continue;
            }
            // a compressed chunk: "ZV", type 1, compressed length (2), raw length (2), then a raw LZF block
            byte[] block = Arrays.copyOfRange(chunk, 7, chunk.length);
            byte[] out = new byte[raw.length];
            assertNull(Lzf.decompress(block, out));
            assertArrayEquals(raw, out);
        }
    }

    @Test
    void opcodesExpiriesAuxFunctionsAndModuleAux() throws IOException {
        List<String> events = new ArrayList<>();
        byte[] file = new RdbBuilder(11)
                .u8(OPCODE_AUX).str("redis-ver").str("7.2.4")
                .u8(OPCODE_FUNCTION2).str("#!lua name=lib\nredis.register_function('f', function() end)")
                .u8(OPCODE_MODULE_AUX).len(moduleId("testmodul", 3)).len(MODULE_OPCODE_UINT).len(2)
                .len(MODULE_OPCODE_SINT).len(5).len(MODULE_OPCODE_STRING).str("opaque")
                .len(MODULE_OPCODE_FLOAT).le(0, 4).len(MODULE_OPCODE_DOUBLE).le(0, 8).len(MODULE_OPCODE_EOF)
                .u8(OPCODE_SELECTDB).len(4).u8(OPCODE_RESIZEDB).len(2).len(1)
                .u8(OPCODE_EXPIRETIME).le(2000000000L, 4).key(TYPE_STRING, "secs").str("v")
                .u8(OPCODE_EXPIRETIME_MS).le(4000000000123L, 8).u8(OPCODE_IDLE).len(100).key(TYPE_STRING, "ms")
                .str("v")
                .u8(OPCODE_FREQ).u8(5).key(TYPE_STRING, "plain").str("v").end();
        new RdbReader(new ByteArrayInputStream(file)).read(new RdbVisitor() {
            @Override
            public void onStart(int version) {
                events.add("start " + version);
            }

            @Override
            public void onAux(byte[] name, byte[] value) {
                events.add("aux " + Keyspace.s(name) + "=" + Keyspace.s(value));
            }

            @Override
            public void onFunction(byte[] code) {
                events.add("function " + Keyspace.s(code).substring(0, 14));
            }

            @Override
            public void onModuleAuxSkipped(String moduleName, int encodingVersion) {
                events.add("module aux " + moduleName + " v" + encodingVersion);
            }

            @Override
            public void onSelectDb(long db) {
                events.add("select " + db);
            }

            @Override
            public void onResizeDb(long keys, long expires) {
                events.add("resize " + keys + " " + expires);
            }

            @Override
            public void onKey(long db, byte[] key, long expireAtMs, RdbValue value) {
                events.add("key " + db + " " + Keyspace.s(key) + " " + expireAtMs);
            }

            @Override
            public void onEnd(boolean checksumVerified) {
                events.add("end " + checksumVerified);
            }
        });
        assertEquals(List.of("start 11", "aux redis-ver=7.2.4", "function #!lua name=lib", "module aux testmodul v3",
                             "select 4", "resize 2 1", "key 4 secs 2000000000000", "key 4 ms 4000000000123",
                             "key 4 plain -1", "end true"), events);
        RdbLoader.Result res = load(file);
        assertEquals(1, res.functions().size());
        assertEquals(3, res.keysLoaded());
    }

    private static long moduleId(String name, int encver) {
        long id = 0;
        for (char c : name.toCharArray()) {
            id = id << 6 | MODULE_NAME_CHARSET.indexOf(c);
        }
        return id << 10 | encver;
    }

    @Test
    void unsupportedTypesAreNamed() {
        // streams are read (StreamRdbTest); a malformed one is refused with the reason
        for (int t : new int[] {TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3}) {
            refused(new RdbBuilder(11).key(t, "s").len(1).str(new byte[3]).end(), "stream node key of 3 bytes");
        }
        refused(new RdbBuilder(11).key(TYPE_MODULE_2, "m").len(moduleId("mymodule1", 1)).end(),
                "module value of module type 'mymodule1' in the value of key \"m\" cannot be loaded");
        refused(new RdbBuilder(11).key(TYPE_MODULE_PRE_GA, "m").end(), "pre-GA");
        refused(new RdbBuilder(11).u8(OPCODE_FUNCTION_PRE_GA).end(), "pre-release function format");
        refused(new RdbBuilder(11).key(8, "x").end(), "unknown record type 8");
        refused(new RdbBuilder(11).key(22, "x").end(), "unknown record type 22");
    }

    @Test
    void headerAndChecksum() throws IOException {
        refused(new RdbBuilder(12).end(), "cannot handle RDB format version 12");
        refused(new RdbBuilder(0).end(), "cannot handle RDB format version 0");
        refused(b("RADIS0011\u00ff"), "not an RDB file");
        refused(b("REDIS00a1\u00ff"), "not four digits");
        byte[] ok = new RdbBuilder(11).key(TYPE_STRING, "k").str("v").end();
        assertTrue(load(ok).checksumVerified());
        byte[] wrong = ok.clone();
        wrong[wrong.length - 1] ^= 1;
        RdbFormatException e = refused(wrong, "wrong RDB checksum");
        assertEquals(ok.length - 8, e.offset());
        byte[] zero = ok.clone();
        Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
        assertFalse(load(zero).checksumVerified());
        assertFalse(load(new RdbBuilder(4).key(TYPE_STRING, "k").str("v").endNoChecksum()).checksumVerified());
        refused(Arrays.copyOf(ok, ok.length - 9), "unexpected end of file reading a record type");
    }

    @Test
    void corruptCompactEncodingsAreRefused() {
        byte[] lp = RdbBuilder.listpack(List.of(b("a"), b("b")));
        byte[] badCount = lp.clone();
        badCount[4] = 3;
        refusedList(badCount, "listpack header counts 3 entries, found 2");
        byte[] badBacklen = lp.clone();
        badBacklen[8] = 5;
        refusedList(badBacklen, "listpack back-length 5 does not match entry length 2");
        byte[] badEnc = lp.clone();
        badEnc[6] = (byte) 0xF5;
        refusedList(badEnc, "unknown listpack entry encoding 0xF5");
        byte[] badTotal = lp.clone();
        badTotal[0]++;
        refusedList(badTotal, "listpack header says");
        byte[] noEnd = lp.clone();
        noEnd[noEnd.length - 1] = 0;
        refusedList(noEnd, "listpack does not end with 0xFF");

        byte[] zl = RdbBuilder.ziplist(List.of(b("a"), b("bb"), 3L));
        byte[] badPrev = zl.clone();
        badPrev[13] = 9;
        refusedZiplist(badPrev, "prevlen 9 does not match previous entry length 3");
        byte[] badTail = zl.clone();
        badTail[4] = 10;
        refusedZiplist(badTail, "ziplist tail offset 10 is not the last entry's");
        byte[] badZlCount = zl.clone();
        badZlCount[8] = 7;
        refusedZiplist(badZlCount, "ziplist header counts 7 entries, found 3");
        byte[] badIntEnc = zl.clone();
        badIntEnc[zl.length - 2] = (byte) 0xC5;
        refusedZiplist(badIntEnc, "unknown ziplist entry encoding 0xC5");
        byte[] overrun = zl.clone();
        overrun[11] = 40;
        refusedZiplist(overrun, "overruns the ziplist");

        refused(new RdbBuilder(11).key(TYPE_SET_INTSET, "s").str(RdbBuilder.intset(2, 5, 3)).end(),
                "intset values are not sorted and distinct");
        refused(new RdbBuilder(11).key(TYPE_SET_INTSET, "s").str(RdbBuilder.intset(3, 5)).end(),
                "intset encoding 3 is not 2, 4 or 8");
        refused(new RdbBuilder(11).key(TYPE_HASH_ZIPLIST, "h").str(RdbBuilder.ziplist(List.of(b("f"), b("v"),
                b("f"), b("w")))).end(), "duplicate hash fields (\"f\")");
        refused(new RdbBuilder(11).key(TYPE_HASH_LISTPACK, "h").str(RdbBuilder.listpack(List.of(b("f")))).end(),
                "odd number of entries");
        refused(new RdbBuilder(11).key(TYPE_SET_LISTPACK, "s").str(RdbBuilder.listpack(List.of(b("x"), b("x"))))
                .end(), "duplicate set members");
        refused(new RdbBuilder(11).key(TYPE_SET, "s").len(2).str("x").str("x").end(), "duplicate set members");
        refused(new RdbBuilder(11).key(TYPE_HASH, "h").len(2).str("x").str("1").str("x").str("2").end(),
                "duplicate hash fields");
        refused(new RdbBuilder(11).key(TYPE_LIST_QUICKLIST_2, "l").len(1).len(3).str("x").end(),
                "unknown quicklist node container 3");
        refused(new RdbBuilder(11).key(TYPE_STRING, "k").u8(0xC5).end(), "unknown string encoding 5");
        refused(new RdbBuilder(11).u8(OPCODE_SELECTDB).u8(0xC0).end(), "found a string encoding marker");
    }

    private static void refusedList(byte[] listpack, String part) {
        refused(new RdbBuilder(11).key(TYPE_LIST_QUICKLIST_2, "l").len(1).len(QUICKLIST_NODE_PACKED).str(listpack)
                        .end(), part);
    }

    private static void refusedZiplist(byte[] ziplist, String part) {
        refused(new RdbBuilder(9).key(TYPE_LIST_ZIPLIST, "l").str(ziplist).end(), part);
    }

    @Test
    void emptyKeysAreSkipped() throws IOException {
        byte[] file = new RdbBuilder(11).key(TYPE_LIST, "l").len(0)
                .key(TYPE_LIST_QUICKLIST_2, "q").len(1).len(QUICKLIST_NODE_PACKED).str(RdbBuilder.listpack(List.of()))
                .key(TYPE_SET_INTSET, "i").str(RdbBuilder.intset(2))
                .key(TYPE_STRING, "kept").str("").end();
        RdbLoader.Result res = load(file);
        assertEquals(3, res.emptySkipped());
        assertEquals(1, res.keysLoaded());
    }

    @Test
    void loaderRefusesDuplicateKeysAndUnknownDatabases() {
        byte[] dup = new RdbBuilder(11).key(TYPE_STRING, "k").str("a").key(TYPE_STRING, "k").str("b").end();
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(dup));
        assertTrue(e.getMessage().contains("duplicate key \"k\" in database 0"), e.getMessage());
        assertEquals(14, e.offset());
        byte[] db = new RdbBuilder(11).u8(OPCODE_SELECTDB).len(16).key(TYPE_STRING, "k").str("a").end();
        e = assertThrows(RdbFormatException.class, () -> load(db));
        assertTrue(e.getMessage().contains("selects database 16 but this server has 16 databases"),
                   e.getMessage());
    }

    @Test
    void hugeDeclaredLengthsFailWithoutAllocating() {
        refused(new RdbBuilder(11).key(TYPE_STRING, "k").len(1L << 40).end(), "is too large");
        refused(new RdbBuilder(11).key(TYPE_STRING, "k").len(2_000_000_000L).raw(b("abc")).end(),
                "of 2000000000 bytes present)");
        refused(new RdbBuilder(11).key(TYPE_LIST, "k").len(1L << 33).end(), "is too large for the length");
        refused(new RdbBuilder(11).key(TYPE_STRING, "k").u8(0xC3).len(1).len(1 << 30).u8(0).end(),
                "cannot come from 1 compressed bytes");
    }
}
