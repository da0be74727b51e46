package dev.peregrine.server.persistence;

import dev.peregrine.persistence.FileSync;
import dev.peregrine.persistence.aof.AofFormatException;
import dev.peregrine.persistence.aof.AofManifest;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Propagation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The append-only file of a running server, as Redis 7 keeps it: a directory ({@code appenddirname} under
 * {@code dir}) holding a base file, incremental AOF files and the manifest naming them ({@link AofManifest}).
 *
 * <p>As a {@link Propagation.Sink} it turns each propagated write into RESP ({@code SELECT} first when the
 * database changes) in a buffer; {@link #beforeReply()} writes the buffer to the current incremental file before
 * the replies of the commands it holds leave, and with {@code appendfsync always} fsyncs it too. With
 * {@code everysec} a background thread fsyncs once a second when there was a write; with {@code no} the OS
 * decides.
 *
 * <p>Thread ownership: {@link #propagate}, {@link #beforeReply()} and the rewrite hooks run on the executor;
 * the fsync thread only calls {@link FileChannel#force}; {@link #open}/{@link #close} run on the control thread
 * while the executor is not running.
 */
public final class AppendOnlyFile implements Propagation.Sink {
    private static final Logger log = LoggerFactory.getLogger(AppendOnlyFile.class);

    private final ServerConfig config;
    private final Path dir;
    private final String baseName;
    private AofManifest manifest;
    private FileChannel incr;
    private long incrSeq;
    private int selectedDb = -1;

    private byte[] buf = new byte[16 * 1024];
    private int len;

    private volatile boolean dirtySinceFsync;
    /** {@code appendfsync}, kept current by a config listener (read on every write and by the fsync thread). */
    private volatile String fsyncPolicy;
    /** {@code aof-timestamp-enabled}, kept current by a config listener. */
    private volatile boolean timestamps;
    private Thread fsyncThread;
    private volatile boolean closing;

    private volatile String lastWriteError;
    private long currentSize;
    private long baseSize;

    /** @param config the server configuration ({@code dir}, {@code appenddirname}, {@code appendfilename}...) */
    public AppendOnlyFile(ServerConfig config) {
        this.config = config;
        this.dir = Path.of(config.stringValue("dir")).resolve(config.stringValue("appenddirname"));
        this.baseName = config.stringValue("appendfilename");
        this.fsyncPolicy = config.stringValue("appendfsync");
        config.onChange("appendfsync", v -> fsyncPolicy = (String) v);
        this.timestamps = config.boolValue("aof-timestamp-enabled");
        config.onChange("aof-timestamp-enabled", v -> timestamps = (Boolean) v);
    }

    /** The AOF directory. */
    public Path directory() {
        return dir;
    }

    /** The manifest's path. */
    public Path manifestPath() {
        return dir.resolve(baseName + ".manifest");
    }

    /** The manifest currently in effect. */
    public AofManifest manifest() {
        return manifest;
    }

    /**
     * Opens the AOF for appending: the last incremental file of an existing manifest, or a new one after it;
     * with no AOF yet, creates the directory, an empty base file (the dataset is empty, as Redis starts with no
     * AOF) and the first incremental file. Control thread, before the executor runs.
     *
     * @param existing the manifest loaded at start-up, or null when there was none
     */
    public void open(AofManifest existing) throws IOException {
        Files.createDirectories(dir);
        if (existing == null || existing.entries().isEmpty()) {
            boolean rdb = config.boolValue("aof-use-rdb-preamble");
            String base = baseName + ".1.base." + (rdb ? "rdb" : "aof");
            log.info("Creating AOF base file {} on server start", base);
            Path tmp = dir.resolve("temp-" + base);
            if (rdb) {
                writeEmptyBase(tmp);
            } else {
                Files.write(tmp, new byte[0]);
            }
            FileSync.fsyncFile(tmp);
            Files.move(tmp, dir.resolve(base), StandardCopyOption.ATOMIC_MOVE);
            manifest = new AofManifest(java.util.List.of(new AofManifest.Entry(base, 1, AofManifest.Type.BASE)));
            incrSeq = 0;
            openNewIncr("on server start");
        } else {
            manifest = existing;
            java.util.List<AofManifest.Entry> incrs = existing.incrs();
            if (incrs.isEmpty()) {
                incrSeq = existing.base() != null ? existing.base().seq() : 0;
                openNewIncr("on server start");
            } else {
                AofManifest.Entry last = incrs.get(incrs.size() - 1);
                incrSeq = last.seq();
                incr = FileChannel.open(dir.resolve(last.name()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
        }
        baseSize = manifest.base() == null ? 0 : sizeOf(manifest.base().name());
        currentSize = baseSize;
        for (AofManifest.Entry e : manifest.incrs()) {
            currentSize += sizeOf(e.name());
        }
        rewriteBaseSize = currentSize;
        startFsyncThread();
    }

    private long sizeOf(String name) {
        try {
            return Files.size(dir.resolve(name));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Starts a new incremental file after the current one and lists it in the manifest (persisted at once), so
     * writes from now on land there. Executor (or control thread before start).
     */
    private void openNewIncr(String why) throws IOException {
        long seq = incrSeq + 1;
        String name = baseName + "." + seq + ".incr.aof";
        log.info("Creating AOF incr file {} {}", name, why);
        FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        AofManifest next = manifest.with(new AofManifest.Entry(name, seq, AofManifest.Type.INCR));
        writeManifest(next);
        FileChannel old = incr;
        incr = ch;
        incrSeq = seq;
        manifest = next;
        selectedDb = -1; // a new file starts with a SELECT, as Redis does
        if (old != null) {
            old.close();
        }
    }

    /** An RDB file of an empty dataset marked as an AOF base (the start of a new AOF, as Redis makes it). */
    private void writeEmptyBase(Path file) throws IOException {
        try (java.io.OutputStream os = Files.newOutputStream(file)) {
            var w = new dev.peregrine.persistence.rdb.RdbFileWriter(
                    new dev.peregrine.persistence.rdb.RdbStreamOutput(os, config.boolValue("rdbcompression")),
                    config.boolValue("rdbchecksum"));
            w.writeHeader();
            w.writeAux("redis-ver", dev.peregrine.server.exec.ServerInfo.REDIS_VERSION);
            w.writeAux("redis-bits", 64);
            w.writeAux("ctime", System.currentTimeMillis() / 1000);
            w.writeAux("used-mem", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
            w.writeAux("aof-base", 1);
            w.writeEnd();
        }
    }

    /** Persists {@code m} atomically: a temp file, fsync, rename, fsync of the directory. */
    void writeManifest(AofManifest m) throws IOException {
        Path tmp = dir.resolve("temp-" + baseName + ".manifest");
        Files.write(tmp, m.format().getBytes(StandardCharsets.UTF_8));
        FileSync.fsyncFile(tmp);
        Files.move(tmp, manifestPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileSync.fsyncDirectory(dir);
    }

    // ---------------------------------------------------------------- the sink

    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private long lastTimestamp;

    @Override
    public int target() {
        return Propagation.TARGET_AOF;
    }

    @Override
    public void propagate(int db, byte[][] argv) {
        if (timestamps) {
            // aof-timestamp-enabled: "#TS:<unix seconds>" before the first command of each new second, as Redis
            long sec = System.currentTimeMillis() / 1000;
            if (sec > lastTimestamp) {
                byte[] ts = ("#TS:" + sec + "\r\n").getBytes(StandardCharsets.US_ASCII);
                ensure(ts.length);
                System.arraycopy(ts, 0, buf, len, ts.length);
                len += ts.length;
                lastTimestamp = sec;
            }
        }
        if (db >= 0 && db != selectedDb) {
            appendCommand(new byte[][] {SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
            selectedDb = db;
        }
        appendCommand(argv);
    }

    private void appendCommand(byte[][] argv) {
        appendHeader('*', argv.length);
        for (byte[] a : argv) {
            appendHeader('$', a.length);
            ensure(a.length + 2);
            System.arraycopy(a, 0, buf, len, a.length);
            len += a.length;
            buf[len++] = '\r';
            buf[len++] = '\n';
        }
    }

    private void appendHeader(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        if (n == 0) {
            buf[len++] = '0';
        } else {
            int start = len;
            for (long v = n; v > 0; v /= 10) {
                buf[len++] = (byte) ('0' + v % 10);
            }
            for (int i = start, j = len - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** Bytes waiting to be written (INFO {@code aof_buffer_length}). */
    public int bufferLength() {
        return len;
    }

    /**
     * Writes the buffered commands to the incremental file (and fsyncs with {@code appendfsync always}); called on
     * the executor before replies leave. A failed write keeps the buffer for the next call and is reported by
     * {@link #lastWriteError()}.
     */
    public void beforeReply() {
        if (len == 0 || incr == null) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            while (b.hasRemaining()) {
                incr.write(b);
            }
            currentSize += len;
            if (fsyncPolicy.equals("always")) {
                incr.force(false);
            } else {
                dirtySinceFsync = true;
            }
            len = 0;
            if (buf.length > 1 << 20) {
                buf = new byte[16 * 1024];
            }
            if (lastWriteError != null) {
                log.warn("AOF write error looks solved, Redis can write again.");
                lastWriteError = null;
            }
        } catch (IOException e) {
            if (lastWriteError == null) {
                log.warn("Error writing to the AOF file: {}", e.getMessage());
            }
            lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** The last write error's text, or null when the last write succeeded. */
    public String lastWriteError() {
        return lastWriteError;
    }

    /** Total size of the base and incremental files, in bytes (INFO {@code aof_current_size}). */
    public long currentSize() {
        return currentSize;
    }

    /** Size of the base file, in bytes (INFO {@code aof_base_size}). */
    public long baseSize() {
        return baseSize;
    }

    private void startFsyncThread() {
        fsyncThread = new Thread(() -> {
            while (!closing) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (dirtySinceFsync && fsyncPolicy.equals("everysec")) {
                    dirtySinceFsync = false;
                    try {
                        FileChannel ch = incr;
                        if (ch != null && ch.isOpen()) {
                            ch.force(false);
                        }
                    } catch (IOException e) {
                        log.warn("Can't fsync the AOF file: {}", e.getMessage());
                    }
                }
            }
        }, "peregrine-aof-fsync");
        fsyncThread.setDaemon(true);
        fsyncThread.start();
    }

    /** Writes what is buffered and fsyncs it (shutdown). Executor-only. */
    public void flushAndSync() {
        beforeReply();
        try {
            if (incr != null) {
                incr.force(true);
            }
        } catch (IOException e) {
            log.warn("Can't fsync the AOF file: {}", e.getMessage());
        }
    }

    /** Writes what is buffered, fsyncs and closes; control thread, after the executor stopped. */
    public void close() {
        closing = true;
        if (fsyncThread != null) {
            fsyncThread.interrupt();
        }
        beforeReply();
        try {
            if (incr != null) {
                incr.force(true);
                incr.close();
            }
        } catch (IOException e) {
            log.warn("Error closing the AOF file: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- rewrite (BGREWRITEAOF)

    private BackgroundSnapshot rewrite;
    private long rewriteStartedAt;
    private long lastRewriteSeconds = -1;
    private boolean lastRewriteOk = true;
    private long rewrites;
    private long consecutiveFailures;
    private long rewriteBaseSize;

    /** Whether a rewrite is running. */
    public boolean rewriting() {
        return rewrite != null;
    }

    /**
     * Starts a rewrite without fork: the writes from now on go to a new incremental file, while a point-in-time
     * snapshot of the keyspace becomes the new base file ({@code <appendfilename>.<n>.base.rdb}); when it is
     * written the manifest names the new base and the files it replaces become history and are deleted.
     * Executor-only; the caller checks that no other snapshot runs.
     */
    public void startRewrite(dev.peregrine.server.exec.Engine engine, Runnable then) throws IOException {
        beforeReply(); // what is buffered belongs to the old incremental file
        long mergedUpTo;
        if (waitingForBase) {
            // enabled at runtime: writes already go to the temporary incremental file; every listed file is old
            mergedUpTo = manifest.lastIncrSeq();
        } else {
            openNewIncr("on background rewrite");
            mergedUpTo = incrSeq - 1;
        }
        long baseSeq = manifest.base() == null ? 1 : manifest.base().seq() + 1;
        boolean rdbBase = config.boolValue("aof-use-rdb-preamble");
        String baseName = this.baseName + "." + baseSeq + ".base." + (rdbBase ? "rdb" : "aof");
        AofManifest.Entry newBase = new AofManifest.Entry(baseName, baseSeq, AofManifest.Type.BASE);
        Path temp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        rewriteStartedAt = System.currentTimeMillis();
        var header = new dev.peregrine.persistence.snapshot.SnapshotWriter.Header(
                config.boolValue("rdbcompression"), config.boolValue("rdbchecksum"),
                dev.peregrine.server.exec.ServerInfo.REDIS_VERSION, rewriteStartedAt / 1000,
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), true, !rdbBase,
                dev.peregrine.server.script.Scripting.functionCodes(engine));
        log.info("Background append only file rewriting started");
        dev.peregrine.persistence.snapshot.Snapshot.EntryWriter entries = rdbBase
                ? new dev.peregrine.persistence.rdb.RdbEncoder()::writeEntry
                : new dev.peregrine.persistence.aof.AofRewriteEncoder(config.boolValue("rdbcompression"))::writeEntry;
        rewrite = BackgroundSnapshot.start(engine, dir.resolve(baseName), temp, header, entries,
                r -> {
                    rewriteDone(r, newBase, mergedUpTo);
                    then.run();
                });
    }

    private void rewriteDone(dev.peregrine.persistence.snapshot.SnapshotWriter.Result r, AofManifest.Entry newBase,
                             long mergedUpTo) {
        rewrite = null;
        lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartedAt) / 1000;
        if (!r.ok()) {
            lastRewriteOk = false;
            consecutiveFailures++;
            log.warn("Background AOF rewrite {}", r.aborted() ? "aborted" : "failed: " + r.error());
            return;
        }
        try {
            log.info("Successfully renamed the temporary AOF base file into {}", newBase.name());
            AofManifest next = manifest.rewritten(newBase, mergedUpTo);
            if (waitingForBase) {
                // the temporary incremental file becomes the first one listed after the new base
                long seq = Math.max(manifest.lastIncrSeq(), incrSeq) + 1;
                String name = baseName + "." + seq + ".incr.aof";
                beforeReply();
                Files.move(tempIncr, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                log.info("Successfully renamed the temporary AOF incr file {} into {}", tempIncr.getFileName(), name);
                next = next.with(new AofManifest.Entry(name, seq, AofManifest.Type.INCR));
                incrSeq = seq;
                waitingForBase = false;
                tempIncr = null;
            }
            writeManifest(next);
            manifest = next;
            for (AofManifest.Entry e : next.entries()) {
                if (e.type() == AofManifest.Type.HISTORY) {
                    log.info("Removing the history file {} in the background", e.name());
                    Files.deleteIfExists(dir.resolve(e.name()));
                }
            }
            next = next.withoutHistory();
            writeManifest(next);
            manifest = next;
            baseSize = sizeOf(newBase.name());
            currentSize = baseSize;
            for (AofManifest.Entry e : manifest.incrs()) {
                currentSize += sizeOf(e.name());
            }
            rewriteBaseSize = currentSize;
            rewrites++;
            lastRewriteOk = true;
            consecutiveFailures = 0;
            log.info("Background AOF rewrite finished successfully");
        } catch (IOException e) {
            lastRewriteOk = false;
            consecutiveFailures++;
            log.warn("Background AOF rewrite failed updating the manifest: {}", e.getMessage());
        }
    }

    private boolean waitingForBase;
    private Path tempIncr;

    /**
     * Opens the AOF when {@code appendonly} is turned on at runtime, as Redis does: writes go at once to a
     * temporary incremental file ({@code temp-<appendfilename>.incr}), which is listed in the manifest only once
     * the rewrite that must follow ({@link #startRewrite}) has produced the base; files of an older AOF in the
     * directory become history then. Executor-only.
     */
    public void openForEnable() throws IOException {
        Files.createDirectories(dir);
        Path mp = manifestPath();
        manifest = Files.exists(mp) ? readManifest(mp) : AofManifest.empty();
        incrSeq = manifest.lastIncrSeq();
        tempIncr = dir.resolve("temp-" + baseName + ".incr");
        incr = FileChannel.open(tempIncr, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        waitingForBase = true;
        selectedDb = -1;
        currentSize = 0;
        baseSize = 0;
        rewriteBaseSize = 0;
        startFsyncThread();
    }

    /** Whether the AOF was turned on at runtime and its first base is not written yet. */
    public boolean waitingForBase() {
        return waitingForBase;
    }

    /**
     * Turns the AOF off (CONFIG SET appendonly no, or a failed first rewrite): writes the buffer, fsyncs, stops
     * a rewrite and closes; a temporary incremental file that never got a base is deleted. Executor-only.
     */
    public void stop() {
        abortRewrite();
        close();
        if (tempIncr != null) {
            FileSync.deleteQuietly(tempIncr);
        }
    }

    /** Stops a running rewrite (its base file is not produced). Executor-only. */
    public void abortRewrite() {
        if (rewrite != null) {
            rewrite.abort();
        }
    }

    /**
     * Whether the AOF grew enough for an automatic rewrite: {@code auto-aof-rewrite-percentage} over the size
     * after the last rewrite (or start-up), and at least {@code auto-aof-rewrite-min-size}.
     */
    public boolean wantsAutoRewrite() {
        long pct = config.longValue("auto-aof-rewrite-percentage");
        if (pct == 0 || rewrite != null || currentSize < config.longValue("auto-aof-rewrite-min-size")) {
            return false;
        }
        long base = rewriteBaseSize > 0 ? rewriteBaseSize : 1;
        return (currentSize - base) * 100 / base >= pct;
    }

    /** INFO persistence's AOF rewrite fields, in Redis's order (after {@code aof_enabled}). */
    public void rewriteInfo(StringBuilder sb, boolean scheduled) {
        sb.append("aof_rewrite_in_progress:").append(rewrite != null ? 1 : 0).append("\r\n");
        sb.append("aof_rewrite_scheduled:").append(scheduled ? 1 : 0).append("\r\n");
        sb.append("aof_last_rewrite_time_sec:").append(lastRewriteSeconds).append("\r\n");
        sb.append("aof_current_rewrite_time_sec:")
                .append(rewrite != null ? (System.currentTimeMillis() - rewriteStartedAt) / 1000 : -1).append("\r\n");
        sb.append("aof_last_bgrewrite_status:").append(lastRewriteOk ? "ok" : "err").append("\r\n");
        sb.append("aof_rewrites:").append(rewrites).append("\r\n");
        sb.append("aof_rewrites_consecutive_failures:").append(consecutiveFailures).append("\r\n");
        sb.append("aof_last_write_status:").append(lastWriteError == null ? "ok" : "err").append("\r\n");
    }

    /** A manifest read from disk, or an {@link AofFormatException}. */
    public static AofManifest readManifest(Path file) throws IOException {
        return AofManifest.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
