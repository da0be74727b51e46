package dev.peregrine.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program running in a real pseudo-terminal: a detached tmux session on its own server socket, fed keystrokes
 * with {@code send-keys} and read back as the rendered screen with {@code capture-pane}. Tests are skipped when tmux
 * is missing, unless {@code CI=true}, where that fails them.
 */
final class Tmux implements AutoCloseable {
    private final java.nio.file.Path dir;
    private final String socket;

    private Tmux(java.nio.file.Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("socket").toString();
    }

    /** Skips the test (fails it under CI=true) when tmux is not on PATH. */
    static void require() {
        boolean present = RealRedis.onPath("tmux");
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("tmux must be on PATH under CI=true");
        }
        Assumptions.assumeTrue(present, "tmux not on PATH");
    }

    /** Starts {@code command} with {@code env} added, in a {@code columns} x {@code rows} terminal (xterm-256color). */
    static Tmux start(int columns, int rows, Map<String, String> env, List<String> command) throws Exception {
        require();
        Tmux t = new Tmux(java.nio.file.Files.createTempDirectory("peregrine-cli-tmux"));
        StringBuilder shell = new StringBuilder("exec env TERM=xterm-256color");
        for (Map.Entry<String, String> e : env.entrySet()) {
            shell.append(' ').append(quote(e.getKey() + "=" + e.getValue()));
        }
        for (String c : command) {
            shell.append(' ').append(quote(c));
        }
        t.tmux("-f", "/dev/null", "new-session", "-d", "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                shell.toString());
        return t;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("TMUX");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tmux " + String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("tmux " + args[0] + " failed: " + text);
        }
        return text;
    }

    /** Types {@code text} literally. */
    void type(String text) throws Exception {
        tmux("send-keys", "-l", text);
    }

    /** Presses named keys: {@code Enter}, {@code Tab}, {@code Up}, {@code C-u}... */
    void press(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys"));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /**
     * The screen with colours ({@code ESC [ ... m}) but without the colour resets, which redis-cli and JLine emit
     * differently for the same look; trailing blank lines dropped.
     */
    String screen() throws Exception {
        String s = tmux("capture-pane", "-p", "-e")
                .replace("\u001b[39m", "").replace("\u001b[49m", "").replace("\u001b[0m", "");
        return s.replaceAll("\\s+$", "");
    }

    /** The screen without colours. */
    String text() throws Exception {
        return tmux("capture-pane", "-p").replaceAll("\\s+$", "");
    }

    /** Whether the session still runs (its program has not exited). */
    boolean alive() {
        try {
            tmux("has-session");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits (up to 20 s) until the screen satisfies {@code condition}; returns it, or fails with the last screen. */
    String await(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = text();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waiting for " + what + "; screen:\n" + s);
    }

    /** Waits (up to 20 s) for the program to exit. */
    void awaitExit() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (alive()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still running:\n" + text());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (Exception e) {
            // already gone with its last session
        }
        try {
            java.nio.file.Files.deleteIfExists(dir.resolve("socket"));
            java.nio.file.Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left in the temporary directory
        }
    }
}
