package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Database;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static dev.peregrine.persistence.rdb.RdbDescriptor.*;

/**
 * Writes a whole RDB file, version {@value #VERSION}, in the order Redis 7.0's {@code rdbSaveRio} does:
 * <pre>
 *  "REDIS0010"
 *  AUX redis-ver, redis-bits, ctime, used-mem, aof-base      ({@link #writeDefaultAux})
 *  per non-empty database: SELECTDB n, RESIZEDB keys expires, key records ({@link RdbEncoder#writeEntry})
 *  EOF, CRC-64 of every byte before it, u64le (0 with {@code rdbchecksum no})
 * </pre>
 * Version 10 is the newest Redis 7.0 accepts; Redis 7.2 and Valkey 8 load it too. Strings are encoded by the
 * {@link RdbStreamOutput} (integer forms, LZF with {@code rdbcompression yes}), which also keeps the CRC. The format
 * is described in {@code docs/spec/rdb.md}.
 *
 * <p>The steps are public so a caller can produce key records elsewhere (e.g. an {@link RdbEncoder} on another
 * thread into an {@link RdbDeferredOutput}, replayed with {@link RdbDeferredOutput#replayTo} onto
 * {@link #output()}) and still get the header, database markers and trailer from here.
 *
 * <p>Not thread-safe: one thread drives a writer. {@link #writeDatabase} and {@link #save} read the databases, so
 * they run where the databases may be read (the executor).
 */
public final class RdbFileWriter {
    /** The RDB version written: Redis 7.0's. */
    public static final int VERSION = 10;

    /**
     * What the file says about the server that wrote it, and how it is encoded.
     *
     * @param compression {@code rdbcompression}: LZF strings over 20 bytes when that saves space
     * @param checksum {@code rdbchecksum}: write the CRC-64 (else 0)
     * @param redisVersion the {@code redis-ver} AUX field, e.g. {@code "7.2.4"}
     * @param ctimeSeconds the {@code ctime} AUX field: unix time in seconds of the save
     * @param usedMemory the {@code used-mem} AUX field, in bytes
     * @param replicationAux {@code repl-stream-db}, {@code repl-id}, {@code repl-offset} as name/value pairs, so a
     *        restarted replica can continue its primary's stream; null for none
     */
    public record Options(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                          long usedMemory, String[] replicationAux) {
        /** Options with no replication AUX fields. */
        public Options(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                       long usedMemory) {
            this(compression, checksum, redisVersion, ctimeSeconds, usedMemory, null);
        }
    }

    private final RdbStreamOutput out;
    private final boolean checksum;
    private final RdbEncoder encoder = new RdbEncoder();

    /**
     * @param out where the bytes go; its CRC is the file's checksum, so nothing else may have been written to it
     * @param checksum whether {@link #writeEnd} writes the CRC-64 (else 0, as Redis with {@code rdbchecksum no})
     */
    public RdbFileWriter(RdbStreamOutput out, boolean checksum) {
        this.out = out;
        this.checksum = checksum;
    }

    /**
     * Writes {@code databases} as one complete RDB file to {@code stream} (buffered here; the caller closes and
     * syncs the stream).
     *
     * @return bytes written
     */
    public static long save(Database[] databases, OutputStream stream, Options options) throws IOException {
        return save(databases, java.util.List.of(), stream, options);
    }

    /**
     * As {@link #save(Database[], OutputStream, Options)}, with a FUNCTION2 record for each function library's
     * source code after the AUX fields, where Redis writes them.
     */
    public static long save(Database[] databases, java.util.List<byte[]> functions, OutputStream stream,
                            Options options) throws IOException {
        RdbFileWriter w = new RdbFileWriter(new RdbStreamOutput(stream, options.compression()), options.checksum());
        w.writeHeader();
        w.writeDefaultAux(options.redisVersion(), options.ctimeSeconds(), options.usedMemory(),
                          options.replicationAux());
        for (byte[] code : functions) {
            w.writeFunction(code);
        }
        for (Database db : databases) {
            w.writeDatabase(db);
        }
        w.writeEnd();
        return w.output().bytesWritten();
    }

    /** The output, for key records produced elsewhere. */
    public RdbStreamOutput output() {
        return out;
    }

    /** {@code "REDIS0010"}. */
    public void writeHeader() throws IOException {
        byte[] h = String.format("REDIS%04d", VERSION).getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(h, 0, h.length);
    }

    /** An AUX record: name and value as strings (a numeric value gets the integer form, as Redis writes it). */
    public void writeAux(String name, String value) throws IOException {
        out.writeByte(OPCODE_AUX);
        out.writeString(name.getBytes(StandardCharsets.UTF_8));
        out.writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An AUX record with a number written as its decimal string. */
    public void writeAux(String name, long value) throws IOException {
        writeAux(name, Long.toString(value));
    }

    /**
     * The AUX fields Redis 7.0 writes for a plain save: {@code redis-ver}, {@code redis-bits} (64), {@code ctime}
     * (unix seconds), {@code used-mem} (bytes), {@code aof-base} (0: not an AOF preamble).
     */
    public void writeDefaultAux(String redisVersion, long ctimeSeconds, long usedMemory) throws IOException {
        writeDefaultAux(redisVersion, ctimeSeconds, usedMemory, null);
    }

    /**
     * {@link #writeDefaultAux(String, long, long)} with the replication fields (name/value pairs, or null) before
     * {@code aof-base}, where Redis writes them.
     */
    public void writeDefaultAux(String redisVersion, long ctimeSeconds, long usedMemory, String[] replicationAux)
            throws IOException {
        writeAux("redis-ver", redisVersion);
        writeAux("redis-bits", 64);
        writeAux("ctime", ctimeSeconds);
        writeAux("used-mem", usedMemory);
        writeReplicationAux(replicationAux);
        writeAux("aof-base", 0);
    }

    /** A FUNCTION2 record: one function library's source code. */
    public void writeFunction(byte[] code) throws IOException {
        out.writeByte(RdbDescriptor.OPCODE_FUNCTION2);
        out.writeString(code);
    }

    /** Writes name/value pairs as AUX fields; null writes nothing. */
    public void writeReplicationAux(String[] pairs) throws IOException {
        if (pairs != null) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                writeAux(pairs[i], pairs[i + 1]);
            }
        }
    }

    /** SELECTDB: the following records belong to database {@code db}. */
    public void writeSelectDb(int db) throws IOException {
        out.writeByte(OPCODE_SELECTDB);
        out.writeLength(db);
    }

    /** RESIZEDB: size hints, the number of keys and of keys with an expiry in the current database. */
    public void writeResizeDb(long keys, long expires) throws IOException {
        out.writeByte(OPCODE_RESIZEDB);
        out.writeLength(keys);
        out.writeLength(expires);
    }

    /** One key record ({@link RdbEncoder#writeEntry(Object, RdbOutput)}). */
    public void writeEntry(Object entry) throws IOException {
        encoder.writeEntry(entry, out);
    }

    /**
     * A whole database: nothing when it is empty, else SELECTDB, RESIZEDB and every entry (keys whose time has
     * passed but that were not deleted yet included, as Redis; a loader drops them). Executor-only.
     */
    public void writeDatabase(Database db) throws IOException {
        if (db.size() == 0) {
            return;
        }
        writeSelectDb(db.id());
        writeResizeDb(db.size(), db.volatileCount());
        try {
            db.forEach(e -> {
                try {
                    encoder.writeEntry(e, out);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** EOF and the checksum (the CRC-64 of every byte before it, or 0), then flushes the output. */
    public void writeEnd() throws IOException {
        out.writeByte(OPCODE_EOF);
        long crc = checksum ? out.checksum() : 0;
        out.writeLongLE(crc);
        out.flush();
    }
}
