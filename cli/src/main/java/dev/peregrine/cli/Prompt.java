package dev.peregrine.cli;

import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.MaskingCallback;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The interactive prompt's line editor (JLine), behaving as redis-cli's linenoise prompt: history kept in a file
 * ({@code REDISCLI_HISTFILE}, else {@code ~/.rediscli_history}; {@code /dev/null} keeps none) as plain lines, the last
 * 100, saved after every command the CLI adds; a greyed hint of the remaining arguments after the typed text (cut at
 * the terminal's width, gone once the line is accepted); TAB replacing the line with each command name that
 * completes it in turn, then the line as typed (with a beep), then the first again. Ctrl-C and Ctrl-D at the prompt
 * end the session.
 *
 * <p>Single-threaded (the CLI's main thread).
 */
final class Prompt implements LineEditor {
    /** linenoise's history length. */
    static final int HISTORY_MAX = 100;
    private static final String COMPLETE = "peregrine-complete";
    private static final String ACCEPT = "peregrine-accept";
    /** Keeps JLine from adding lines to the history: the CLI decides what goes there. */
    private static final MaskingCallback NO_AUTO_HISTORY = new MaskingCallback() {
        @Override
        public String display(String line) {
            return line;
        }

        @Override
        public String history(String line) {
            return null;
        }
    };

    private final Terminal terminal;
    private final LineReader reader;
    private final Path historyFile;
    private final List<String> history = new ArrayList<>();
    private CommandHelp commands = CommandHelp.EMPTY;
    private boolean hintsOn = true;
    private int promptColumns;
    /** Set while the accepted line is drawn a last time, which shows no hint. */
    private boolean accepting;
    /** TAB cycling: the candidates, the line as typed, which one is shown (size = the typed line). */
    private List<String> cycle;
    private String typed;
    private int cycleAt;
    private String shown;

    Prompt(Terminal terminal, Path historyFile) {
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.reader = LineReaderBuilder.builder().terminal(terminal)
                .highlighter(new HintHighlighter())
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
                .option(LineReader.Option.HISTORY_REDUCE_BLANKS, false)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .variable(LineReader.HISTORY_SIZE, HISTORY_MAX)
                .build();
        reader.getWidgets().put(COMPLETE, this::complete);
        reader.getWidgets().put(ACCEPT, () -> {
            accepting = true;
            reader.callWidget(LineReader.ACCEPT_LINE);
            return true;
        });
        for (String map : List.of(LineReader.EMACS, LineReader.VIINS, LineReader.MAIN)) {
            KeyMap<org.jline.reader.Binding> km = reader.getKeyMaps().get(map);
            if (km != null) {
                km.bind(new Reference(COMPLETE), "\t");
                km.bind(new Reference(ACCEPT), "\r");
                km.bind(new Reference(ACCEPT), "\n");
            }
        }
        loadHistory();
    }

    /** The prompt on the process's own terminal, with the history file from the environment. */
    static Prompt system() {
        try {
            Terminal t = TerminalBuilder.builder().system(true).build();
            return new Prompt(t, historyPath(System::getenv));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** redis-cli's history file: {@code REDISCLI_HISTFILE} ({@code /dev/null}: none), else {@code $HOME/.rediscli_history}. */
    static Path historyPath(java.util.function.Function<String, String> env) {
        String file = env.apply("REDISCLI_HISTFILE");
        if (file != null && !file.isEmpty()) {
            return file.equals("/dev/null") ? null : Path.of(file);
        }
        String home = env.apply("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, ".rediscli_history");
    }

    private void loadHistory() {
        if (historyFile == null || !Files.isReadable(historyFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(historyFile, StandardCharsets.UTF_8)) {
                int cr = line.indexOf('\r');
                remember(cr >= 0 ? line.substring(0, cr) : line);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // an unreadable history is no history
        }
    }

    /** Adds to the in-memory history (no two equal lines in a row, the last {@link #HISTORY_MAX}). */
    private boolean remember(String line) {
        if (!history.isEmpty() && history.get(history.size() - 1).equals(line)) {
            return false;
        }
        history.add(line);
        if (history.size() > HISTORY_MAX) {
            history.remove(0);
        }
        reader.getHistory().add(line);
        return true;
    }

    @Override
    public void addHistory(String line) {
        remember(line);
        if (historyFile == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String h : history) {
            sb.append(h).append('\n');
        }
        try {
            if (!Files.exists(historyFile)) {
                Files.createFile(historyFile);
            }
            try {
                Files.setPosixFilePermissions(historyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system: keep its default permissions
            }
            Files.writeString(historyFile, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // like linenoise, a history that cannot be saved is silently not saved
        }
    }

    @Override
    public void commands(CommandHelp help) {
        this.commands = help == null ? CommandHelp.EMPTY : help;
    }

    @Override
    public void hints(boolean on) {
        this.hintsOn = on;
    }

    @Override
    public byte[] readLine(String prompt) {
        accepting = false;
        cycle = null;
        promptColumns = new AttributedString(prompt).columnLength();
        try {
            return reader.readLine(prompt, null, NO_AUTO_HISTORY, null).getBytes(StandardCharsets.UTF_8);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    /** TAB: the next completion of the typed line, or the typed line back after the last one. */
    private boolean complete() {
        String current = reader.getBuffer().toString();
        if (cycle != null && current.equals(shown)) {
            cycleAt = (cycleAt + 1) % (cycle.size() + 1);
            if (cycleAt == cycle.size()) {
                reader.callWidget(LineReader.BEEP);
            }
        } else {
            List<String> candidates = commands.completions(current);
            if (candidates.isEmpty()) {
                cycle = null;
                reader.callWidget(LineReader.BEEP);
                return true;
            }
            cycle = candidates;
            typed = current;
            cycleAt = 0;
        }
        shown = cycleAt < cycle.size() ? cycle.get(cycleAt) : typed;
        reader.getBuffer().clear();
        reader.getBuffer().write(shown);
        return true;
    }

    /** Draws the buffer as typed followed by the hint in grey (colour 90), cut to fit on the line. */
    private final class HintHighlighter implements Highlighter {
        @Override
        public AttributedString highlight(LineReader r, String buffer) {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            sb.append(buffer);
            if (!hintsOn || accepting) {
                return sb.toAttributedString();
            }
            String hint = commands.hint(buffer);
            if (hint == null) {
                return sb.toAttributedString();
            }
            int used = promptColumns + sb.columnLength();
            int columns = terminal.getWidth();
            if (columns > 0) {
                if (used >= columns) {
                    return sb.toAttributedString();
                }
                if (hint.length() > columns - used) {
                    hint = hint.substring(0, columns - used);
                }
            }
            sb.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK), hint);
            return sb.toAttributedString();
        }

        @Override
        public void setErrorPattern(Pattern errorPattern) {
        }

        @Override
        public void setErrorIndex(int errorIndex) {
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
        terminal.close();
    }
}
