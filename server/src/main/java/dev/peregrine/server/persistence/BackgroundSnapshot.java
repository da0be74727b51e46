package dev.peregrine.server.persistence;

import dev.peregrine.persistence.snapshot.Snapshot;
import dev.peregrine.persistence.snapshot.SnapshotWriter;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.storage.Database;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One running fork-less snapshot of the whole keyspace into an RDB file (BGSAVE, the base of an AOF rewrite):
 * the {@link Snapshot} walks on the executor in slices of {@link #SLICE_NANOS} between client work, a
 * {@link SnapshotWriter} thread encodes and writes, and the end is reported back on the executor.
 *
 * <p>Created and aborted on the executor.
 */
public final class BackgroundSnapshot {
    /** Executor time per slice of the walk, in ns. */
    static final long SLICE_NANOS = 1_000_000;

    private final Snapshot snapshot;
    private final SnapshotWriter writer;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean over;

    private BackgroundSnapshot(Engine engine, Path target, Path temp, SnapshotWriter.Header header,
                               Snapshot.EntryWriter entries, Consumer<SnapshotWriter.Result> done) {
        this(engine, null, target, temp, header, entries, done);
    }

    private BackgroundSnapshot(Engine engine, java.io.OutputStream out, Path target, Path temp,
                               SnapshotWriter.Header header, Snapshot.EntryWriter entries,
                               Consumer<SnapshotWriter.Result> done) {
        Database[] dbs = new Database[engine.databaseCount()];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = engine.db(i);
        }
        SnapshotWriter[] w = new SnapshotWriter[1];
        this.snapshot = new Snapshot(dbs, c -> w[0].offer(c), entries);
        Consumer<SnapshotWriter.Result> report = r -> engine.execute(() -> {
            over = true;
            snapshot.abort(); // a no-op once finished; stops the walk after a write failure
            done.accept(r);
        });
        this.writer = out != null ? new SnapshotWriter(out, header, snapshot.inFlightBytes(), report)
                : new SnapshotWriter(target, temp, header, snapshot.inFlightBytes(), report);
        w[0] = writer;
        writer.recycler(snapshot::recycle);
    }

    /**
     * Starts a snapshot now (its point in time) and runs it in the background.
     *
     * @param done told on the executor how it ended
     */
    static BackgroundSnapshot start(Engine engine, Path target, Path temp, SnapshotWriter.Header header,
                                    Consumer<SnapshotWriter.Result> done) {
        return start(engine, target, temp, header, new dev.peregrine.persistence.rdb.RdbEncoder()::writeEntry, done);
    }

    /** {@link #start} writing each entry with {@code entries} (AOF commands for a base without RDB preamble). */
    static BackgroundSnapshot start(Engine engine, Path target, Path temp, SnapshotWriter.Header header,
                                    Snapshot.EntryWriter entries, Consumer<SnapshotWriter.Result> done) {
        return run(engine, new BackgroundSnapshot(engine, target, temp, header, entries, done));
    }

    /**
     * Starts a snapshot now streamed to {@code out} (a diskless transfer to a replica), run in the background.
     * Executor.
     *
     * @param done told on the executor how it ended
     */
    public static BackgroundSnapshot startStreaming(Engine engine, java.io.OutputStream out,
                                                    SnapshotWriter.Header header,
                                                    Consumer<SnapshotWriter.Result> done) {
        return run(engine, new BackgroundSnapshot(engine, out, null, null, header,
                new dev.peregrine.persistence.rdb.RdbEncoder()::writeEntry, done));
    }

    /** Starts a snapshot now into the file {@code target} (through {@code temp}). Executor. */
    public static BackgroundSnapshot startToFile(Engine engine, Path target, Path temp, SnapshotWriter.Header header,
                                                 Consumer<SnapshotWriter.Result> done) {
        return start(engine, target, temp, header, done);
    }

    private static BackgroundSnapshot run(Engine engine, BackgroundSnapshot b) {
        b.snapshot.start();
        Thread t = new Thread(b.writer, "peregrine-snapshot-writer");
        t.setDaemon(true);
        t.start();
        engine.runInSlices(() -> b.over || b.snapshot.step(SLICE_NANOS));
        return b;
    }

    /** Stops it; the file is not produced and {@code done} hears of an abort. Executor. */
    public void abort() {
        snapshot.abort();
    }

    /** Unix ms when it started. */
    long startedAt() {
        return startedAt;
    }

    /** Keys saved before writes changed them, and the peak bytes held for databases not reached yet. */
    Snapshot snapshot() {
        return snapshot;
    }
}
