package dev.peregrine.server.persistence;

import dev.peregrine.persistence.FileSync;
import dev.peregrine.persistence.rdb.RdbFileWriter;
import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.hash.HashLimits;
import dev.peregrine.storage.set.SetLimits;
import dev.peregrine.storage.zset.ZSetLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * RDB snapshots of the keyspace and their bookkeeping, as Redis's {@code rdbSave} / {@code rdbLoad}:
 * <ul>
 * <li>{@link #save}: writes every database to {@code dir}/{@code dbfilename} (RDB version 10, see
 * {@link RdbFileWriter}) through {@code dir}/{@code temp-<pid>.rdb}: write, fsync, close, rename over the target,
 * fsync of the directory; on success the changes counter ({@code rdb_changes_since_last_save}) restarts at 0 and
 * the last-save time moves to now. A failure is logged with Redis's wording and leaves the old file in place.</li>
 * <li>{@link #load}: reads {@code dir}/{@code dbfilename} into fresh databases shaped by the configuration
 * ({@link #loaderOptions}); nothing is installed here.</li>
 * </ul>
 * The place to add background saves (BGSAVE): {@link #save} runs synchronously on the calling thread.
 *
 * <p>Executor-only (it reads the databases and the engine's counters).
 */
public final class Snapshots {
    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final Engine engine;
    /** Unix time in ms of the last successful save; the start time until one happens (as Redis). */
    private long lastSaveMs;
    private long saves;
    private boolean lastSaveOk = true;

    public Snapshots(Engine engine) {
        this.engine = engine;
        this.lastSaveMs = engine.startTime();
    }

    /** The RDB file the configuration names: {@code dir} joined with {@code dbfilename}. */
    public static Path rdbPath(ServerConfig config) {
        return Path.of(config.stringValue("dir")).resolve(config.stringValue("dbfilename"));
    }

    /** How loaded values are shaped: the database count and the encoding thresholds of {@code config}. */
    public static RdbLoader.Options loaderOptions(ServerConfig config, int databases) {
        return new RdbLoader.Options(databases,
                config.intValue("list-max-listpack-size"), config.intValue("list-compress-depth"),
                new HashLimits(config.longValue("hash-max-listpack-entries"),
                               config.longValue("hash-max-listpack-value")),
                new SetLimits(config.longValue("set-max-intset-entries"), config.longValue("set-max-listpack-entries"),
                              config.longValue("set-max-listpack-value")),
                new ZSetLimits(config.longValue("zset-max-listpack-entries"),
                               config.longValue("zset-max-listpack-value")));
    }

    /** Unix time in seconds of the last successful save (LASTSAVE, INFO {@code rdb_last_save_time}). */
    public long lastSaveTime() {
        return lastSaveMs / 1000;
    }

    /** Saves attempted since start (INFO {@code rdb_saves}). */
    public long saves() {
        return saves;
    }

    /** Whether the last save succeeded (INFO {@code rdb_last_bgsave_status}). */
    public boolean lastSaveOk() {
        return lastSaveOk;
    }

    /**
     * Writes the whole keyspace to {@code dir}/{@code dbfilename}, synchronously.
     *
     * @param nowMs unix time in ms (the file's {@code ctime}, the new last-save time)
     * @throws IOException the file could not be written or moved in place (already logged); the old file stays
     */
    public void save(long nowMs) throws IOException {
        ServerConfig config = engine.config();
        Path target = rdbPath(config);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        saves++;
        Database[] dbs = new Database[engine.databaseCount()];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = engine.db(i);
        }
        Runtime rt = Runtime.getRuntime();
        RdbFileWriter.Options options = new RdbFileWriter.Options(config.boolValue("rdbcompression"),
                config.boolValue("rdbchecksum"), ServerInfo.REDIS_VERSION, nowMs / 1000,
                rt.totalMemory() - rt.freeMemory(), engine.replication().rdbAux());
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                  StandardOpenOption.WRITE);
        } catch (IOException e) {
            log.warn("Failed opening the temp RDB file {} (in server root dir {}) for saving: {}",
                     tmp.getFileName(), dir, reason(e));
            throw e;
        }
        try (ch) {
            OutputStream out = Channels.newOutputStream(ch);
            RdbFileWriter.save(dbs, dev.peregrine.server.script.Scripting.functionCodes(engine), out, options);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            log.warn("Write error saving DB on disk: {}", reason(e));
            FileSync.deleteQuietly(tmp);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("Error moving temp DB file {} on the final destination {} (in server root dir {}): {}",
                     tmp.getFileName(), target.getFileName(), dir, reason(e));
            FileSync.deleteQuietly(tmp);
            throw e;
        }
        FileSync.fsyncDirectory(dir);
        log.info("DB saved on disk");
        engine.stats().dirty = 0;
        lastSaveMs = nowMs;
        lastSaveOk = true;
    }

    // ---------------------------------------------------------------- background saves (BGSAVE), AOF rewrites

    private BackgroundSnapshot bgsave;
    private boolean bgsaveScheduled;
    private boolean aofRewriteScheduled;
    private long lastBgsaveSeconds = -1;
    private long lastBgsaveTryMs;
    private long dirtyAtBgsave;
    private long lastSaveDurationMs;
    private AppendOnlyFile aof;
    /** A snapshot for a replica's full resync runs (one snapshot at a time: they share the write barrier). */
    private boolean replicationSnapshot;

    /** How long after a failed background save the save points may try again, in ms (as Redis). */
    static final long BGSAVE_RETRY_DELAY_MS = 5000;

    /** The append-only file while {@code appendonly} is on, else null. */
    public AppendOnlyFile aof() {
        return aof;
    }

    /** Sets the append-only file (start-up, CONFIG SET appendonly); null when off. */
    public void aof(AppendOnlyFile aof) {
        this.aof = aof;
    }

    /** Marks a replica's full-resync snapshot as running or ended; BGSAVE and rewrites wait for it. */
    public void replicationSnapshot(boolean running) {
        this.replicationSnapshot = running;
        if (!running) {
            runScheduled();
        }
    }

    /** Whether any fork-less snapshot runs (BGSAVE, AOF rewrite, replica sync): another cannot start. */
    public boolean snapshotRunning() {
        return bgsave != null || aofRewriting() || replicationSnapshot;
    }

    /** Whether a BGSAVE runs. */
    public boolean bgsaveInProgress() {
        return bgsave != null;
    }

    /** Whether a BGSAVE waits for an AOF rewrite to end (BGSAVE SCHEDULE). */
    public boolean bgsaveScheduled() {
        return bgsaveScheduled;
    }

    /** Whether an AOF rewrite waits for a BGSAVE to end. */
    public boolean aofRewriteScheduled() {
        return aofRewriteScheduled;
    }

    private boolean aofRewriting() {
        return aof != null && aof.rewriting();
    }

    /**
     * BGSAVE [SCHEDULE]: the reply Redis gives, starting a fork-less snapshot into {@code dir}/{@code dbfilename}
     * when nothing else runs.
     *
     * @return {@code "+Background saving started"}, {@code "+Background saving scheduled"} or an error reply
     *         (starting with {@code -})
     */
    public String bgsaveCommand(boolean schedule) {
        if (bgsave != null || replicationSnapshot) {
            return "-ERR Background save already in progress";
        }
        if (aofRewriting()) {
            if (schedule) {
                bgsaveScheduled = true;
                return "+Background saving scheduled";
            }
            return "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in "
                    + "order to schedule a BGSAVE whenever possible.";
        }
        startBgsave();
        return "+Background saving started";
    }

    /** Starts a background save now; the caller checked nothing else runs. */
    void startBgsave() {
        ServerConfig config = engine.config();
        Path target = rdbPath(config);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        long now = System.currentTimeMillis();
        lastBgsaveTryMs = now;
        dirtyAtBgsave = engine.stats().dirty;
        bgsaveScheduled = false;
        Runtime rt = Runtime.getRuntime();
        var header = new dev.peregrine.persistence.snapshot.SnapshotWriter.Header(config.boolValue("rdbcompression"),
                config.boolValue("rdbchecksum"), ServerInfo.REDIS_VERSION, now / 1000,
                rt.totalMemory() - rt.freeMemory(), false, false,
                dev.peregrine.server.script.Scripting.functionCodes(engine), engine.replication().rdbAux());
        log.info("Background saving started");
        bgsave = BackgroundSnapshot.start(engine, target, tmp, header, this::bgsaveDone);
    }

    private void bgsaveDone(dev.peregrine.persistence.snapshot.SnapshotWriter.Result r) {
        BackgroundSnapshot b = bgsave;
        bgsave = null;
        long now = System.currentTimeMillis();
        lastSaveDurationMs = now - b.startedAt();
        lastBgsaveSeconds = lastSaveDurationMs / 1000;
        saves++;
        if (r.ok()) {
            log.info("Background saving terminated with success ({} keys, {} saved ahead of a write, {} bytes)",
                     b.snapshot().keysSaved(), b.snapshot().savedByBarrier(), r.bytes());
            engine.stats().dirty -= dirtyAtBgsave;
            lastSaveMs = b.startedAt();
            lastSaveOk = true;
        } else if (r.aborted()) {
            log.warn("Background saving terminated by signal");
            lastSaveOk = false;
        } else {
            log.warn("Background saving error: {}", r.error());
            lastSaveOk = false;
        }
        runScheduled();
    }

    /** Stops a running BGSAVE (FLUSHALL, SHUTDOWN), as Redis kills its child. */
    public void abortBgsave() {
        if (bgsave != null) {
            log.warn("Background saving in progress: stopping it");
            bgsave.abort();
        }
    }

    /**
     * BGREWRITEAOF: the reply Redis gives, starting a fork-less rewrite when nothing else runs.
     *
     * @return a status reply ({@code +...}) or an error reply ({@code -...})
     */
    public String bgrewriteaofCommand() {
        if (aofRewriting()) {
            return "-ERR Background append only file rewriting already in progress";
        }
        if (bgsave != null || replicationSnapshot) {
            aofRewriteScheduled = true;
            return "+Background append only file rewriting scheduled";
        }
        if (aof == null) {
            return "-ERR Background append only file rewriting is only possible with appendonly yes";
        }
        try {
            aofRewriteScheduled = false;
            AppendOnlyFile a = aof;
            aof.startRewrite(engine, () -> {
                if (a == aof && a.waitingForBase()) {
                    // turned on at runtime and the first base failed: the AOF goes off again, as Redis does
                    log.warn("Background AOF rewrite failed while turning the AOF on: appendonly is off again");
                    stopAof();
                    engine.config().setQuietly("appendonly", "no");
                }
                runScheduled();
            });
        } catch (IOException e) {
            log.warn("Can't rewrite append only file in background: {}", e.getMessage());
            return "-ERR Can't execute an AOF background rewriting. Please check the server logs for more "
                    + "information.";
        }
        return "+Background append only file rewriting started";
    }

    /** Starts what was scheduled behind the job that just ended. */
    private void runScheduled() {
        if (bgsave != null || aofRewriting() || replicationSnapshot) {
            return;
        }
        if (aofRewriteScheduled && aof != null) {
            bgrewriteaofCommand();
        } else if (bgsaveScheduled) {
            startBgsave();
        }
    }

    /**
     * The persistence part of the cron (Redis's serverCron): a save point that is due starts a BGSAVE (after a
     * failure, only once {@link #BGSAVE_RETRY_DELAY_MS} passed); a scheduled job starts once nothing runs; a grown
     * AOF is rewritten.
     */
    public void cron(long now) {
        runScheduled();
        if (bgsave != null || aofRewriting() || replicationSnapshot) {
            return;
        }
        long dirty = engine.stats().dirty;
        long[] points = savePoints(engine.config());
        for (int i = 0; i + 1 < points.length; i += 2) {
            long seconds = points[i];
            long changes = points[i + 1];
            if (dirty >= changes && now - lastSaveMs > seconds * 1000
                    && (lastSaveOk || now - lastBgsaveTryMs > BGSAVE_RETRY_DELAY_MS)) {
                log.info("{} changes in {} seconds. Saving...", changes, seconds);
                startBgsave();
                return;
            }
        }
        if (aof != null && aof.wantsAutoRewrite()) {
            log.info("Starting automatic rewriting of AOF on {}% growth",
                     engine.config().longValue("auto-aof-rewrite-percentage"));
            bgrewriteaofCommand();
        }
    }

    /** The {@code save} directive as pairs of seconds and changes; empty when saving is off. */
    public static long[] savePoints(ServerConfig config) {
        String v = config.stringValue("save").trim();
        if (v.isEmpty()) {
            return new long[0];
        }
        String[] parts = v.split("\\s+");
        long[] out = new long[parts.length / 2 * 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }

    private volatile boolean shutdownPrepared;

    /**
     * The persistence steps of a shutdown (Redis's prepareForShutdown): a running BGSAVE or AOF rewrite is
     * stopped, the AOF buffer is written and fsynced, and the dataset is saved when {@code save} is asked or save
     * points are set and {@code nosave} is not. Executor-only.
     *
     * @param force shut down even when the save fails
     * @return null to go on, or the error reply ({@code ERR Errors trying to SHUTDOWN. Check logs.})
     */
    public String prepareForShutdown(boolean save, boolean nosave, boolean force) {
        abortBgsave();
        if (aof != null) {
            aof.abortRewrite();
            aof.flushAndSync();
        }
        if (save || !nosave && savePoints(engine.config()).length > 0) {
            log.info("Saving the final RDB snapshot before exiting.");
            try {
                save(System.currentTimeMillis());
            } catch (IOException e) {
                if (!force) {
                    log.warn("Error trying to save the DB, can't exit.");
                    return "ERR Errors trying to SHUTDOWN. Check logs.";
                }
            }
        }
        shutdownPrepared = true;
        return null;
    }

    /** Whether {@link #prepareForShutdown} ran successfully (SHUTDOWN), so a later stop need not repeat it. */
    public boolean shutdownPrepared() {
        return shutdownPrepared;
    }

    /** FLUSHALL stops a running BGSAVE, as Redis kills its child. */
    public void beforeFlushAll() {
        abortBgsave();
    }

    /** After FLUSHALL: with save points set, the (now empty) dataset is saved at once, as Redis does. */
    public void afterFlushAll() {
        if (savePoints(engine.config()).length > 0) {
            long dirty = engine.stats().dirty;
            try {
                save(System.currentTimeMillis());
            } catch (IOException e) {
                // logged by save; FLUSHALL itself succeeded
            }
            engine.stats().dirty = dirty; // the FLUSHALL still counts as a change to propagate
        }
    }

    /**
     * DEBUG LOADAOF: writes and fsyncs the AOF buffer, empties the dataset and loads the AOF from disk again (its
     * commands are not propagated anew). Executor-only.
     *
     * @return false when the AOF could not be loaded (logged; the dataset is then what was loaded so far, as in
     *         Redis)
     */
    public boolean reloadAof() {
        ServerConfig config = engine.config();
        if (aof != null) {
            aof.flushAndSync();
            engine.propagation().removeSink(aof);
        }
        try {
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.db(i).clear();
            }
            new AofLoader(engine, loaderOptions(config, engine.databaseCount()), Path.of(config.stringValue("dir")),
                    config.stringValue("appenddirname"), config.stringValue("appendfilename"),
                    config.boolValue("aof-load-truncated"), Runnable::run).load();
            log.info("Append only file loaded by DEBUG LOADAOF");
            return true;
        } catch (AofLoader.Failure e) {
            log.warn("DEBUG LOADAOF: {}", e.getMessage());
            return false;
        } finally {
            if (aof != null) {
                engine.propagation().addSink(aof);
            }
        }
    }

    /**
     * CONFIG SET appendonly yes at runtime (Redis's startAppendOnly): writes go to the AOF from now on, and a
     * rewrite (now, or scheduled behind a running BGSAVE) writes its first base. Executor-only.
     *
     * @return null, or why it could not start
     */
    public String startAof() {
        if (aof != null) {
            return null;
        }
        AppendOnlyFile a = new AppendOnlyFile(engine.config());
        try {
            a.openForEnable();
        } catch (IOException e) {
            log.warn("Redis needs to enable the AOF but can't open the append only file: {}", e.getMessage());
            return "can't open the append only file: " + e.getMessage();
        }
        aof = a;
        engine.propagation().addSink(a);
        engine.beforeReply(a::beforeReply);
        String r = bgrewriteaofCommand();
        if (r.startsWith("-")) {
            stopAof();
            return r.substring(1);
        }
        return null;
    }

    /** CONFIG SET appendonly no (Redis's stopAppendOnly): flushes, fsyncs and closes the AOF. Executor-only. */
    public void stopAof() {
        if (aof == null) {
            return;
        }
        AppendOnlyFile a = aof;
        engine.propagation().removeSink(a);
        engine.beforeReply(null);
        aof = null;
        aofRewriteScheduled = false;
        a.stop();
    }

    /** Cheap test before {@link #writeDenial()}: a save or an AOF write failed last. */
    public boolean persistenceFailing() {
        return !lastSaveOk || aof != null && aof.lastWriteError() != null;
    }

    /**
     * The MISCONF error writes get while persistence fails (Redis's writeCommandsDeniedByDiskError), or null:
     * the last background save failed with save points set and {@code stop-writes-on-bgsave-error yes}, or the
     * last AOF write failed.
     */
    public String writeDenial() {
        if (!lastSaveOk && savePoints(engine.config()).length > 0
                && engine.config().boolValue("stop-writes-on-bgsave-error")) {
            return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
                    + "disk. Commands that may modify the data set are disabled, because this instance is configured "
                    + "to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
                    + "Please check the Redis logs for details about the RDB error.";
        }
        if (aof != null && aof.lastWriteError() != null) {
            return "MISCONF Errors writing to the AOF file: " + aof.lastWriteError();
        }
        return null;
    }

    /** INFO persistence's RDB fields after {@code rdb_changes_since_last_save}, in Redis's order. */
    public void rdbInfo(StringBuilder sb) {
        sb.append("rdb_bgsave_in_progress:").append(bgsave != null ? 1 : 0).append("\r\n");
        sb.append("rdb_last_save_time:").append(lastSaveTime()).append("\r\n");
        sb.append("rdb_last_bgsave_status:").append(lastSaveOk ? "ok" : "err").append("\r\n");
        sb.append("rdb_last_bgsave_time_sec:").append(lastBgsaveSeconds).append("\r\n");
        sb.append("rdb_current_bgsave_time_sec:")
                .append(bgsave != null ? (System.currentTimeMillis() - bgsave.startedAt()) / 1000 : -1)
                .append("\r\n");
        sb.append("rdb_saves:").append(saves).append("\r\n");
        sb.append("rdb_last_cow_size:0\r\n");
    }

    /** INFO persistence's AOF fields from {@code aof_enabled} on, in Redis's order. */
    public void aofInfo(StringBuilder sb) {
        sb.append("aof_enabled:").append(aof != null ? 1 : 0).append("\r\n");
        if (aof != null) {
            aof.rewriteInfo(sb, aofRewriteScheduled);
        } else {
            sb.append("aof_rewrite_in_progress:0\r\naof_rewrite_scheduled:").append(aofRewriteScheduled ? 1 : 0)
                    .append("\r\naof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\n"
                            + "aof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\n"
                            + "aof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\n");
        }
        sb.append("aof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n");
        if (aof != null) {
            sb.append("aof_current_size:").append(aof.currentSize()).append("\r\n");
            sb.append("aof_base_size:").append(aof.baseSize()).append("\r\n");
            sb.append("aof_pending_rewrite:").append(aofRewriteScheduled ? 1 : 0).append("\r\n");
            sb.append("aof_buffer_length:").append(aof.bufferLength()).append("\r\n");
            sb.append("aof_pending_bio_fsync:0\r\naof_delayed_fsync:0\r\n");
        }
    }

    /**
     * Reads {@code dir}/{@code dbfilename} into fresh databases (not installed).
     *
     * @param nowMs unix time in ms: keys expired by then are not loaded
     * @throws NoSuchFileException there is no such file
     * @throws IOException it cannot be read, or is not a valid RDB file ({@code RdbFormatException})
     */
    public RdbLoader.Result load(long nowMs) throws IOException {
        Path file = rdbPath(engine.config());
        RdbLoader loader = new RdbLoader(loaderOptions(engine.config(), engine.databaseCount()), nowMs,
                                         Engine.lruClock(nowMs));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return loader.load(in);
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
