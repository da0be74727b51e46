package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hash.HashLimits;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.list.Listpack;
import dev.peregrine.storage.set.SetLimits;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.ZSetLimits;
import dev.peregrine.storage.zset.ZSetValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static dev.peregrine.persistence.rdb.RdbDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer side, checked against our own reader: every type in every encoding the storage module has, written
 * by {@link RdbFileWriter} and read back by {@link RdbReader} and {@link RdbLoader} to the same content; the RDB
 * type each encoding is written as; string encodings (integer forms, LZF, raw); checksum on and off; DUMP
 * payloads; the deferred output replaying to identical bytes.
 */
class RdbWriterTest {
    static final long NOW = System.currentTimeMillis();
    static final long FUTURE = NOW + 3_600_000;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Expected RDB type per "db/key", filled by {@link #dataset}. */
    static final Map<String, Integer> TYPES = new HashMap<>();

    static void put(Database db, Object entry, int expectedType) {
        byte[] key = Entry.key(entry);
        db.put(key, entry);
        TYPES.put(db.id() + "/" + new String(key, StandardCharsets.ISO_8859_1), expectedType);
        assertEquals(expectedType, RdbEncoder.rdbType(entry), new String(key, StandardCharsets.ISO_8859_1));
    }

    static Object str(String key, byte[] value, long expireAt) {
        return StringEntry.create(b(key), value, expireAt, 0);
    }

    static ListValue list(String key, int fill, int depth, byte[]... values) {
        ListValue l = new ListValue(b(key));
        for (byte[] v : values) {
            l.beforeGrow(v, fill, depth);
            l.push(v, false);
        }
        return l;
    }

    /** Every type and encoding, in databases 0, 3 and 15. */
    static Database[] dataset() {
        Database[] dbs = new Database[16];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = new Database(i);
        }
        Random rnd = new Random(7);
        Database d = dbs[0];
        // strings
        for (String v : new String[] {"0", "100", "-128", "127", "128", "-3000", "32767", "-32769", "2000000000",
                                      "-2147483648", "2147483648", "1099511627776", "-9223372036854775808",
                                      "9223372036854775807", "007", "-0", "+5", " 5", "1.5", "", "hello"}) {
            put(d, str("s:" + v, b(v), Entry.NO_EXPIRE), TYPE_STRING);
        }
        put(d, str("s:compressible", b("abcdefgh".repeat(1000)), Entry.NO_EXPIRE), TYPE_STRING);
        put(d, str("s:21", b("aaaaaaaaaaaaaaaaaaaaa"), Entry.NO_EXPIRE), TYPE_STRING);
        byte[] noise = new byte[3000];
        rnd.nextBytes(noise);
        put(d, str("s:noise", noise, Entry.NO_EXPIRE), TYPE_STRING);
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251 < 100 ? 'x' : rnd.nextInt(256));
        }
        put(d, str("s:big", big, Entry.NO_EXPIRE), TYPE_STRING);
        put(d, str("s:ttl", b("v"), FUTURE), TYPE_STRING);
        put(d, str("s:expired", b("gone"), NOW - 10_000), TYPE_STRING);
        byte[] binKey = new byte[256];
        for (int i = 0; i < 256; i++) {
            binKey[i] = (byte) i;
        }
        put(d, StringEntry.create(binKey, binKey, Entry.NO_EXPIRE, 0), TYPE_STRING);
        // lists
        put(d, list("l:small", -2, 0, b("a"), b("1"), b("-5000"), b("b"), b("12345678901")), TYPE_LIST_QUICKLIST_2);
        byte[][] many = new byte[5000][];
        for (int i = 0; i < many.length; i++) {
            many[i] = b(i % 3 == 0 ? Integer.toString(i * 7919) : "element-" + i + "-" + "z".repeat(i % 40));
        }
        ListValue ql = list("l:quicklist", -2, 0, many);
        assertEquals("quicklist", ql.encoding());
        put(d, ql, TYPE_LIST_QUICKLIST_2);
        ListValue compressed = list("l:compressed", -1, 1, many);
        assertTrue(compressed.compressedNodeCount() > 0);
        put(d, compressed, TYPE_LIST_QUICKLIST_2);
        byte[] large = new byte[20_000];
        Arrays.fill(large, (byte) 'L');
        ListValue plain = list("l:plain", -2, 0, b("head"), large, b("tail"));
        put(d, plain, TYPE_LIST_QUICKLIST_2);
        put(d, list("l:count-fill", 5, 0, many), TYPE_LIST_QUICKLIST_2);
        ListValue lttl = list("l:ttl", -2, 0, b("x"));
        Database.expireAt(lttl, FUTURE + 1);
        put(d, lttl, TYPE_LIST_QUICKLIST_2);
        // hashes
        HashValue hs = HashValue.create(b("h:small"));
        hs.set(b("f1"), b("v1"), HashLimits.DEFAULTS);
        hs.set(b("42"), b("-7"), HashLimits.DEFAULTS);
        hs.set(b("empty"), b(""), HashLimits.DEFAULTS);
        put(d, hs, TYPE_HASH_LISTPACK);
        HashValue hb = HashValue.create(b("h:big"));
        for (int i = 0; i < 1000; i++) {
            hb.set(b("field" + i), b(i % 2 == 0 ? Integer.toString(i) : "value-" + "v".repeat(i % 100)),
                   HashLimits.DEFAULTS);
        }
        assertEquals("hashtable", hb.encoding());
        put(d, hb, TYPE_HASH);
        // sets
        SetValue si = SetValue.create(b("set:ints"), b("1"), 3, SetLimits.DEFAULTS);
        for (String m : new String[] {"5", "-3", "1", "40000", "-70000"}) {
            si.add(b(m), SetLimits.DEFAULTS);
        }
        assertEquals("intset", si.encoding());
        put(d, si, TYPE_SET_INTSET);
        SetValue si64 = SetValue.create(b("set:ints64"), b("1"), 3, SetLimits.DEFAULTS);
        for (String m : new String[] {"9223372036854775807", "-9223372036854775808", "0", "-9223372036854775807"}) {
            si64.add(b(m), SetLimits.DEFAULTS);
        }
        put(d, si64, TYPE_SET_INTSET);
        SetValue sl = SetValue.create(b("set:strings"), b("a"), 3, SetLimits.DEFAULTS);
        for (String m : new String[] {"a", "b", "12", "ccc"}) {
            sl.add(b(m), SetLimits.DEFAULTS);
        }
        assertEquals("listpack", sl.encoding());
        put(d, sl, TYPE_SET);
        SetValue slInts = SetValue.create(b("set:listpack-ints"), b("x"), 3, SetLimits.DEFAULTS);
        for (String m : new String[] {"x", "30", "-2", "7"}) {
            slInts.add(b(m), SetLimits.DEFAULTS);
        }
        slInts.remove(b("x"));
        assertEquals("listpack", slInts.encoding());
        put(d, slInts, TYPE_SET_INTSET);
        SetValue sh = SetValue.create(b("set:big"), b("m"), 2000, SetLimits.DEFAULTS);
        for (int i = 0; i < 2000; i++) {
            sh.add(b(i % 2 == 0 ? "m" + i : Integer.toString(i)), SetLimits.DEFAULTS);
        }
        assertEquals("hashtable", sh.encoding());
        put(d, sh, TYPE_SET);
        // sorted sets
        ZSetValue zl = ZSetValue.create(b("z:small"), 8, 10, ZSetLimits.DEFAULTS);
        double[] scores = {1, 2.5, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, 1e20,
                           4503599627370497.0, -123456789, 0.1};
        for (int i = 0; i < scores.length; i++) {
            zl.insertNew(b(i == 3 ? "42" : "m" + i), scores[i], ZSetLimits.DEFAULTS);
        }
        assertTrue(zl.isListpack());
        put(d, zl, TYPE_ZSET_LISTPACK);
        ZSetValue zs = ZSetValue.create(b("z:big"), 500, 10, ZSetLimits.DEFAULTS);
        for (int i = 0; i < 500; i++) {
            zs.insertNew(b("member" + i), i % 7 == 0 ? i : i / 3.0, ZSetLimits.DEFAULTS);
        }
        assertFalse(zs.isListpack());
        put(d, zs, TYPE_ZSET_2);
        // other databases
        put(dbs[3], str("in3", b("three"), FUTURE), TYPE_STRING);
        put(dbs[15], list("in15", -2, 0, b("x"), b("y")), TYPE_LIST_QUICKLIST_2);
        return dbs;
    }

    static byte[] save(Database[] dbs, boolean compression, boolean checksum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbFileWriter.save(dbs, out, new RdbFileWriter.Options(compression, checksum, "7.2.4", NOW / 1000, 123456));
        return out.toByteArray();
    }

    @Test
    void everyTypeAndEncodingRoundTripsThroughOurReaderAndLoader() throws IOException {
        Database[] dbs = dataset();
        Keyspace expected = Keyspace.ofDatabases(dbs);
        expected.keys.remove("0/s:expired");
        for (boolean compression : new boolean[] {true, false}) {
            byte[] file = save(dbs, compression, true);
            assertEquals("REDIS0010", new String(file, 0, 9, StandardCharsets.US_ASCII));
            assertEquals(expected.toString(), Keyspace.ofReader(file, NOW).toString());
            RdbLoader.Result r = new RdbLoader(RdbLoader.Options.DEFAULTS, NOW, 0)
                    .load(new ByteArrayInputStream(file));
            assertTrue(r.checksumVerified());
            assertEquals(expected.toString(), Keyspace.ofDatabases(r.databases()).toString());
            assertEquals(1, r.expiredSkipped());
            assertEquals("7.2.4", r.aux().get("redis-ver"));
            assertEquals("64", r.aux().get("redis-bits"));
            assertEquals(Long.toString(NOW / 1000), r.aux().get("ctime"));
            assertEquals("123456", r.aux().get("used-mem"));
            assertEquals("0", r.aux().get("aof-base"));
        }
    }

    @Test
    void eachEncodingIsWrittenAsTheTypeRedis70Reads() throws IOException {
        Database[] dbs = dataset();
        byte[] file = save(dbs, true, true);
        Map<String, Integer> seen = new HashMap<>();
        long[] resize = new long[2];
        new RdbReader(new ByteArrayInputStream(file)).read(new RdbVisitor() {
            @Override
            public void onKey(long db, byte[] key, long expireAtMs, RdbValue value) {
                seen.put(db + "/" + new String(key, StandardCharsets.ISO_8859_1), value.rdbType());
            }

            @Override
            public void onResizeDb(long keys, long expires) {
                if (resize[0] == 0) {
                    resize[0] = keys;
                    resize[1] = expires;
                }
            }
        });
        assertEquals(TYPES, seen);
        assertEquals(dbs[0].size(), resize[0]);
        assertEquals(dbs[0].volatileCount(), resize[1]);
    }

    @Test
    void checksumOffWritesZeroAndStillLoads() throws IOException {
        byte[] file = save(dataset(), true, false);
        for (int i = 1; i <= 8; i++) {
            assertEquals(0, file[file.length - i]);
        }
        assertEquals((byte) OPCODE_EOF, file[file.length - 9]);
        RdbLoader.Result r = new RdbLoader(RdbLoader.Options.DEFAULTS, NOW, 0).load(new ByteArrayInputStream(file));
        assertFalse(r.checksumVerified());
        byte[] withSum = save(dataset(), true, true);
        long crc = 0;
        for (int i = 0; i < 8; i++) {
            crc |= (withSum[withSum.length - 8 + i] & 0xffL) << (8 * i);
        }
        assertEquals(dev.peregrine.persistence.Crc64.update(0, withSum, 0, withSum.length - 8), crc);
    }

    @Test
    void aFlippedByteIsCaughtByTheChecksum() throws IOException {
        byte[] file = save(dataset(), true, true);
        file[file.length / 2] ^= 0x01;
        assertThrows(RdbFormatException.class,
                     () -> new RdbLoader(RdbLoader.Options.DEFAULTS, NOW, 0).load(new ByteArrayInputStream(file)));
    }

    // ---------------------------------------------------------------- string encodings

    static byte[] encodeString(byte[] s, boolean compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbStreamOutput out = new RdbStreamOutput(bytes, compression);
        out.writeString(s, 0, s.length);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] hex(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void canonical32BitIntegersTakeTheIntegerForms() throws IOException {
        assertArrayEquals(hex(0xC0, 0), encodeString(b("0"), true));
        assertArrayEquals(hex(0xC0, 100), encodeString(b("100"), true));
        assertArrayEquals(hex(0xC0, 0x80), encodeString(b("-128"), true));
        assertArrayEquals(hex(0xC1, 0x80, 0x00), encodeString(b("128"), true));
        assertArrayEquals(hex(0xC1, 0x48, 0xF4), encodeString(b("-3000"), true));
        assertArrayEquals(hex(0xC2, 0x00, 0x94, 0x35, 0x77), encodeString(b("2000000000"), true));
        assertArrayEquals(hex(0xC2, 0x00, 0x00, 0x00, 0x80), encodeString(b("-2147483648"), true));
        // not canonical, or beyond 32 bits: plain strings
        for (String s : new String[] {"007", "-0", "+1", " 1", "1 ", "2147483648", "-2147483649", "", "1.0"}) {
            byte[] enc = encodeString(b(s), true);
            assertEquals(s.length(), enc[0], s);
            assertEquals(s, new String(enc, 1, enc.length - 1, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void lengthsUseTheSixFourteenAndThirtyTwoBitForms() throws IOException {
        assertEquals(1 + 63, encodeString(new byte[63], false).length);
        byte[] e64 = encodeString(new byte[64], false);
        assertEquals(0x40, e64[0] & 0xff);
        assertEquals(64, e64[1]);
        byte[] e16384 = encodeString(new byte[16384], false);
        assertArrayEquals(hex(0x80, 0, 0, 0x40, 0), Arrays.copyOf(e16384, 5));
    }

    @Test
    void longCompressibleStringsAreLzfWhenCompressionIsOn() throws IOException {
        byte[] s = b("abcdefgh".repeat(100));
        byte[] on = encodeString(s, true);
        assertEquals(0xC3, on[0] & 0xff);
        assertTrue(on.length < 100, "compressed to " + on.length);
        byte[] off = encodeString(s, false);
        assertEquals(2 + s.length, off.length);
        // 20 bytes are never tried, 21 are
        assertEquals(21, encodeString(b("a".repeat(20)), true).length);
        assertEquals(0xC3, encodeString(b("a".repeat(21)), true)[0] & 0xff);
        // incompressible data stays raw
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        assertEquals(0x40 | (5000 >> 8), encodeString(noise, true)[0] & 0xff);
    }

    @Test
    void lzfBlocksDecodeToTheInputForAnyLengthAndContent() {
        LzfCompressor c = new LzfCompressor();
        Random rnd = new Random(3);
        for (int len : new int[] {16, 17, 31, 32, 33, 100, 8191, 8192, 8193, 65535, 65536, 70000, 1_000_000}) {
            for (int kind = 0; kind < 3; kind++) {
                byte[] in = new byte[len + 5];
                for (int i = 0; i < in.length; i++) {
                    in[i] = switch (kind) {
                        case 0 -> (byte) 'a';
                        case 1 -> (byte) rnd.nextInt(256);
                        default -> (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : (i / 7) % 13);
                    };
                }
                byte[] out = new byte[LzfCompressor.maxCompressedLength(len)];
                int clen = c.compress(in, 5, len, out);
                assertTrue(clen > 0 && clen <= out.length);
                byte[] back = new byte[len];
                assertNull(Lzf.decompress(Arrays.copyOf(out, clen), back), len + "/" + kind);
                assertArrayEquals(Arrays.copyOfRange(in, 5, 5 + len), back, len + "/" + kind);
            }
        }
    }

    // ---------------------------------------------------------------- listpack blobs

    @Test
    void listpackBlobsMatchTheStorageListpackByteForByte() {
        ListpackBuilder lpb = new ListpackBuilder();
        Listpack l = new Listpack();
        Random rnd = new Random(5);
        String[] samples = {"0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32768", "32768",
                            "8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
                            "9223372036854775807", "-9223372036854775808", "007", "", "x".repeat(63),
                            "y".repeat(64), "z".repeat(4095), "w".repeat(4096), "q".repeat(20000)};
        for (String s : samples) {
            lpb.add(b(s));
            l.append(b(s));
        }
        for (int i = 0; i < 200; i++) {
            byte[] v = new byte[rnd.nextInt(300)];
            rnd.nextBytes(v);
            lpb.add(v);
            l.append(v);
        }
        int total = lpb.finish();
        byte[] entries = new byte[l.entriesBytes()];
        l.copyEntriesTo(entries, 0);
        assertEquals(total, entries.length + 7);
        assertEquals(total, l.bytes());
        assertArrayEquals(entries, Arrays.copyOfRange(lpb.array(), 6, total - 1));
        assertTrue(l.compress());
        byte[] again = new byte[l.entriesBytes()];
        l.copyEntriesTo(again, 0);
        assertTrue(l.isCompressed());
        assertArrayEquals(entries, again);
        assertEquals(samples.length + 200, (lpb.array()[4] & 0xff) | (lpb.array()[5] & 0xff) << 8);
    }

    // ---------------------------------------------------------------- DUMP payloads

    @Test
    void dumpPayloadsRoundTripEveryValue() throws IOException {
        Database[] dbs = dataset();
        RdbEncoder enc = new RdbEncoder();
        RdbLoader loader = new RdbLoader(RdbLoader.Options.DEFAULTS, NOW, 0);
        Database copy = new Database(0);
        dbs[0].forEach(e -> {
            byte[] p = DumpPayload.create(e, enc, true);
            assertTrue(DumpPayload.verify(p));
            assertEquals(10, DumpPayload.version(p));
            assertEquals(RdbEncoder.rdbType(e), p[0] & 0xff);
            try {
                RdbValue v = DumpPayload.decode(p, Entry.key(e));
                copy.put(Entry.key(e), loader.entry(Entry.key(e), v, Entry.expireAt(e)));
            } catch (RdbFormatException x) {
                throw new AssertionError(x);
            }
        });
        Database[] one = {dbs[0]};
        Database[] other = {copy};
        assertEquals(Keyspace.ofDatabases(one).toString(), Keyspace.ofDatabases(other).toString());
    }

    @Test
    void badPayloadsAreRefused() throws IOException {
        byte[] p = DumpPayload.create(str("k", b("hello world"), Entry.NO_EXPIRE), new RdbEncoder(), true);
        assertTrue(DumpPayload.verify(p));
        assertFalse(DumpPayload.verify(Arrays.copyOf(p, 9)));
        assertFalse(DumpPayload.verify(Arrays.copyOf(p, p.length - 1)));
        byte[] flipped = p.clone();
        flipped[1] ^= 4;
        assertFalse(DumpPayload.verify(flipped));
        // version 12 with a correct checksum is still refused
        byte[] v12 = p.clone();
        v12[v12.length - 10] = 12;
        long crc = dev.peregrine.persistence.Crc64.update(0, v12, 0, v12.length - 8);
        for (int i = 0; i < 8; i++) {
            v12[v12.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        assertFalse(DumpPayload.verify(v12));
        // a well-formed footer around bad contents passes verify and fails decode
        byte[] junk = {(byte) 99, 1, 2, 3, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        long jc = dev.peregrine.persistence.Crc64.update(0, junk, 0, junk.length - 8);
        for (int i = 0; i < 8; i++) {
            junk[junk.length - 8 + i] = (byte) (jc >>> (8 * i));
        }
        assertTrue(DumpPayload.verify(junk));
        assertThrows(RdbFormatException.class, () -> DumpPayload.decode(junk, b("k")));
    }

    // ---------------------------------------------------------------- deferred output

    @Test
    void aDeferredRecordReplaysToTheSameBytesAsDirectWriting() throws IOException {
        Database[] dbs = dataset();
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        RdbStreamOutput d = new RdbStreamOutput(direct, true);
        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        RdbStreamOutput r = new RdbStreamOutput(replayed, true);
        RdbEncoder enc = new RdbEncoder();
        RdbDeferredOutput deferred = new RdbDeferredOutput(16);
        dbs[0].forEach(e -> {
            try {
                enc.writeEntry(e, 5, -1, d); // with an IDLE record, to mix raw and string spans
                enc.writeEntry(e, d);
                deferred.reset();
                enc.writeEntry(e, 5, -1, deferred);
                enc.writeEntry(e, deferred);
                deferred.replayTo(r);
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        d.flush();
        r.flush();
        assertArrayEquals(direct.toByteArray(), replayed.toByteArray());
        assertEquals(d.checksum(), r.checksum());
    }
}
