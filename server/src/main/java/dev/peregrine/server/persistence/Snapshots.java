package dev.peregrine.server.persistence;

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
                rt.totalMemory() - rt.freeMemory());
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
            RdbFileWriter.save(dbs, out, options);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            log.warn("Write error saving DB on disk: {}", reason(e));
            deleteQuietly(tmp);
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
            deleteQuietly(tmp);
            throw e;
        }
        syncDirectory(dir);
        log.info("DB saved on disk");
        engine.stats().dirty = 0;
        lastSaveMs = nowMs;
        lastSaveOk = true;
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

    /** Makes a rename durable: fsync of the directory (skipped where the platform cannot open one). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do: the temp file stays behind
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
