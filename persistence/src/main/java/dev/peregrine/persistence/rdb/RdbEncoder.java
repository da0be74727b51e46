package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Entry;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.list.Listpack;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.stream.Consumer;
import dev.peregrine.storage.stream.ConsumerGroup;
import dev.peregrine.storage.stream.Nack;
import dev.peregrine.storage.stream.StreamId;
import dev.peregrine.storage.stream.StreamValue;
import dev.peregrine.storage.zset.ZSetValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.peregrine.persistence.rdb.RdbDescriptor.*;

/**
 * Encodes one keyspace entry (a {@link StringEntry} array or a list, hash, set or sorted set value) in the RDB
 * format through an {@link RdbOutput}, as Redis 7.0's {@code rdbSaveKeyValuePair} / {@code rdbSaveObject} lay it
 * out; the format is described in {@code docs/spec/rdb.md} and the constants are in {@link RdbDescriptor}.
 *
 * <h2>Shapes</h2>
 * <pre>
 *  writeEntry:   [0xFC expire-ms u64le] [0xF8 idle-seconds length] [0xF9 lfu u8] type key value
 *  writeObject:  type value                        (the body of a DUMP payload)
 *  writeValue:   value
 * </pre>
 * Only encodings RDB version 10 (Redis 7.0) defines are written, so the output loads in Redis 7.0, 7.2 and
 * Valkey 8:
 * <table>
 * <caption>value encodings</caption>
 * <tr><th>value, encoding</th><th>type</th><th>value bytes</th></tr>
 * <tr><td>string</td><td>STRING (0)</td><td>one string</td></tr>
 * <tr><td>list, any</td><td>LIST_QUICKLIST_2 (18)</td><td>node count, then per node container 2 and a listpack
 * string (a listpack-encoded list is one node), or container 1 and the element (a plain node)</td></tr>
 * <tr><td>hash, listpack</td><td>HASH_LISTPACK (16)</td><td>a listpack string: field, value, ...</td></tr>
 * <tr><td>hash, hashtable</td><td>HASH (4)</td><td>field count, then field and value strings</td></tr>
 * <tr><td>set, intset; or listpack of integers only</td><td>SET_INTSET (11)</td><td>an intset string, values
 * ascending at the narrowest width</td></tr>
 * <tr><td>set, listpack with a non-integer; hashtable</td><td>SET (2)</td><td>member count, then member
 * strings (SET_LISTPACK is version 11 only)</td></tr>
 * <tr><td>zset, listpack</td><td>ZSET_LISTPACK (17)</td><td>a listpack string: member, score, ... ascending;
 * scores as decimal text (integers as integer entries)</td></tr>
 * <tr><td>zset, skiplist</td><td>ZSET_2 (5)</td><td>member count, then member strings each followed by a
 * binary double, highest score first (as Redis, so a loader appends at the head)</td></tr>
 * </table>
 * Every string (keys, values, members, fields, blobs) is handed to {@link RdbOutput#writeString}, which chooses
 * its encoding; everything else goes through {@link RdbOutput#writeByte} / {@link RdbOutput#writeBytes} /
 * {@link RdbOutput#writeLength}.
 *
 * <p>Reads the value without changing it: compressed quicklist nodes are decompressed into a scratch buffer, not
 * in place. Executor-only for entries in the keyspace (the value must not change during the call); one encoder
 * per thread (it keeps scratch buffers). Failures of the output propagate as {@link IOException}.
 */
public final class RdbEncoder {
    private final ListpackBuilder lp = new ListpackBuilder();
    private byte[] scratch = new byte[1024];

    /** The RDB type byte {@link #writeObject} writes for {@code entry}. */
    public static int rdbType(Object entry) {
        if (entry instanceof byte[]) {
            return TYPE_STRING;
        }
        if (entry instanceof ListValue) {
            return TYPE_LIST_QUICKLIST_2;
        }
        if (entry instanceof HashValue h) {
            return h.isListpack() ? TYPE_HASH_LISTPACK : TYPE_HASH;
        }
        if (entry instanceof SetValue s) {
            return switch (s.encoding()) {
                case "intset" -> TYPE_SET_INTSET;
                case "listpack" -> allIntegers(s) ? TYPE_SET_INTSET : TYPE_SET;
                default -> TYPE_SET;
            };
        }
        if (entry instanceof ZSetValue z) {
            return z.isListpack() ? TYPE_ZSET_LISTPACK : TYPE_ZSET_2;
        }
        if (entry instanceof StreamValue) {
            return TYPE_STREAM_LISTPACKS_2;
        }
        throw new IllegalArgumentException("no RDB encoding for a value of type " + Entry.type(entry));
    }

    /** {@link #writeEntry(Object, long, int, RdbOutput)} without LRU idle time or LFU counter. */
    public void writeEntry(Object entry, RdbOutput out) throws IOException {
        writeEntry(entry, -1, -1, out);
    }

    /**
     * Writes one key record: its expiry (EXPIRETIME_MS, when it has one), the LRU idle time and LFU counter when
     * given (Redis writes the first under an LRU {@code maxmemory-policy}, the second under an LFU one), then the
     * type, the key and the value.
     *
     * @param lruIdleSeconds seconds since last access, or -1 to write none
     * @param lfuCounter the LFU counter 0..255, or -1 to write none
     */
    public void writeEntry(Object entry, long lruIdleSeconds, int lfuCounter, RdbOutput out) throws IOException {
        long expireAt = Entry.expireAt(entry);
        if (expireAt != Entry.NO_EXPIRE) {
            out.writeByte(OPCODE_EXPIRETIME_MS);
            out.writeLongLE(expireAt);
        }
        if (lruIdleSeconds >= 0) {
            out.writeByte(OPCODE_IDLE);
            out.writeLength(lruIdleSeconds);
        }
        if (lfuCounter >= 0) {
            out.writeByte(OPCODE_FREQ);
            out.writeByte(lfuCounter);
        }
        int type = rdbType(entry);
        out.writeByte(type);
        if (entry instanceof byte[] s) {
            out.writeString(s, StringEntry.keyOffset(s), StringEntry.keyLength(s));
        } else {
            out.writeString(Entry.key(entry));
        }
        writeValue(type, entry, out);
    }

    /** Writes the type byte and the value: the part of a DUMP payload before its version and checksum. */
    public void writeObject(Object entry, RdbOutput out) throws IOException {
        int type = rdbType(entry);
        out.writeByte(type);
        writeValue(type, entry, out);
    }

    /** Writes the value alone, in the form {@link #rdbType} names. */
    public void writeValue(Object entry, RdbOutput out) throws IOException {
        writeValue(rdbType(entry), entry, out);
    }

    private void writeValue(int type, Object entry, RdbOutput out) throws IOException {
        try {
            switch (type) {
                case TYPE_STRING -> {
                    byte[] s = (byte[]) entry;
                    out.writeString(s, StringEntry.valueOffset(s), StringEntry.valueLength(s));
                }
                case TYPE_LIST_QUICKLIST_2 -> writeList((ListValue) entry, out);
                case TYPE_HASH_LISTPACK -> writeHashListpack((HashValue) entry, out);
                case TYPE_HASH -> writeHash((HashValue) entry, out);
                case TYPE_SET_INTSET -> writeIntset((SetValue) entry, out);
                case TYPE_SET -> writeSet((SetValue) entry, out);
                case TYPE_ZSET_LISTPACK -> writeZSetListpack((ZSetValue) entry, out);
                case TYPE_ZSET_2 -> writeZSet((ZSetValue) entry, out);
                case TYPE_STREAM_LISTPACKS_2 -> writeStream((StreamValue) entry, out);
                default -> throw new IllegalStateException("unexpected type " + type);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ---------------------------------------------------------------- lists

    private void writeList(ListValue list, RdbOutput out) throws IOException {
        out.writeLength(list.nodeCount());
        list.forEachNode((node, plain) -> {
            try {
                writeNode(node, plain, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void writeNode(Listpack node, boolean plain, RdbOutput out) throws IOException {
        int entries = node.entriesBytes();
        int total = entries + Listpack.OVERHEAD;
        byte[] b = scratch(total);
        node.copyEntriesTo(b, 6);
        if (plain) {
            out.writeLength(QUICKLIST_NODE_PLAIN);
            writeSingleElement(b, 6, out);
            releaseScratch();
            return;
        }
        b[0] = (byte) total;
        b[1] = (byte) (total >>> 8);
        b[2] = (byte) (total >>> 16);
        b[3] = (byte) (total >>> 24);
        int count = Math.min(node.size(), 65535);
        b[4] = (byte) count;
        b[5] = (byte) (count >>> 8);
        b[total - 1] = (byte) 0xFF;
        out.writeLength(QUICKLIST_NODE_PACKED);
        out.writeString(b, 0, total);
        releaseScratch();
    }

    // ---------------------------------------------------------------- streams

    /**
     * STREAM_LISTPACKS_2 (19), as Redis 7.0 writes it: node count, then per node its 16-byte master ID and its
     * listpack as strings; length, last ID, first ID, max deleted ID, entries added; per group its name, last
     * ID, entries read (-1 as an unsigned 64-bit length), PEL (raw 16-byte ID, delivery time u64le, delivery
     * count) and consumers (name, seen time u64le, PEL IDs raw). Consumers' active time is not part of type 19.
     */
    private void writeStream(StreamValue s, RdbOutput out) throws IOException {
        out.writeLength(s.nodeCount());
        for (java.util.Map.Entry<StreamId, Listpack> e : s.nodes().entrySet()) {
            byte[] k = e.getKey().toKeyBytes();
            out.writeString(k, 0, k.length);
            Listpack node = e.getValue();
            int total = node.entriesBytes() + Listpack.OVERHEAD;
            byte[] b = scratch(total);
            node.copyEntriesTo(b, 6);
            b[0] = (byte) total;
            b[1] = (byte) (total >>> 8);
            b[2] = (byte) (total >>> 16);
            b[3] = (byte) (total >>> 24);
            int count = Math.min(node.size(), 65535);
            b[4] = (byte) count;
            b[5] = (byte) (count >>> 8);
            b[total - 1] = (byte) 0xFF;
            out.writeString(b, 0, total);
            releaseScratch();
        }
        out.writeLength(s.length());
        writeId(s.lastId(), out);
        writeId(s.firstId(), out);
        writeId(s.maxDeletedId(), out);
        out.writeLength(s.entriesAdded());
        out.writeLength(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            out.writeString(g.name());
            writeId(g.lastId, out);
            out.writeLength(g.entriesRead);
            out.writeLength(g.pel.size());
            for (java.util.Map.Entry<StreamId, Nack> e : g.pel.entrySet()) {
                byte[] k = e.getKey().toKeyBytes();
                out.writeBytes(k, 0, k.length);
                out.writeLongLE(e.getValue().deliveryTime);
                out.writeLength(e.getValue().deliveryCount);
            }
            out.writeLength(g.consumers.size());
            for (Consumer c : g.consumers.values()) {
                out.writeString(c.name());
                out.writeLongLE(c.seenTime);
                out.writeLength(c.pel.size());
                for (StreamId id : c.pel.keySet()) {
                    byte[] k = id.toKeyBytes();
                    out.writeBytes(k, 0, k.length);
                }
            }
        }
    }

    private static void writeId(StreamId id, RdbOutput out) throws IOException {
        out.writeLength(id.ms);
        out.writeLength(id.seq);
    }

    /** Writes the element of the listpack entry at {@code b[p]} as a string (a plain node's content). */
    private static void writeSingleElement(byte[] b, int p, RdbOutput out) throws IOException {
        int tag = b[p] & 0xff;
        if ((tag & 0xC0) == 0x80) {
            out.writeString(b, p + 1, tag & 0x3F);
        } else if ((tag & 0xF0) == 0xE0) {
            out.writeString(b, p + 2, ((tag & 0x0F) << 8) | (b[p + 1] & 0xff));
        } else if (tag == 0xF0) {
            int len = (b[p + 1] & 0xff) | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff) << 16 | (b[p + 4] & 0xff) << 24;
            out.writeString(b, p + 5, len);
        } else {
            // integer entries are never large enough for a plain node, but stay correct if one is
            long v;
            if (tag < 0x80) {
                v = tag;
            } else if ((tag & 0xE0) == 0xC0) {
                int raw = ((tag & 0x1F) << 8) | (b[p + 1] & 0xff);
                v = raw >= 4096 ? raw - 8192 : raw;
            } else {
                int n = switch (tag) {
                    case 0xF1 -> 2;
                    case 0xF2 -> 3;
                    case 0xF3 -> 4;
                    default -> 8;
                };
                v = 0;
                for (int i = 0; i < n; i++) {
                    v |= (long) (b[p + 1 + i] & 0xff) << (8 * i);
                }
                v = v << (64 - 8 * n) >> (64 - 8 * n);
            }
            out.writeString(Numbers.toBytes(v));
        }
    }

    // ---------------------------------------------------------------- hashes

    private void writeHashListpack(HashValue h, RdbOutput out) throws IOException {
        lp.reset();
        h.forEach((f, v) -> {
            lp.add(f);
            lp.add(v);
        });
        out.writeString(lp.array(), 0, lp.finish());
    }

    private static void writeHash(HashValue h, RdbOutput out) throws IOException {
        out.writeLength(h.size());
        h.forEach((f, v) -> {
            try {
                out.writeString(f);
                out.writeString(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---------------------------------------------------------------- sets

    private static boolean allIntegers(SetValue s) {
        boolean[] ok = {true};
        s.forEach(m -> ok[0] &= Numbers.isLong(m));
        return ok[0];
    }

    private void writeIntset(SetValue s, RdbOutput out) throws IOException {
        long[] values = new long[s.size()];
        int[] n = {0};
        s.forEach(m -> values[n[0]++] = Numbers.parseLong(m)); // members are integers (NOT_A_LONG's own text too)
        Arrays.sort(values, 0, n[0]); // an intset is already ascending; a listpack set is not
        int width = 2;
        for (int i = 0; i < n[0]; i++) {
            long v = values[i];
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = 4;
            }
        }
        int total = 8 + width * n[0];
        byte[] b = scratch(total);
        putLE(b, 0, width, 4);
        putLE(b, 4, n[0], 4);
        for (int i = 0; i < n[0]; i++) {
            putLE(b, 8 + i * width, values[i], width);
        }
        out.writeString(b, 0, total);
        releaseScratch();
    }

    private static void writeSet(SetValue s, RdbOutput out) throws IOException {
        out.writeLength(s.size());
        s.forEach(m -> {
            try {
                out.writeString(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---------------------------------------------------------------- sorted sets

    private void writeZSetListpack(ZSetValue z, RdbOutput out) throws IOException {
        lp.reset();
        z.forEach((m, score) -> {
            lp.add(m);
            lp.add(scoreText(score));
            return true;
        });
        out.writeString(lp.array(), 0, lp.finish());
    }

    private static void writeZSet(ZSetValue z, RdbOutput out) throws IOException {
        out.writeLength(z.size());
        z.visit(z.size() - 1, true, (m, score) -> {
            try {
                out.writeString(m);
                out.writeBinaryDouble(score);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        });
    }

    /**
     * A score as listpack text, as Redis's {@code d2string}: integers below 2^52 in magnitude as integer digits
     * (so the listpack holds them as integer entries), {@code inf} / {@code -inf}, {@code -0}, otherwise the
     * shortest decimal that reads back as the same double (any {@code strtod} parses it).
     */
    static byte[] scoreText(double d) {
        String s;
        if (Double.isInfinite(d)) {
            s = d > 0 ? "inf" : "-inf";
        } else if (d == 0) {
            s = (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        } else if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            s = Long.toString((long) d);
        } else {
            s = Double.toString(d);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    /** Drops a scratch array grown past 1 MB by one large value. */
    private void releaseScratch() {
        if (scratch.length > (1 << 20)) {
            scratch = new byte[1024];
        }
    }

    private static void putLE(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
