package dev.peregrine.persistence.aof;

import dev.peregrine.persistence.rdb.DumpPayload;
import dev.peregrine.persistence.rdb.RdbEncoder;
import dev.peregrine.persistence.rdb.RdbOutput;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ElementSink;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.ZSetValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one keyspace entry as the commands that rebuild it, for an AOF base file without an RDB preamble
 * ({@code aof-use-rdb-preamble no}), as Redis's AOF rewrite does: {@code SET} for strings, {@code RPUSH},
 * {@code SADD}, {@code ZADD} and {@code HMSET} with at most {@link #ITEMS_PER_COMMAND} elements each, then
 * {@code PEXPIREAT} when the key has an expiry. Streams, whose consumer groups have no simple command form, are
 * written as {@code RESTORE key <expiry> <DUMP payload> ABSTTL}, which Redis loads as well.
 *
 * <p>Everything goes through {@link RdbOutput#writeBytes} (no RDB strings), so the output can be an
 * {@code RdbDeferredOutput} on the executor and a plain stream on the writer thread. Not thread-safe.
 */
public final class AofRewriteEncoder {
    /** Elements per command, as Redis's {@code AOF_REWRITE_ITEMS_PER_CMD}. */
    public static final int ITEMS_PER_COMMAND = 64;

    private static final byte[] SET = bytes("SET");
    private static final byte[] RPUSH = bytes("RPUSH");
    private static final byte[] SADD = bytes("SADD");
    private static final byte[] ZADD = bytes("ZADD");
    private static final byte[] HMSET = bytes("HMSET");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] RESTORE = bytes("RESTORE");
    private static final byte[] ABSTTL = bytes("ABSTTL");

    private final RdbEncoder rdb = new RdbEncoder();
    private final boolean compression;

    /** @param compression LZF inside the DUMP payloads of streams ({@code rdbcompression}) */
    public AofRewriteEncoder(boolean compression) {
        this.compression = compression;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the commands rebuilding {@code entry} (a keyspace entry: packed string or object). */
    public void writeEntry(Object entry, RdbOutput out) throws IOException {
        byte[] key = Entry.key(entry);
        long expireAt = Entry.expireAt(entry);
        if (entry instanceof byte[] e) {
            command(out, List.of(SET, key, StringEntry.value(e)));
        } else if (entry instanceof ListValue l) {
            Batch b = new Batch(out, RPUSH, key);
            try {
                l.range(0, l.size(), new ElementSink() {
                    @Override
                    public void string(byte[] buf, int off, int len) {
                        b.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                    }

                    @Override
                    public void integer(long value) {
                        b.add(bytes(Long.toString(value)));
                    }
                });
            } catch (UncheckedIOException x) {
                throw x.getCause();
            }
            b.flush();
        } else if (entry instanceof SetValue s) {
            Batch b = new Batch(out, SADD, key);
            run(() -> s.forEach(b::add));
            b.flush();
        } else if (entry instanceof ZSetValue z) {
            Batch b = new Batch(out, ZADD, key);
            run(() -> z.forEach((m, score) -> {
                b.add(score(score), m);
                return true;
            }));
            b.flush();
        } else if (entry instanceof HashValue h) {
            Batch b = new Batch(out, HMSET, key);
            run(() -> h.forEach(b::add));
            b.flush();
        } else if (entry instanceof ObjectEntry o) {
            byte[] payload = DumpPayload.create(o, rdb, compression);
            command(out, List.of(RESTORE, key, bytes(Long.toString(expireAt == Entry.NO_EXPIRE ? 0 : expireAt)),
                    payload, ABSTTL));
            return;
        }
        if (expireAt != Entry.NO_EXPIRE) {
            command(out, List.of(PEXPIREAT, key, bytes(Long.toString(expireAt))));
        }
    }

    /** A score as text that parses back to the same double ({@code inf}/{@code -inf} as Redis spells them). */
    static byte[] score(double d) {
        if (Double.isInfinite(d)) {
            return bytes(d > 0 ? "inf" : "-inf");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && Double.doubleToRawLongBits(d) != Long.MIN_VALUE) {
            return bytes(Long.toString((long) d));
        }
        return bytes(Double.toString(d));
    }

    private static void run(Runnable r) throws IOException {
        try {
            r.run();
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
    }

    /** Elements gathered into commands of at most {@link #ITEMS_PER_COMMAND} elements (pairs count once). */
    private static final class Batch {
        final RdbOutput out;
        final byte[] name;
        final byte[] key;
        final List<byte[]> args = new ArrayList<>();
        int items;

        Batch(RdbOutput out, byte[] name, byte[] key) {
            this.out = out;
            this.name = name;
            this.key = key;
        }

        void add(byte[]... element) {
            if (args.isEmpty()) {
                args.add(name);
                args.add(key);
            }
            for (byte[] e : element) {
                args.add(e);
            }
            if (++items == ITEMS_PER_COMMAND) {
                flushUnchecked();
            }
        }

        void flushUnchecked() {
            try {
                flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void flush() throws IOException {
            if (!args.isEmpty()) {
                command(out, args);
                args.clear();
                items = 0;
            }
        }
    }

    /** One RESP array of bulk strings, as an AOF holds commands. */
    public static void command(RdbOutput out, List<byte[]> argv) throws IOException {
        header(out, '*', argv.size());
        for (byte[] a : argv) {
            header(out, '$', a.length);
            out.writeBytes(a, 0, a.length);
            out.writeByte('\r');
            out.writeByte('\n');
        }
    }

    private static void header(RdbOutput out, char type, long n) throws IOException {
        byte[] h = (type + Long.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(h, 0, h.length);
    }
}
