package dev.peregrine.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.peregrine.persistence.rdb.RdbDescriptor.*;

/**
 * A streaming RDB parser (versions {@value RdbDescriptor#MIN_VERSION} to {@value RdbDescriptor#MAX_VERSION}) that
 * reports what it reads to an {@link RdbVisitor}. Every encoding Redis 7.2 and older wrote is decoded into plain
 * elements ({@link RdbValue}): integer and LZF strings; zipmap, ziplist, listpack and intset blobs; quicklists of
 * ziplists and quicklist-2 nodes (plain and packed); binary and legacy string scores.
 *
 * <p>Every read is bounds-checked and every compact blob is validated deeply before use (see
 * {@link CompactDecoders}); duplicate set members, hash fields and zset members and NaN scores are refused. The
 * CRC-64 at the end is verified when the file has a non-zero one (version 5 and later). Any fault raises an
 * {@link RdbFormatException} naming the byte offset and what was wrong, and nothing after the fault is reported;
 * the visitor must not treat anything as loaded before {@link RdbVisitor#onEnd}. Reading stops after the checksum,
 * so bytes after it (an AOF tail after an RDB preamble) are left unread.
 *
 * <p>Not supported, refused with a clear error: module values (types 6, 7), pre-GA
 * function records. Module auxiliary data is skipped (its values are self-describing) and reported to
 * {@link RdbVisitor#onModuleAuxSkipped}. LRU idle times and LFU counters are read and ignored.
 *
 * <p>Single-threaded: one reader per file, used on the calling thread.
 */
public final class RdbReader {
    private final RdbInput in;
    private long keyOffset = -1;
    private int version;
    /** Set by {@link #lengthOrEncoding}: the prefix just read was a special string encoding. */
    private boolean encoded;

    /** A reader over {@code in}, which it buffers itself; the caller closes the stream. */
    public RdbReader(InputStream in) {
        this.in = new RdbInput(in);
    }

    /** Offset in the file of the record of the key being reported (for a visitor's own errors), -1 before any. */
    public long keyOffset() {
        return keyOffset;
    }

    /**
     * Bytes of the file consumed so far; after a successful {@link #read}, the length of the RDB part (an AOF
     * with an RDB preamble continues there). The reader buffers ahead, so the stream itself may be further on.
     */
    public long offset() {
        return in.offset();
    }

    /** The file's RDB version, 0 before the header was read. */
    public int version() {
        return version;
    }

    /**
     * Reads the whole file, reporting to {@code visitor}.
     *
     * @throws RdbFormatException the file is corrupt, truncated, or holds something not supported
     * @throws IOException the stream failed, or the visitor threw
     */
    public void read(RdbVisitor visitor) throws IOException {
        try {
            readFile(visitor);
        } catch (RuntimeException e) {
            throw new RdbFormatException(in.offset(), "unexpected fault while reading: " + e);
        }
    }

    /**
     * Reads one object with no key record around it: a value type byte and the value, the body of a DUMP
     * payload. Bytes after the value are left unread (Redis's RESTORE ignores them too).
     *
     * @param key the key the value will belong to, named in error messages
     * @return the value, or null when it holds no element (RESTORE refuses such a payload)
     * @throws RdbFormatException the bytes do not hold a valid value of a supported type
     */
    public RdbValue readObject(byte[] key) throws IOException {
        try {
            long at = in.offset();
            int type = in.u8("a value type");
            if (type > TYPE_MAX || type == 8) {
                throw new RdbFormatException(at, "unknown value type " + type);
            }
            keyOffset = at;
            return readValue(type, key);
        } catch (RuntimeException e) {
            throw new RdbFormatException(in.offset(), "unexpected fault while reading: " + e);
        }
    }

    private void readFile(RdbVisitor visitor) throws IOException {
        byte[] header = in.bytes(HEADER_LENGTH, "the RDB header");
        for (int i = 0; i < MAGIC.length; i++) {
            if (header[i] != MAGIC[i]) {
                throw new RdbFormatException(0, "not an RDB file: it does not start with \"REDIS\"");
            }
        }
        int v = 0;
        for (int i = MAGIC.length; i < HEADER_LENGTH; i++) {
            if (header[i] < '0' || header[i] > '9') {
                throw new RdbFormatException(i, "RDB version is not four digits");
            }
            v = v * 10 + (header[i] - '0');
        }
        if (v < MIN_VERSION || v > MAX_VERSION) {
            throw new RdbFormatException(MAGIC.length, "cannot handle RDB format version " + v + " (supported: "
                                                       + MIN_VERSION + " to " + MAX_VERSION + ")");
        }
        version = v;
        visitor.onStart(v);
        long db = 0;
        long expireAt = -1;
        while (true) {
            long recordOffset = in.offset();
            int type = in.u8("a record type");
            switch (type) {
                case OPCODE_EXPIRETIME -> {
                    expireAt = in.le(4, "an expire time in seconds") * 1000;
                    continue;
                }
                case OPCODE_EXPIRETIME_MS -> {
                    expireAt = in.le(8, "an expire time in ms");
                    continue;
                }
                case OPCODE_IDLE -> {
                    readLength("an LRU idle time");
                    continue;
                }
                case OPCODE_FREQ -> {
                    in.u8("an LFU counter");
                    continue;
                }
                case OPCODE_SELECTDB -> {
                    db = readLength("a database number");
                    visitor.onSelectDb(db);
                    continue;
                }
                case OPCODE_RESIZEDB -> {
                    long keys = readLength("the RESIZEDB key count");
                    long expires = readLength("the RESIZEDB expires count");
                    visitor.onResizeDb(keys, expires);
                    continue;
                }
                case OPCODE_AUX -> {
                    byte[] name = readString("an AUX field name");
                    byte[] value = readString("an AUX field value");
                    visitor.onAux(name, value);
                    continue;
                }
                case OPCODE_MODULE_AUX -> {
                    skipModuleAux(recordOffset, visitor);
                    continue;
                }
                case OPCODE_FUNCTION_PRE_GA -> throw new RdbFormatException(recordOffset,
                        "pre-release function format (opcode 0xF6) is not supported");
                case OPCODE_FUNCTION2 -> {
                    visitor.onFunction(readString("a function library"));
                    continue;
                }
                case OPCODE_EOF -> {
                    finish(visitor);
                    return;
                }
                default -> {
                }
            }
            if (type > TYPE_MAX || type == 8) {
                throw new RdbFormatException(recordOffset, "unknown record type " + type);
            }
            keyOffset = recordOffset;
            byte[] key = readString("a key");
            RdbValue value = readValue(type, key);
            if (value == null) {
                visitor.onEmptyKeySkipped(db, key, type);
            } else {
                visitor.onKey(db, key, expireAt, value);
            }
            expireAt = -1;
        }
    }

    private void finish(RdbVisitor visitor) throws IOException {
        boolean verified = false;
        if (version >= FIRST_VERSION_WITH_CHECKSUM) {
            long expected = in.crc();
            long at = in.offset();
            long stored = in.le(8, "the CRC-64 checksum");
            if (stored != 0) {
                if (stored != expected) {
                    throw new RdbFormatException(at, String.format(
                            "wrong RDB checksum: file says %016x, content gives %016x", stored, expected));
                }
                verified = true;
            }
        }
        visitor.onEnd(verified);
    }

    // ---------------------------------------------------------------- primitives

    /**
     * Reads the length prefix shared by lengths and strings: returns the length (unsigned when 64-bit), or, when
     * the first byte marks a special string encoding, sets {@link #encoded} and returns the encoding number.
     */
    private long lengthOrEncoding(String what) throws IOException {
        long at = in.offset();
        int b = in.u8(what);
        encoded = false;
        switch (b >>> 6) {
            case LEN_6BIT:
                return b & 0x3f;
            case LEN_14BIT:
                return (b & 0x3f) << 8 | in.u8(what);
            case ENCVAL:
                encoded = true;
                return b & 0x3f;
            default:
                if (b == LEN_32BIT) {
                    return in.be(4, what);
                } else if (b == LEN_64BIT) {
                    return in.be(8, what);
                }
                throw new RdbFormatException(at, String.format("unknown length encoding 0x%02X for %s", b, what));
        }
    }

    /** A plain length (any of the 6/14/32/64-bit forms); an encoded-string marker here is an error. */
    long readLength(String what) throws IOException {
        long at = in.offset();
        long n = lengthOrEncoding(what);
        if (encoded) {
            throw new RdbFormatException(at, "expected the length of " + what + ", found a string encoding marker");
        }
        return n;
    }

    /** A length that must fit a Java collection. */
    private int readCount(String what) throws IOException {
        long at = in.offset();
        long n = readLength(what);
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException(at, Long.toUnsignedString(n) + " is too large for " + what);
        }
        return (int) n;
    }

    /** A string in any of its forms: raw, INT8/16/32 (returned in decimal), or LZF-compressed. */
    /**
     * Reads FUNCTION2 records (opcode and library source) up to the end of the input: the body of a FUNCTION DUMP
     * payload.
     *
     * @throws RdbFormatException a record of another type, or a malformed string
     */
    public java.util.List<byte[]> readFunctionRecords() throws IOException {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        while (!in.atEnd()) {
            long at = in.offset();
            if (in.u8("an opcode") != OPCODE_FUNCTION2) {
                throw new RdbFormatException(at, "given type is not a function");
            }
            out.add(readString("a function library"));
        }
        return out;
    }

    byte[] readString(String what) throws IOException {
        long at = in.offset();
        long n = lengthOrEncoding(what);
        if (!encoded) {
            return in.bytes(n, what);
        }
        switch ((int) n) {
            case ENC_INT8:
                return CompactDecoders.decimal((byte) in.u8(what));
            case ENC_INT16:
                return CompactDecoders.decimal((short) in.le(2, what));
            case ENC_INT32:
                return CompactDecoders.decimal((int) in.le(4, what));
            case ENC_LZF:
                return readLzf(at, what);
            default:
                throw new RdbFormatException(at, "unknown string encoding " + n + " for " + what);
        }
    }

    /** The body of an LZF string (its 0xC3 marker at {@code at} already read). */
    private byte[] readLzf(long at, String what) throws IOException {
        long clen = readLength("the compressed length of " + what);
        long rawLen = readLength("the length of " + what);
        long dataAt = in.offset();
        byte[] compressed = in.bytes(clen, "LZF data of " + what);
        if (rawLen > Integer.MAX_VALUE - 16 || rawLen < 0) {
            throw new RdbFormatException(at, "LZF length " + Long.toUnsignedString(rawLen) + " of " + what
                                             + " is too large");
        }
        if (rawLen > 0 && clen == 0) {
            throw new RdbFormatException(dataAt, "LZF data of " + what + " is empty");
        }
        // An LZF block expands at most about 90 times: refuse absurd lengths before allocating them.
        if (rawLen > (clen + 1) * 256) {
            throw new RdbFormatException(at, "LZF length " + rawLen + " of " + what + " cannot come from " + clen
                                             + " compressed bytes");
        }
        byte[] out = new byte[(int) rawLen];
        String err = Lzf.decompress(compressed, out);
        if (err != null) {
            throw new RdbFormatException(dataAt, "invalid LZF-compressed " + what + ": " + err);
        }
        return out;
    }

    private double readBinaryDouble(String what) throws IOException {
        return Double.longBitsToDouble(in.le(8, what));
    }

    private double readStringDouble(String what) throws IOException {
        long at = in.offset();
        int len = in.u8(what);
        switch (len) {
            case DOUBLE_NAN:
                return Double.NaN;
            case DOUBLE_POS_INF:
                return Double.POSITIVE_INFINITY;
            case DOUBLE_NEG_INF:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] s = in.bytes(len, what);
                double d = parseDouble(s);
                if (d != d && !isNanText(s)) {
                    throw new RdbFormatException(at, "score \"" + ascii(s) + "\" is not a number");
                }
                return d;
        }
    }

    private static boolean isNanText(byte[] s) {
        String t = ascii(s).trim().toLowerCase(Locale.ROOT);
        return t.equals("nan") || t.equals("+nan") || t.equals("-nan");
    }

    /** Parses a score as C's strtod would for the forms Redis writes: decimal, "inf", "-inf", "nan". */
    static double parseDouble(byte[] s) {
        String t = ascii(s).trim();
        String l = t.toLowerCase(Locale.ROOT);
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan":
                return Double.NaN;
            default:
                break;
        }
        if (t.isEmpty() || !isDecimal(l)) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean isDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != '-' && c != '+') {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] s) {
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- values

    /** Reads one value of {@code type}; null when it holds no element (an empty key, skipped as Redis does). */
    private RdbValue readValue(int type, byte[] key) throws IOException {
        long at = in.offset();
        String what = "the value of key \"" + printable(key) + "\"";
        switch (type) {
            case TYPE_STRING:
                return RdbValue.string(readString(what));
            case TYPE_LIST: {
                int n = readCount("the length of " + what);
                List<byte[]> out = new ArrayList<>(Math.min(n, 4096));
                for (int i = 0; i < n; i++) {
                    out.add(readString("an element of " + what));
                }
                return n == 0 ? null : RdbValue.collection(RdbValue.Kind.LIST, type, out);
            }
            case TYPE_SET: {
                int n = readCount("the length of " + what);
                List<byte[]> out = new ArrayList<>(Math.min(n, 4096));
                for (int i = 0; i < n; i++) {
                    out.add(readString("a member of " + what));
                }
                return collection(RdbValue.Kind.SET, type, out, 1, at, what);
            }
            case TYPE_ZSET, TYPE_ZSET_2: {
                int n = readCount("the length of " + what);
                List<byte[]> members = new ArrayList<>(Math.min(n, 4096));
                double[] scores = new double[Math.min(n, 4096)];
                for (int i = 0; i < n; i++) {
                    members.add(readString("a member of " + what));
                    long scoreAt = in.offset();
                    double s = type == TYPE_ZSET ? readStringDouble("a score of " + what)
                                                 : readBinaryDouble("a score of " + what);
                    if (Double.isNaN(s)) {
                        throw new RdbFormatException(scoreAt, "NaN score in " + what);
                    }
                    if (i == scores.length) {
                        scores = Arrays.copyOf(scores, Math.min(n, scores.length * 2));
                    }
                    scores[i] = s;
                }
                return zset(type, members, scores, at, what);
            }
            case TYPE_HASH: {
                int n = readCount("the length of " + what);
                List<byte[]> out = new ArrayList<>(Math.min(n, 2048) * 2);
                for (int i = 0; i < n; i++) {
                    out.add(readString("a field of " + what));
                    out.add(readString("a field value of " + what));
                }
                return collection(RdbValue.Kind.HASH, type, out, 2, at, what);
            }
            case TYPE_MODULE_PRE_GA:
                throw new RdbFormatException(keyOffset, "module value with pre-GA RDB encoding in " + what
                                                     + " is not supported");
            case TYPE_MODULE_2: {
                long id = readLength("the module id of " + what);
                throw new RdbFormatException(at, "module value of module type '" + moduleName(id) + "' in " + what
                                                 + " cannot be loaded: modules are not supported");
            }
            case TYPE_HASH_ZIPMAP: {
                List<byte[]> e = CompactDecoders.zipmap(readString(what), at, "zipmap of " + what);
                return collection(RdbValue.Kind.HASH, type, e, 2, at, what);
            }
            case TYPE_LIST_ZIPLIST: {
                List<byte[]> e = CompactDecoders.ziplist(readString(what), at, "ziplist of " + what);
                return e.isEmpty() ? null : RdbValue.collection(RdbValue.Kind.LIST, type, e);
            }
            case TYPE_SET_INTSET: {
                List<byte[]> e = CompactDecoders.intset(readString(what), at, "intset of " + what);
                return e.isEmpty() ? null : RdbValue.collection(RdbValue.Kind.SET, type, e);
            }
            case TYPE_SET_LISTPACK: {
                List<byte[]> e = CompactDecoders.listpack(readString(what), at, "listpack of " + what);
                return collection(RdbValue.Kind.SET, type, e, 1, at, what);
            }
            case TYPE_ZSET_ZIPLIST, TYPE_ZSET_LISTPACK: {
                List<byte[]> e = type == TYPE_ZSET_ZIPLIST
                        ? CompactDecoders.ziplist(readString(what), at, "ziplist of " + what)
                        : CompactDecoders.listpack(readString(what), at, "listpack of " + what);
                if (e.size() % 2 != 0) {
                    throw new RdbFormatException(at, "odd number of entries (" + e.size() + ") in " + what);
                }
                List<byte[]> members = new ArrayList<>(e.size() / 2);
                double[] scores = new double[e.size() / 2];
                for (int i = 0; i < e.size(); i += 2) {
                    members.add(e.get(i));
                    double s = parseDouble(e.get(i + 1));
                    if (Double.isNaN(s)) {
                        throw new RdbFormatException(at, "score \"" + ascii(e.get(i + 1)) + "\" of " + what
                                                         + " is not a number");
                    }
                    scores[i / 2] = s;
                }
                return zset(type, members, scores, at, what);
            }
            case TYPE_HASH_ZIPLIST, TYPE_HASH_LISTPACK: {
                List<byte[]> e = type == TYPE_HASH_ZIPLIST
                        ? CompactDecoders.ziplist(readString(what), at, "ziplist of " + what)
                        : CompactDecoders.listpack(readString(what), at, "listpack of " + what);
                return collection(RdbValue.Kind.HASH, type, e, 2, at, what);
            }
            case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2: {
                int nodes = readCount("the node count of " + what);
                List<byte[]> out = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    int container = QUICKLIST_NODE_PACKED;
                    if (type == TYPE_LIST_QUICKLIST_2) {
                        long cAt = in.offset();
                        long c = readLength("a quicklist node container of " + what);
                        if (c != QUICKLIST_NODE_PLAIN && c != QUICKLIST_NODE_PACKED) {
                            throw new RdbFormatException(cAt, "unknown quicklist node container " + c + " in "
                                                              + what);
                        }
                        container = (int) c;
                    }
                    long nodeAt = in.offset();
                    byte[] node = readString("a quicklist node of " + what);
                    if (container == QUICKLIST_NODE_PLAIN) {
                        out.add(node);
                    } else if (type == TYPE_LIST_QUICKLIST) {
                        out.addAll(CompactDecoders.ziplist(node, nodeAt, "quicklist node " + i + " of " + what));
                    } else {
                        out.addAll(CompactDecoders.listpack(node, nodeAt, "quicklist node " + i + " of " + what));
                    }
                }
                return out.isEmpty() ? null : RdbValue.collection(RdbValue.Kind.LIST, type, out);
            }
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3:
                return RdbValue.stream(type, readStream(type, key, at, what));
            default:
                throw new RdbFormatException(keyOffset, "unknown value type " + type);
        }
    }

    /** A set or hash value after checking its members (stride 1) or fields (stride 2) are distinct. */
    /**
     * A stream of type 15, 19 or 21 (Redis's rdbLoadObject): nodes (16-byte master ID string, listpack string),
     * length, last ID; from 19 on the first ID, largest deleted ID and entries added; groups with name, last ID,
     * (from 19) entries read, PEL (raw 16-byte ID, u64le delivery time, delivery count) and consumers (name, u64le
     * seen time, from 21 u64le active time, PEL IDs that must be in the group PEL). Type 15 derives the newer
     * counters as Redis does.
     */
    private dev.peregrine.storage.stream.StreamValue readStream(int type, byte[] key, long at, String what)
            throws IOException {
        dev.peregrine.storage.stream.StreamValue s = new dev.peregrine.storage.stream.StreamValue(key);
        long nodes = readLength("the node count of " + what);
        for (long i = 0; i < nodes; i++) {
            long nodeAt = in.offset();
            byte[] master = readString("a node ID of " + what);
            if (master.length != 16) {
                throw new RdbFormatException(nodeAt, "stream node key of " + master.length + " bytes in " + what);
            }
            byte[] blob = readString("a node of " + what);
            List<byte[]> elements = CompactDecoders.listpack(blob, nodeAt, "listpack of " + what);
            if (elements.isEmpty()) {
                throw new RdbFormatException(nodeAt, "empty listpack inside " + what);
            }
            dev.peregrine.storage.list.Listpack lp = new dev.peregrine.storage.list.Listpack();
            for (byte[] e : elements) {
                lp.append(e);
            }
            try {
                s.loadNode(dev.peregrine.storage.stream.StreamId.fromKeyBytes(master), lp);
            } catch (IllegalArgumentException e) {
                throw new RdbFormatException(nodeAt, e.getMessage() + " in " + what);
            }
        }
        long length = readLength("the length of " + what);
        if (length != s.length()) {
            throw new RdbFormatException(at, "stream length " + length + " does not match its entries (" + s.length()
                    + ") in " + what);
        }
        s.lastId(readId("the last ID of " + what));
        s.loadFinished();
        if (type >= TYPE_STREAM_LISTPACKS_2) {
            readId("the first ID of " + what);
            s.maxDeletedId(readId("the max deleted ID of " + what));
            s.entriesAdded(readLength("the entries added of " + what));
        } else {
            s.entriesAdded(s.length());
        }
        long groups = readLength("the group count of " + what);
        for (long g = 0; g < groups; g++) {
            byte[] name = readString("a group name of " + what);
            dev.peregrine.storage.stream.StreamId last = readId("a group's last ID in " + what);
            long entriesRead;
            if (type >= TYPE_STREAM_LISTPACKS_2) {
                entriesRead = readLength("a group's entries read in " + what);
            } else {
                entriesRead = s.estimateDistanceFromFirstEverEntry(last);
            }
            dev.peregrine.storage.stream.ConsumerGroup cg = s.createGroup(name, last, entriesRead);
            if (cg == null) {
                throw new RdbFormatException(at, "duplicate group name in " + what);
            }
            long pel = readLength("a group PEL size in " + what);
            for (long k = 0; k < pel; k++) {
                dev.peregrine.storage.stream.StreamId id = dev.peregrine.storage.stream.StreamId.fromKeyBytes(
                        in.bytes(16, "a PEL ID in " + what));
                long time = in.le(8, "a delivery time in " + what);
                long count = readLength("a delivery count in " + what);
                if (cg.pel.put(id, new dev.peregrine.storage.stream.Nack(null, time, count)) != null) {
                    throw new RdbFormatException(at, "duplicate PEL ID in " + what);
                }
            }
            long consumers = readLength("a consumer count in " + what);
            for (long k = 0; k < consumers; k++) {
                byte[] cname = readString("a consumer name in " + what);
                long seen = in.le(8, "a consumer seen time in " + what);
                dev.peregrine.storage.stream.Consumer c = cg.createConsumer(cname, seen);
                if (c == null) {
                    throw new RdbFormatException(at, "duplicate consumer name in " + what);
                }
                c.activeTime = type >= TYPE_STREAM_LISTPACKS_3 ? in.le(8, "a consumer active time in " + what)
                        : seen;
                long cpel = readLength("a consumer PEL size in " + what);
                for (long q = 0; q < cpel; q++) {
                    dev.peregrine.storage.stream.StreamId id = dev.peregrine.storage.stream.StreamId.fromKeyBytes(
                            in.bytes(16, "a consumer PEL ID in " + what));
                    dev.peregrine.storage.stream.Nack n = cg.pel.get(id);
                    if (n == null || n.consumer != null) {
                        throw new RdbFormatException(at, "consumer PEL ID not in the group PEL in " + what);
                    }
                    n.consumer = c;
                    c.pel.put(id, n);
                }
            }
            for (dev.peregrine.storage.stream.Nack n : cg.pel.values()) {
                if (n.consumer == null) {
                    throw new RdbFormatException(at, "group PEL entry owned by no consumer in " + what);
                }
            }
        }
        return s;
    }

    private dev.peregrine.storage.stream.StreamId readId(String what) throws IOException {
        long ms = readLength(what);
        long seq = readLength(what);
        return new dev.peregrine.storage.stream.StreamId(ms, seq);
    }

    private static RdbValue collection(RdbValue.Kind kind, int type, List<byte[]> e, int stride, long at,
                                       String what) throws RdbFormatException {
        if (e.size() % stride != 0) {
            throw new RdbFormatException(at, "odd number of entries (" + e.size() + ") in " + what);
        }
        if (e.isEmpty()) {
            return null;
        }
        checkDistinct(e, stride, at, kind == RdbValue.Kind.HASH ? "hash fields" : "set members", what);
        return RdbValue.collection(kind, type, e);
    }

    private static RdbValue zset(int type, List<byte[]> members, double[] scores, long at, String what)
            throws RdbFormatException {
        if (members.isEmpty()) {
            return null;
        }
        checkDistinct(members, 1, at, "zset members", what);
        double[] s = scores.length == members.size() ? scores : Arrays.copyOf(scores, members.size());
        return RdbValue.zset(type, members, s);
    }

    private static void checkDistinct(List<byte[]> e, int stride, long at, String kind, String what)
            throws RdbFormatException {
        Set<ByteBuffer> seen = new HashSet<>(Math.max(16, e.size() / stride * 2));
        for (int i = 0; i < e.size(); i += stride) {
            if (!seen.add(ByteBuffer.wrap(e.get(i)))) {
                throw new RdbFormatException(at, "duplicate " + kind + " (\"" + printable(e.get(i)) + "\") in "
                                                 + what);
            }
        }
    }

    // ---------------------------------------------------------------- modules

    private void skipModuleAux(long recordOffset, RdbVisitor visitor) throws IOException {
        long id = readLength("a module id");
        long whenOpcodeAt = in.offset();
        long whenOpcode = readLength("a module aux when-opcode");
        if (whenOpcode != MODULE_OPCODE_UINT) {
            throw new RdbFormatException(whenOpcodeAt, "module aux of '" + moduleName(id)
                                                       + "' has a bad when-opcode " + whenOpcode);
        }
        readLength("a module aux when");
        skipModuleValues("the aux data of module '" + moduleName(id) + "'");
        visitor.onModuleAuxSkipped(moduleName(id), (int) (id & 1023));
    }

    /** Skips opcode-tagged module values up to the module EOF opcode. */
    private void skipModuleValues(String what) throws IOException {
        while (true) {
            long at = in.offset();
            long op = readLength("a module value opcode in " + what);
            if (op == MODULE_OPCODE_EOF) {
                return;
            } else if (op == MODULE_OPCODE_SINT || op == MODULE_OPCODE_UINT) {
                readLength("an integer in " + what);
            } else if (op == MODULE_OPCODE_FLOAT) {
                in.skip(4, "a float in " + what);
            } else if (op == MODULE_OPCODE_DOUBLE) {
                in.skip(8, "a double in " + what);
            } else if (op == MODULE_OPCODE_STRING) {
                readString("a string in " + what);
            } else {
                throw new RdbFormatException(at, "unknown module value opcode " + op + " in " + what);
            }
        }
    }

    /** The 9-character type name packed in the top 54 bits of a module id. */
    static String moduleName(long id) {
        char[] name = new char[9];
        long bits = id >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = MODULE_NAME_CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }

    /** A key or member for messages: printable ASCII as is, other bytes as \xNN, cut after 64 bytes. */
    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 64); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > 64) {
            sb.append("...");
        }
        return sb.toString();
    }
}
