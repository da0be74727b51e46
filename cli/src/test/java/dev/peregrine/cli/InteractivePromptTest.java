package dev.peregrine.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The interactive prompt loop with a scripted line editor standing in for JLine: prompts (with the database after
 * SELECT), formatted replies, the repeat prefix, bad quoting, local commands and quit.
 */
class InteractivePromptTest {
    /** Types the given lines; the screen shows each prompt followed by the typed line, then the output. */
    private static final class Scripted implements LineEditor {
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final Deque<String> lines;
        final List<String> history = new java.util.ArrayList<>();
        CommandHelp commands;
        boolean closed;

        Scripted(List<String> lines) {
            this.lines = new ArrayDeque<>(lines);
        }

        @Override
        public byte[] readLine(String prompt) {
            String line = lines.poll();
            screen.writeBytes((prompt + (line == null ? "" : line + "\n")).getBytes(StandardCharsets.UTF_8));
            return line == null ? null : line.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public OutputStream output() {
            return screen;
        }

        @Override
        public void addHistory(String line) {
            history.add(line);
        }

        @Override
        public void commands(CommandHelp help) {
            commands = help;
        }

        @Override
        public void clearScreen() {
            screen.writeBytes("<clear>".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void promptSession() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            Scripted editor = new Scripted(List.of("set a 1", "get a", "select 2", "get a", "2 incr n", "",
                    "\"unbalanced", "help", "clear", "select 99", "auth secret", "config set requirepass x",
                    "2 acl setuser u", "0 get a", "lrange nokey 0 -1", "quit", "set never 1"));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = PeregrineCli.run(new String[] {"-p", Integer.toString(redis.port)},
                    new ByteArrayInputStream(new byte[0]), stdout, err, true, name -> null, () -> editor);
            assertEquals(0, code);
            String p = "127.0.0.1:" + redis.port;
            assertEquals(p + "> set a 1\nOK\n"
                    + p + "> get a\n\"1\"\n"
                    + p + "> select 2\nOK\n"
                    + p + "[2]> get a\n(nil)\n"
                    + p + "[2]> 2 incr n\n(integer) 1\n(integer) 2\n"
                    + p + "[2]> \n"
                    + p + "[2]> \"unbalanced\nInvalid argument(s)\n"
                    + p + "[2]> help\n" + Help.interactive()
                    + p + "[2]> clear\n<clear>"
                    + p + "[2]> select 99\n(error) ERR DB index is out of range\n"
                    + p + "[2]> auth secret\n(error) ERR AUTH <password> called without any password configured for"
                    + " the default user. Are you sure your configuration is correct?\n"
                    + p + "[2]> config set requirepass x\nOK\n"
                    + p + "[2]> 2 acl setuser u\nOK\nOK\n"
                    + p + "[2]> 0 get a\nInvalid redis-cli repeat command option value.\n"
                    + p + "[2]> lrange nokey 0 -1\n(empty array)\n"
                    + p + "[2]> quit\n", editor.screen.toString(StandardCharsets.UTF_8));
            assertEquals("", stdout.toString(StandardCharsets.UTF_8));
            assertEquals(true, editor.closed);
            assertEquals(List.of("set a 1", "get a", "select 2", "get a", "2 incr n", "\"unbalanced", "help", "clear",
                    "select 99", "lrange nokey 0 -1", "quit"), editor.history, "no secrets, no bad repeat counts");
            assertEquals(true, editor.commands != null && editor.commands.hint("get") != null, "docs fetched");
            try (Connection c = redis.connect()) {
                assertEquals(0, c.callStrings("EXISTS", "never").integer, "nothing runs after quit");
            }
        }
    }
}
