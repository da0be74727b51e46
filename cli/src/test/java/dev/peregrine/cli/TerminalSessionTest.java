package dev.peregrine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive prompt in a real pseudo-terminal (tmux), side by side with the real redis-cli on one
 * redis-server: the same keystrokes go to both and their screens (text and colours) must end up the same, for
 * argument hints, TAB completion cycling, {@code help}, the database in the prompt, the server restarting under
 * them ({@code Error: Server closed the connection}, {@code not connected>}, reconnecting), and the history (the
 * file's bytes, and Up arrow after a restart of the CLI).
 */
class TerminalSessionTest {
    private static final int COLUMNS = 100;
    private static final int ROWS = 60;

    private static List<String> ourCommand(int port) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PeregrineCli.class.getName(), "-p", Integer.toString(port));
    }

    private static Map<String, String> env(Path dir, String name) {
        return Map.of("HOME", dir.toString(), "REDISCLI_HISTFILE", dir.resolve(name + ".history").toString(),
                "REDISCLI_RCFILE", "/dev/null");
    }

    /** Both sessions, driven together. */
    private static final class Pair implements AutoCloseable {
        final Tmux theirs;
        final Tmux ours;

        Pair(Tmux theirs, Tmux ours) {
            this.theirs = theirs;
            this.ours = ours;
        }

        void type(String text) throws Exception {
            theirs.type(text);
            ours.type(text);
        }

        void press(String... keys) throws Exception {
            theirs.press(keys);
            ours.press(keys);
        }

        /**
         * Waits until redis-cli's screen shows {@code marker} and ours is the same screen, then checks they are the
         * same with colours too.
         */
        void same(String marker) throws Exception {
            String expected = theirs.await(s -> s.contains(marker), "redis-cli to show " + marker);
            try {
                ours.await(s -> s.equals(expected), "our screen to match redis-cli's");
            } catch (AssertionError e) {
                assertEquals(expected, ours.text(), "screens differ after " + marker);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!theirs.screen().equals(ours.screen()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(theirs.screen(), ours.screen(), "colours differ after " + marker);
        }

        @Override
        public void close() {
            theirs.close();
            ours.close();
        }
    }

    private static Pair start(RealRedis redis, Path dir) throws Exception {
        String prompt = "127.0.0.1:" + redis.port + ">";
        Tmux theirs = Tmux.start(COLUMNS, ROWS, env(dir, "theirs"),
                List.of("redis-cli", "-p", Integer.toString(redis.port)));
        Tmux ours = Tmux.start(COLUMNS, ROWS, env(dir, "ours"), ourCommand(redis.port));
        Predicate<String> ready = s -> s.startsWith(prompt);
        theirs.await(ready, "redis-cli's prompt");
        ours.await(ready, "our prompt");
        return new Pair(theirs, ours);
    }

    @Test
    void promptSideBySideWithRedisCli(@TempDir Path dir) throws Exception {
        Tmux.require();
        try (RealRedis redis = RealRedis.start()) {
            String prompt = "127.0.0.1:" + redis.port;
            try (Pair p = start(redis, dir)) {
                // hints: the synopsis after the name, what is typed taken off its front, cut at the screen's edge
                p.type("set");
                p.same("set key value [NX|XX]");
                p.type(" k v ");
                p.same("set k v [NX|XX] [GET]");
                p.press("C-u");
                p.type("client kill");
                p.same("client kill ip:port|[ID client-id]");
                p.press("C-u");
                p.type("xadd s");
                p.same("xadd s [NOMKSTREAM]");
                p.press("C-u");
                p.type("nosuchcommand x");
                p.same("nosuchcommand x");
                // completion: TAB cycles through the names (subcommands too), then the typed text again
                p.press("C-u");
                p.type("cli");
                p.press("Tab");
                p.same(prompt + "> CLIENT");
                p.press("Tab");
                p.same("CLIENT CACHING YES|NO");
                p.press("Tab");
                p.same("CLIENT GETNAME");
                p.press("C-u");
                p.type("getr");
                p.press("Tab");
                p.same("GETRANGE key start end");
                p.press("Tab");
                p.same(prompt + "> getr");
                p.press("Tab");
                p.same("GETRANGE key start end");
                p.press("C-u");
                p.type("help @hyper");
                p.press("Tab");
                p.same("help @hyperloglog");
                p.press("Enter");
                p.same("PFSELFTEST");
                // help on one command, on a container, and the database in the prompt
                p.type("help set");
                p.press("Enter");
                p.same("group: string");
                p.type("clear");
                p.press("Enter");
                p.type("help client no-evict");
                p.press("Enter");
                p.same("group: connection");
                p.type("select 3");
                p.press("Enter");
                p.same(prompt + "[3]>");
                p.type("auth nopass");
                p.press("Enter");
                p.same("(error)");
                p.type("clear");
                p.press("Enter");
                p.same(prompt + "[3]>");
                // the server restarts under them
                redis.stopServer();
                p.type("ping");
                p.press("Enter");
                p.same("not connected>");
                p.type("ping");
                p.press("Enter");
                p.same("Could not connect to Redis at 127.0.0.1:" + redis.port);
                redis.startAgain();
                p.type("ping");
                p.press("Enter");
                p.same("PONG");
                p.type("set restarted 1");
                p.press("Enter");
                p.same("OK");
                // history: Up walks back, skipping repeats and AUTH
                p.press("Up");
                p.same(prompt + "[3]> set restarted 1");
                p.press("Up");
                p.same(prompt + "[3]> ping");
                p.press("Up");
                p.same(prompt + "[3]> clear");
                p.press("Up");
                p.same(prompt + "[3]> select 3");
                p.press("C-u");
                p.type("quit");
                p.press("Enter");
                p.theirs.awaitExit();
                p.ours.awaitExit();
            }
            byte[] theirs = Files.readAllBytes(dir.resolve("theirs.history"));
            byte[] ours = Files.readAllBytes(dir.resolve("ours.history"));
            assertEquals(new String(theirs, StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8));
            assertArrayEquals(theirs, ours);
            assertTrue(!new String(ours, StandardCharsets.UTF_8).contains("auth"), "AUTH stays out of the history");
            try (Connection c = redis.connect()) {
                c.callStrings("SELECT", "3");
                assertEquals("1", c.callStrings("GET", "restarted").text(), "reconnected to database 3");
            }
            // a new session reads the history back
            try (Pair p = start(redis, dir)) {
                p.press("Up");
                p.same(prompt + "> quit");
                p.press("Up");
                p.same(prompt + "> set restarted 1");
                p.press("C-u");
                p.type("help");
                p.press("Enter");
                p.ours.await(s -> s.contains("\"help @<group>\""), "our plain help");
                p.type("quit");
                p.press("Enter");
                p.ours.awaitExit();
            }
        }
    }
}
