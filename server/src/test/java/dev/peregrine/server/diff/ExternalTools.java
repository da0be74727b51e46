package dev.peregrine.server.diff;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Redis tools (redis-server, redis-cli, redis-benchmark) on {@code PATH}. A test that needs a missing
 * tool is skipped (a JUnit assumption) on a developer machine, and fails when the environment variable {@code CI}
 * is {@code true}, so CI never passes by skipping. Any thread.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** The executable named {@code name} on {@code PATH}, if any. */
    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether the environment variable {@code CI} is {@code true}. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The executable named {@code name}; when absent, skips the calling test (assumption), or fails it under
     * {@code CI=true}.
     */
    public static Path require(String name) {
        Optional<Path> p = find(name);
        if (p.isPresent()) {
            return p.get();
        }
        String message = name + " not found on PATH (Debian: apt-get install redis-server redis-tools)";
        if (onCi()) {
            Assertions.fail(message + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(message + "; test skipped");
        throw new AssertionError("unreachable");
    }
}
