package dev.peregrine.server;

import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.persistence.Snapshots;
import dev.peregrine.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads {@code dir}/{@code dbfilename} at start-up, before the server accepts connections, as redis-server does:
 * a missing file is an empty dataset; a file that does not parse completely stops start-up (nothing is loaded).
 *
 * <p>Runs on the start-up thread before the executor role starts, so it may fill the engine's databases.
 */
final class StartupLoader {
    private static final Logger log = LoggerFactory.getLogger(StartupLoader.class);

    private StartupLoader() {
    }

    /** The RDB file exists but could not be loaded; nothing was loaded. The message names the file and reason. */
    static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoadFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The RDB file the configuration names: {@code dir} joined with {@code dbfilename}. */
    static Path rdbPath(ServerConfig config) {
        return Snapshots.rdbPath(config);
    }

    /**
     * Loads the RDB file if there is one.
     *
     * @throws LoadFailure when the file cannot be read or parsed (a corrupt file names the offset and reason)
     */
    static void load(ServerConfig config, Engine engine) throws LoadFailure {
        Path file = rdbPath(config);
        if (!Files.isRegularFile(file)) {
            return;
        }
        long started = System.nanoTime();
        RdbLoader.Options options = Snapshots.loaderOptions(config, engine.databaseCount());
        long now = System.currentTimeMillis();
        RdbLoader.Result result;
        try {
            engine.loadingTotal(Files.size(file));
        } catch (IOException e) {
            throw new LoadFailure(file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        try (InputStream in = new BufferedInputStream(
                new dev.peregrine.server.persistence.CountingInputStream(Files.newInputStream(file),
                        engine.loadingLoaded()), 1 << 16)) {
            result = new RdbLoader(options, now, Engine.lruClock(now)).load(in);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new LoadFailure(file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        String version = result.aux().get("redis-ver");
        if (version != null) {
            log.info("Loading RDB produced by version {}", version);
        }
        String ctime = result.aux().get("ctime");
        if (ctime != null) {
            try {
                log.info("RDB age {} seconds", Math.max(0, now / 1000 - Long.parseLong(ctime)));
            } catch (NumberFormatException ignored) {
                // an odd ctime field only loses this log line
            }
        }
        Database[] loaded = result.databases();
        java.util.List<byte[]> functions = result.functions();
        java.util.Map<String, String> aux = result.aux();
        engine.runAndWait(() -> {
            for (int i = 0; i < loaded.length; i++) {
                Database.swap(engine.db(i), loaded[i]);
            }
            dev.peregrine.server.script.Scripting.loadFunctions(engine, functions, false);
            engine.replication().restoreFromRdb(aux);
        });
        log.info("Done loading RDB, keys loaded: {}, keys expired: {}.", result.keysLoaded(),
                 result.expiredSkipped());
        log.info("DB loaded from disk: {} seconds", String.format("%.3f", (System.nanoTime() - started) / 1e9));
    }
}
