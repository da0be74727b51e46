package dev.peregrine.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The durability steps every file this server writes goes through (write to a temporary name, fsync, rename,
 * fsync of the directory), and the cleanup of a temporary file after a failure. Any thread.
 */
public final class FileSync {
    private FileSync() {
    }

    /** Fsyncs a file's data and metadata. */
    public static void fsyncFile(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Fsyncs a directory so a rename in it is durable; file systems that cannot do it are skipped. */
    public static void fsyncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not supported here; the rename itself is atomic
        }
    }

    /** Deletes a file if it exists, ignoring failures (a leftover temporary file is harmless). */
    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
