package dev.peregrine.persistence.snapshot;

import dev.peregrine.persistence.rdb.RdbDeferredOutput;
import dev.peregrine.persistence.rdb.RdbEncoder;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.KeyTable;
import dev.peregrine.storage.WriteBarrier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The executor's side of a point-in-time snapshot taken without fork (the versioning approach of fork-less
 * snapshots, as Dragonfly describes it).
 *
 * <p>{@link #start()} flips the snapshot parity of every database's table, so every entry counts as unsaved,
 * and installs this object as the databases' {@link WriteBarrier}. From then on:
 * <ul>
 *   <li>{@link #step} walks the tables in SCAN order, database by database, a bounded slice per call, and
 *       encodes each unsaved entry it meets ({@link RdbEncoder}, strings kept raw in an
 *       {@link RdbDeferredOutput}) and marks it saved;</li>
 *   <li>a write about to change, replace or delete an unsaved entry first encodes it the same way
 *       ({@link #beforeWrite}), so the snapshot holds the value as it was at {@link #start()}; entries written
 *       after the start carry the saved mark from birth and are never included;</li>
 *   <li>a FLUSHALL detaches the old tables (see {@link Database#clear()}), which the walk goes on reading.</li>
 * </ul>
 * SCAN's guarantee (every element present for the whole walk is visited) makes the walk meet every entry that
 * was not written meanwhile, and the mark keeps anything from being written twice.
 *
 * <p>The output is a sequence of {@link Chunk}s handed to {@code sink} in file order: for each non-empty
 * database a {@link Chunk.Kind#DB_START} with the sizes at the start (for RESIZEDB), then {@link Chunk.Kind#DATA}
 * chunks of key records, and finally {@link Chunk.Kind#END}. Entries saved by the barrier for a database the walk
 * has not reached yet wait in memory until it gets there: that, plus chunks the writer has not consumed yet
 * ({@link #inFlightBytes()}), is the memory a snapshot costs, bounded by the writes made during it.
 *
 * <p>Executor-only, except {@link #inFlightBytes()} which the writer thread decrements.
 */
public final class Snapshot implements WriteBarrier {

    /** A piece of the file, in order. */
    public static final class Chunk {
        /** What a chunk holds. */
        public enum Kind { DB_START, DATA, END, ABORT }

        public final Kind kind;
        /** The database ({@link Kind#DB_START}). */
        public final int db;
        /** Keys and keys with an expiry in that database at the start ({@link Kind#DB_START}). */
        public final long keys;
        public final long expires;
        /** Key records ({@link Kind#DATA}). */
        public final RdbDeferredOutput data;

        private Chunk(Kind kind, int db, long keys, long expires, RdbDeferredOutput data) {
            this.kind = kind;
            this.db = db;
            this.keys = keys;
            this.expires = expires;
            this.data = data;
        }
    }

    /** Bytes of encoded records per DATA chunk before it is handed on. */
    static final int CHUNK_BYTES = 256 * 1024;
    /** The walk pauses while the writer has more than this many bytes to consume. */
    static final long MAX_IN_FLIGHT = 8L * 1024 * 1024;
    /** Chunk buffers the writer gave back after writing them, reused so a snapshot makes little garbage. */
    private final java.util.concurrent.ConcurrentLinkedQueue<RdbDeferredOutput> free =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final Database[] dbs;
    private final KeyTable[] tables;
    private final long[] keys;
    private final long[] expires;
    private final RdbDeferredOutput[] pending;
    private final EntryWriter encoder;

    /** Writes one entry's record: RDB ({@link RdbEncoder#writeEntry}) or AOF commands. */
    @FunctionalInterface
    public interface EntryWriter {
        void write(Object entry, dev.peregrine.persistence.rdb.RdbOutput out) throws IOException;
    }
    private final Consumer<Chunk> sink;
    private final AtomicLong inFlight = new AtomicLong();

    private int current = -1;
    private long cursor;
    private boolean walkingCurrent;
    private RdbDeferredOutput chunk;
    private boolean finished;
    private long keysSaved;
    private long savedByBarrier;
    private long peakPendingBytes;
    private long pendingBytes;

    /**
     * @param dbs  the databases, index = database id
     * @param sink receives the chunks in file order, on the executor; it hands them to the writer thread
     */
    public Snapshot(Database[] dbs, Consumer<Chunk> sink) {
        this(dbs, sink, new RdbEncoder()::writeEntry);
    }

    /**
     * @param dbs    the databases, index = database id
     * @param sink   receives the chunks in file order, on the executor; it hands them to the writer thread
     * @param writer how each entry is written (RDB records, or AOF commands for a base without RDB preamble)
     */
    public Snapshot(Database[] dbs, Consumer<Chunk> sink, EntryWriter writer) {
        this.encoder = writer;
        this.dbs = dbs;
        this.sink = sink;
        this.tables = new KeyTable[dbs.length];
        this.keys = new long[dbs.length];
        this.expires = new long[dbs.length];
        this.pending = new RdbDeferredOutput[dbs.length];
    }

    /**
     * Tables an aborted snapshot left with mixed marks (entries it reached carry the table's parity, the others
     * the previous one): flipping the parity would then count the unreached ones as saved. Executor-only.
     */
    private static final java.util.Set<KeyTable> MIXED_MARKS =
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    /** Takes the snapshot's point in time: from now on writes save what they change first. */
    public void start() {
        for (int i = 0; i < dbs.length; i++) {
            tables[i] = dbs[i].table();
            if (MIXED_MARKS.remove(tables[i])) {
                evenMarks(tables[i]);
            }
            tables[i].flipSnapshotParity();
            keys[i] = dbs[i].size();
            expires[i] = dbs[i].volatileCount();
            dbs[i].writeBarrier(this);
        }
    }

    /**
     * Walks on for about {@code budgetNanos}, or less while the writer lags.
     *
     * @return true once everything was handed to the sink (the END chunk included); the barriers are then removed
     */
    public boolean step(long budgetNanos) {
        if (finished) {
            return true;
        }
        long deadline = System.nanoTime() + budgetNanos;
        int slices = 0;
        while (inFlight.get() < MAX_IN_FLIGHT) {
            if (!walkingCurrent && !nextDatabase()) {
                finish();
                return true;
            }
            cursor = tables[current].scan(cursor, this::visit);
            if (cursor == 0) {
                walkingCurrent = false;
            }
            if (chunk != null && chunk.size() >= CHUNK_BYTES) {
                emitChunk();
            }
            if ((++slices & 15) == 0 && System.nanoTime() >= deadline) {
                break;
            }
        }
        return false;
    }

    /** Moves to the next non-empty database, handing on what the barrier saved for it; false when none is left. */
    private boolean nextDatabase() {
        emitChunk();
        for (int i = current + 1; i < dbs.length; i++) {
            if (keys[i] == 0) {
                continue;
            }
            current = i;
            cursor = 0;
            walkingCurrent = true;
            sink.accept(new Chunk(Chunk.Kind.DB_START, i, keys[i], expires[i], null));
            if (pending[i] != null) {
                pendingBytes -= pending[i].size();
                chunk = pending[i];
                pending[i] = null;
                emitChunk();
            }
            return true;
        }
        current = dbs.length;
        return false;
    }

    private void visit(Object e) {
        KeyTable t = tables[current];
        if (Entry.snapshotMark(e) != t.snapshotParity()) {
            Entry.snapshotMark(e, t.snapshotParity());
            if (chunk == null) {
                chunk = newChunk();
            }
            encode(e, chunk);
        }
    }

    private RdbDeferredOutput newChunk() {
        RdbDeferredOutput c = free.poll();
        return c != null ? c : new RdbDeferredOutput(CHUNK_BYTES + CHUNK_BYTES / 4);
    }

    /**
     * Gives a written DATA chunk's buffer back for reuse (writer thread); buffers grown past twice the chunk size
     * are left to the collector.
     */
    public void recycle(RdbDeferredOutput written) {
        if (written.size() <= 2 * CHUNK_BYTES && free.size() < 64) {
            written.reset();
            free.offer(written);
        }
    }

    private void encode(Object e, RdbDeferredOutput out) {
        try {
            encoder.write(e, out);
        } catch (IOException x) {
            throw new UncheckedIOException(x); // an in-memory output does not fail
        }
        keysSaved++;
    }

    private void emitChunk() {
        if (chunk != null && chunk.size() > 0) {
            inFlight.addAndGet(chunk.size());
            sink.accept(new Chunk(Chunk.Kind.DATA, current, 0, 0, chunk));
        }
        chunk = null;
    }

    private void finish() {
        emitChunk();
        removeBarriers();
        finished = true;
        sink.accept(new Chunk(Chunk.Kind.END, -1, 0, 0, null));
    }

    /** Stops the snapshot where it is, telling the writer with an ABORT chunk; removes the barriers. */
    public void abort() {
        if (!finished) {
            finished = true;
            for (KeyTable t : tables) {
                if (t != null) {
                    MIXED_MARKS.add(t); // the next snapshot of these tables first evens their marks
                }
            }
            removeBarriers();
            for (int i = 0; i < pending.length; i++) {
                pending[i] = null;
            }
            chunk = null;
            sink.accept(new Chunk(Chunk.Kind.ABORT, -1, 0, 0, null));
        }
    }

    /** Gives every entry of {@code t} the table's current parity (one pass over the table, on the executor). */
    private static void evenMarks(KeyTable t) {
        long c = 0;
        do {
            c = t.scan(c, e -> Entry.snapshotMark(e, t.snapshotParity()));
        } while (c != 0);
    }

    private void removeBarriers() {
        for (Database db : dbs) {
            db.writeBarrier(null);
        }
    }

    @Override
    public void beforeWrite(Database db, Object entry) {
        KeyTable t = db.table();
        if (Entry.snapshotMark(entry) == t.snapshotParity()) {
            return;
        }
        int i = indexOf(t);
        if (i < 0) {
            return; // not a table of this snapshot (cannot hold unsaved entries)
        }
        Entry.snapshotMark(entry, t.snapshotParity());
        savedByBarrier++;
        if (i == current) {
            if (chunk == null) {
                chunk = newChunk();
            }
            encode(entry, chunk);
        } else {
            // a database the walk has not reached: kept until it gets there
            if (pending[i] == null) {
                pending[i] = new RdbDeferredOutput(4096);
            }
            int before = pending[i].size();
            encode(entry, pending[i]);
            pendingBytes += pending[i].size() - before;
            peakPendingBytes = Math.max(peakPendingBytes, pendingBytes);
        }
    }

    private int indexOf(KeyTable t) {
        for (int i = 0; i < tables.length; i++) {
            if (tables[i] == t) {
                return i;
            }
        }
        return -1;
    }

    /** Encoded bytes handed to the writer and not written yet; the writer subtracts what it wrote. Any thread. */
    public AtomicLong inFlightBytes() {
        return inFlight;
    }

    /** Whether the END chunk was handed on (or the snapshot aborted). */
    public boolean finished() {
        return finished;
    }

    /** Keys encoded so far. */
    public long keysSaved() {
        return keysSaved;
    }

    /** Keys the write barrier encoded before a write changed them. */
    public long savedByBarrier() {
        return savedByBarrier;
    }

    /** The most bytes held at once for databases the walk had not reached yet. */
    public long peakPendingBytes() {
        return peakPendingBytes;
    }
}
