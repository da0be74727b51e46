package dev.peregrine.server.persistence;

import dev.peregrine.persistence.aof.AofFormatException;
import dev.peregrine.persistence.aof.AofManifest;
import dev.peregrine.persistence.aof.AofReader;
import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Loads the append-only file at start-up, as Redis 7 does: the manifest's base file (RDB, or AOF, either may
 * carry an RDB preamble) and then each incremental file's commands, replayed through the normal command path by
 * a connection-less client. An old single-file AOF ({@code dir/appendfilename}) without a manifest is first moved
 * into the AOF directory as the base.
 *
 * <p>Only the last file may end inside a command: with {@code aof-load-truncated yes} it is cut back to its last
 * whole command and loading goes on, otherwise start-up fails. A transaction left open at the end of the data is
 * dropped. Anything else that does not parse, or an unknown command, fails start-up with a message naming the
 * file. Runs on the start-up thread before the executor role starts.
 */
public final class AofLoader {
    private static final Logger log = LoggerFactory.getLogger(AofLoader.class);

    /** Start-up cannot go on; the message says why. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Engine engine;
    private final RdbLoader.Options rdbOptions;
    private final Path dir;
    private final Path legacyDir;
    private final String baseName;
    private final boolean loadTruncated;
    private final java.util.function.Consumer<Runnable> onExecutor;
    private long keysFromBase;
    private long commands;

    /**
     * @param engine the engine whose databases are filled
     * @param rdbOptions settings shaping values loaded from an RDB base
     * @param parentDir the server's {@code dir}
     * @param dirName {@code appenddirname}
     * @param baseName {@code appendfilename}
     * @param loadTruncated {@code aof-load-truncated}
     * @param onExecutor runs a change of the dataset where the dataset may be changed and returns after it ran:
     *        {@link Engine#runAndWait} at start-up (reading and parsing stay on the calling thread, the executor
     *        answers clients with {@code -LOADING} in between), {@code Runnable::run} on the executor itself
     */
    public AofLoader(Engine engine, RdbLoader.Options rdbOptions, Path parentDir, String dirName, String baseName,
                     boolean loadTruncated, java.util.function.Consumer<Runnable> onExecutor) {
        this.onExecutor = onExecutor;
        this.engine = engine;
        this.rdbOptions = rdbOptions;
        this.legacyDir = parentDir;
        this.dir = parentDir.resolve(dirName);
        this.baseName = baseName;
        this.loadTruncated = loadTruncated;
    }

    /**
     * Loads the AOF if there is one.
     *
     * @return the manifest in effect (to open the AOF for appending), or null when there was no AOF
     */
    public AofManifest load() throws Failure {
        Path manifestPath = dir.resolve(baseName + ".manifest");
        AofManifest manifest;
        try {
            if (!Files.exists(manifestPath)) {
                Path legacy = legacyDir.resolve(baseName);
                if (!Files.isRegularFile(legacy) || Files.size(legacy) == 0 && !Files.isDirectory(dir)) {
                    return null;
                }
                manifest = upgradeLegacy(legacy, manifestPath);
            } else {
                manifest = AppendOnlyFile.readManifest(manifestPath);
            }
        } catch (IOException e) {
            throw new Failure("Can't load the AOF manifest " + manifestPath + ": " + e.getMessage(), e);
        }
        AofManifest.Entry base = manifest.base();
        List<AofManifest.Entry> incrs = manifest.incrs();
        if (base == null && incrs.isEmpty()) {
            return manifest;
        }
        long started = System.nanoTime();
        int total = (base == null ? 0 : 1) + incrs.size();
        for (AofManifest.Entry e : manifest.entries()) {
            if (e.type() != AofManifest.Type.HISTORY) {
                try {
                    engine.loadingTotal(Files.size(dir.resolve(e.name())));
                } catch (IOException ignored) {
                    // a missing file is reported when its turn comes
                }
            }
        }
        int index = 0;
        if (base != null) {
            loadFile(base.name(), ++index == total, true);
        }
        for (AofManifest.Entry e : incrs) {
            loadFile(e.name(), ++index == total, false);
        }
        onExecutor.accept(() -> engine.stats().dirty = 0);
        log.info("DB loaded from append only file: {} seconds",
                 String.format("%.3f", (System.nanoTime() - started) / 1e9));
        return manifest;
    }

    /** Moves an old single-file AOF into the directory as the base and writes a manifest for it. */
    private AofManifest upgradeLegacy(Path legacy, Path manifestPath) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(baseName);
        Files.move(legacy, target, StandardCopyOption.ATOMIC_MOVE);
        AofManifest m = new AofManifest(List.of(new AofManifest.Entry(baseName, 1, AofManifest.Type.BASE)));
        Path tmp = dir.resolve("temp-" + baseName + ".manifest");
        Files.write(tmp, m.format().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, manifestPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("Successfully migrated an old-style AOF into the AOF directory");
        return m;
    }

    private void loadFile(String name, boolean last, boolean isBase) throws Failure {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            throw new Failure("The AOF file " + name + " doesn't exist", null);
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                return;
            }
            long start = 0;
            if (startsWithRdb(file)) {
                log.info("Reading RDB {} from AOF file {}", isBase ? "base file" : "preamble", name);
                start = loadRdbPart(file);
                if (start >= size) {
                    log.info("DB loaded from {} file {}", isBase ? "base" : "incr", name);
                    return;
                }
            }
            replay(file, name, start, last);
            log.info("DB loaded from {} file {}", isBase ? "base" : "incr", name);
        } catch (IOException e) {
            throw new Failure("Error reading the append only file " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWithRdb(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(5);
            return head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** Loads an RDB part into the engine's (empty) databases; returns the offset after it. */
    private long loadRdbPart(Path file) throws IOException {
        long now = System.currentTimeMillis();
        RdbLoader.Result r;
        try (InputStream in = new BufferedInputStream(
                new CountingInputStream(Files.newInputStream(file), engine.loadingLoaded()), 1 << 16)) {
            r = new RdbLoader(rdbOptions, now, Engine.lruClock(now)).load(in);
        }
        Database[] loaded = r.databases();
        onExecutor.accept(() -> {
            for (int i = 0; i < loaded.length; i++) {
                Database.swap(engine.db(i), loaded[i]);
            }
        });
        keysFromBase += r.keysLoaded();
        dev.peregrine.server.script.Scripting.loadFunctions(engine, r.functions(), false);
        return r.endOffset();
    }

    private void replay(Path file, String name, long start, boolean last) throws IOException, Failure {
        Client client = engine.pseudoClient();
        long[] multiAt = {-1};
        long[] before = {start};
        AofReader.Result result;
        java.util.List<byte[][]> batch = new java.util.ArrayList<>();
        Runnable applyBatch = () -> {
            if (!batch.isEmpty()) {
                onExecutor.accept(() -> {
                    for (byte[][] argv : batch) {
                        engine.executeAs(client, argv);
                    }
                });
                batch.clear();
            }
        };
        try (InputStream raw = Files.newInputStream(file)) {
            raw.skipNBytes(start);
            InputStream in = new BufferedInputStream(new CountingInputStream(raw, engine.loadingLoaded()), 1 << 16);
            result = new AofReader(in, start, name).read((argv, end) -> {
                if (engine.commands().lookup(argv[0]) == null) {
                    throw new UnknownCommand("Unknown command '" + new String(argv[0], StandardCharsets.ISO_8859_1)
                            + "' reading the append only file " + name);
                }
                if (isWord(argv[0], "multi")) {
                    multiAt[0] = before[0];
                } else if (isWord(argv[0], "exec") || isWord(argv[0], "discard")) {
                    multiAt[0] = -1;
                }
                batch.add(argv);
                if (batch.size() == REPLAY_BATCH) {
                    applyBatch.run();
                }
                commands++;
                before[0] = end;
            });
            applyBatch.run();
        } catch (UnknownCommand e) {
            throw new Failure(e.getMessage(), e);
        } catch (AofFormatException e) {
            throw new Failure(e.getMessage() + ". Make a backup of your AOF file, then use redis-check-aof --fix "
                    + "<filename.manifest>", e);
        }
        long validLength = result.validLength();
        if (result.truncated()) {
            if (!last || !loadTruncated) {
                throw new Failure("Unexpected end of file reading the append only file " + name + ". You can: "
                        + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                        + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and "
                        + "restart the server.", null);
            }
            log.warn("!!! Warning: short read while loading the AOF file {}!!!", name);
        }
        if (multiAt[0] >= 0) {
            // a transaction without its EXEC: its commands were only queued; cut it off the file
            if (!last || !loadTruncated) {
                throw new Failure("Unexpected end of file reading the append only file " + name
                        + " (a MULTI without EXEC)", null);
            }
            log.warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", name);
            onExecutor.accept(() -> engine.executeAs(client,
                    new byte[][] {"DISCARD".getBytes(StandardCharsets.US_ASCII)}));
            validLength = multiAt[0];
        }
        if (validLength < Files.size(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(validLength);
            }
            log.warn("AOF {} loaded anyway because aof-load-truncated is enabled", name);
        }
    }

    /** Commands applied per hand-over to the executor while loading. */
    private static final int REPLAY_BATCH = 1024;

    private static boolean isWord(byte[] b, String w) {
        return new String(b, StandardCharsets.ISO_8859_1).equalsIgnoreCase(w);
    }

    /** Keys loaded from RDB parts. */
    public long keysFromBase() {
        return keysFromBase;
    }

    /** Commands replayed from AOF parts. */
    public long commands() {
        return commands;
    }

    private static final class UnknownCommand extends IOException {
        private static final long serialVersionUID = 1L;

        UnknownCommand(String message) {
            super(message);
        }
    }
}
