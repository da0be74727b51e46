package dev.peregrine.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The interactive prompt's line editor (JLine): editing, history kept in a file ({@code REDISCLI_HISTFILE}, else
 * {@code ~/.rediscli_history}, one plain line per entry as redis-cli keeps it; {@code /dev/null} keeps none).
 * Ctrl-C and Ctrl-D at the prompt end the session.
 *
 * <p>Single-threaded (the CLI's main thread).
 */
final class Prompt implements LineEditor {
    private final Terminal terminal;
    private final LineReader reader;

    Prompt(Terminal terminal, Path history) {
        this.terminal = terminal;
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal)
                .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (history != null) {
            b.variable(LineReader.HISTORY_FILE, history);
        }
        this.reader = b.build();
    }

    /** The prompt on the process's own terminal, with the history file from the environment. */
    static Prompt system() {
        try {
            Terminal t = TerminalBuilder.builder().system(true).build();
            String file = System.getenv("REDISCLI_HISTFILE");
            Path history = file != null ? (file.equals("/dev/null") ? null : Path.of(file))
                    : Path.of(System.getProperty("user.home"), ".rediscli_history");
            return new Prompt(t, history);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public byte[] readLine(String prompt) {
        try {
            return reader.readLine(prompt).getBytes(StandardCharsets.UTF_8);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    /** The terminal's output, for replies printed between prompts (pending editor output flushed first). */
    @Override
    public java.io.OutputStream output() {
        terminal.writer().flush();
        return new java.io.FilterOutputStream(terminal.output()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                terminal.writer().flush();
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    @Override
    public void clearScreen() {
        terminal.puts(InfoCmp.Capability.clear_screen);
        terminal.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            reader.getHistory().save();
        } finally {
            terminal.close();
        }
    }
}
