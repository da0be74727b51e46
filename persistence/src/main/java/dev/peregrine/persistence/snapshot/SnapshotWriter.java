package dev.peregrine.persistence.snapshot;

import dev.peregrine.persistence.FileSync;
import dev.peregrine.persistence.rdb.RdbFileWriter;
import dev.peregrine.persistence.rdb.RdbStreamOutput;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The writing side of a {@link Snapshot}: on its own thread, turns the chunks into an RDB file (RDB v10 as
 * {@link RdbFileWriter} lays it out: header, AUX fields, per database SELECTDB and RESIZEDB, the key records with
 * their strings encoded and LZF-compressed here, EOF and CRC-64). The file is written under a temporary name,
 * fsynced, renamed over the target and the directory fsynced, so a crash never leaves a broken target.
 *
 * <p>{@link #offer} is called on the executor; everything else runs on the writer thread, which ends after the
 * END or ABORT chunk and reports once to the completion callback.
 */
public final class SnapshotWriter implements Runnable {

    /**
     * How a snapshot ended.
     *
     * @param ok       whether the target file now holds the snapshot
     * @param bytes    bytes written
     * @param error    what went wrong, or null
     * @param aborted  whether it was aborted (then not ok, no error)
     */
    public record Result(boolean ok, long bytes, String error, boolean aborted) {
    }

    /**
     * What goes into the file's header.
     *
     * @param compression {@code rdbcompression}
     * @param checksum    {@code rdbchecksum}
     * @param redisVersion {@code redis-ver} AUX field
     * @param ctimeSeconds {@code ctime} AUX field, unix seconds
     * @param usedMemory  {@code used-mem} AUX field, bytes
     * @param aofBase     {@code aof-base} AUX field: 1 for the base file of an AOF
     * @param commands    an AOF base of commands (no RDB at all: {@code aof-use-rdb-preamble no}); the chunks
     *                    then hold commands and each database starts with a {@code SELECT}
     * @param functions   function libraries' code (FUNCTION2 records, or FUNCTION LOAD commands)
     * @param replicationAux {@code repl-stream-db}/{@code repl-id}/{@code repl-offset} name/value pairs, or null
     */
    public record Header(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                         long usedMemory, boolean aofBase, boolean commands, java.util.List<byte[]> functions,
                         String[] replicationAux) {
        /** A header for an RDB file with no function libraries and no replication AUX fields. */
        public Header(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                      long usedMemory, boolean aofBase) {
            this(compression, checksum, redisVersion, ctimeSeconds, usedMemory, aofBase, false, java.util.List.of(),
                    null);
        }

        /** A header with function libraries, no replication AUX fields. */
        public Header(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                      long usedMemory, boolean aofBase, boolean commands, java.util.List<byte[]> functions) {
            this(compression, checksum, redisVersion, ctimeSeconds, usedMemory, aofBase, commands, functions, null);
        }

        /** An RDB header with replication AUX fields and no function libraries. */
        public Header(boolean compression, boolean checksum, String redisVersion, long ctimeSeconds,
                      long usedMemory, boolean aofBase, String[] replicationAux) {
            this(compression, checksum, redisVersion, ctimeSeconds, usedMemory, aofBase, false, java.util.List.of(),
                    replicationAux);
        }
    }

    private final Path target;
    private final Path temp;
    private final Header header;
    private final AtomicLong inFlight;
    private final Consumer<Result> done;
    private final BlockingQueue<Snapshot.Chunk> queue = new LinkedBlockingQueue<>();
    private volatile Consumer<dev.peregrine.persistence.rdb.RdbDeferredOutput> recycler;

    /** Where written chunk buffers go back for reuse ({@link Snapshot#recycle}). */
    public void recycler(Consumer<dev.peregrine.persistence.rdb.RdbDeferredOutput> r) {
        this.recycler = r;
    }
    /** Where a streamed snapshot goes (a replica's socket), or null for a file. */
    private final OutputStream stream;

    /**
     * @param target   the file to produce
     * @param temp     the temporary name written first (same directory)
     * @param header   header fields and encoding settings
     * @param inFlight the snapshot's counter of bytes not yet written ({@link Snapshot#inFlightBytes()})
     * @param done     told once, on the writer thread, how it ended
     */
    public SnapshotWriter(Path target, Path temp, Header header, AtomicLong inFlight, Consumer<Result> done) {
        this.target = target;
        this.temp = temp;
        this.header = header;
        this.inFlight = inFlight;
        this.done = done;
        this.stream = null;
    }

    /**
     * A writer that streams the RDB to {@code out} (a diskless transfer to a replica) instead of a file: nothing is
     * fsynced or renamed; {@code out} is flushed at the end and closed after an abort or a failure.
     */
    public SnapshotWriter(OutputStream out, Header header, AtomicLong inFlight, Consumer<Result> done) {
        this.target = null;
        this.temp = null;
        this.header = header;
        this.inFlight = inFlight;
        this.done = done;
        this.stream = out;
    }

    /** Hands a chunk to the writer thread (executor). */
    public void offer(Snapshot.Chunk c) {
        queue.add(c);
    }

    @Override
    public void run() {
        Result result;
        try {
            result = write();
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                FileSync.deleteQuietly(temp);
            } else {
                closeQuietly(stream);
            }
            // the executor aborts the walk when it hears of the failure; what was queued is dropped now
            queue.clear();
            inFlight.set(0);
            result = new Result(false, 0, e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } catch (InterruptedException e) {
            if (temp != null) {
                FileSync.deleteQuietly(temp);
            } else {
                closeQuietly(stream);
            }
            result = new Result(false, 0, "interrupted", true);
        }
        done.accept(result);
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the stream is gone already
        }
    }

    private Result write() throws IOException, InterruptedException {
        if (stream != null) {
            return writeTo(stream, null);
        }
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return writeTo(Channels.newOutputStream(ch), ch);
        }
    }

    /** Writes the snapshot to {@code out}; with {@code ch} (a file) it is then fsynced and renamed in place. */
    private Result writeTo(OutputStream out, FileChannel ch) throws IOException, InterruptedException {
        {
            OutputStream os = new BufferedOutputStream(out, 1 << 16);
            RdbFileWriter w = new RdbFileWriter(new RdbStreamOutput(os, header.compression()), header.checksum());
            if (!header.commands()) {
                w.writeHeader();
                w.writeAux("redis-ver", header.redisVersion());
                w.writeAux("redis-bits", 64);
                w.writeAux("ctime", header.ctimeSeconds());
                w.writeAux("used-mem", header.usedMemory());
                w.writeReplicationAux(header.replicationAux());
                w.writeAux("aof-base", header.aofBase() ? 1 : 0);
                for (byte[] code : header.functions()) {
                    w.writeFunction(code);
                }
            } else {
                // an AOF base of commands loads the function libraries first, as Redis's rewrite writes them
                for (byte[] code : header.functions()) {
                    dev.peregrine.persistence.aof.AofRewriteEncoder.command(w.output(), java.util.List.of(
                            "FUNCTION".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "LOAD".getBytes(java.nio.charset.StandardCharsets.US_ASCII), code));
                }
            }
            while (true) {
                Snapshot.Chunk c = queue.take();
                switch (c.kind) {
                    case DB_START -> {
                        if (header.commands()) {
                            dev.peregrine.persistence.aof.AofRewriteEncoder.command(w.output(), java.util.List.of(
                                    "SELECT".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                                    Integer.toString(c.db).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                        } else {
                            w.writeSelectDb(c.db);
                            w.writeResizeDb(c.keys, c.expires);
                        }
                    }
                    case DATA -> {
                        c.data.replayTo(w.output());
                        inFlight.addAndGet(-c.data.size());
                        if (recycler != null) {
                            recycler.accept(c.data);
                        }
                    }
                    case ABORT -> {
                        os.close();
                        if (temp != null) {
                            FileSync.deleteQuietly(temp);
                        }
                        return new Result(false, 0, null, true);
                    }
                    case END -> {
                        if (header.commands()) {
                            w.output().flush();
                        } else {
                            w.writeEnd();
                        }
                        os.flush();
                        long bytes = w.output().bytesWritten();
                        if (ch == null) {
                            return new Result(true, bytes, null, false);
                        }
                        ch.force(true);
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                        FileSync.fsyncDirectory(target.toAbsolutePath().getParent());
                        return new Result(true, bytes, null, false);
                    }
                    default -> throw new IllegalStateException(c.kind.toString());
                }
            }
        }
    }
}
