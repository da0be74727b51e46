package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;

/** What the interactive prompt needs from a line editor ({@link Prompt} is the JLine one). Single-threaded. */
interface LineEditor extends AutoCloseable {
    /** Shows {@code prompt} and reads one line (UTF-8 bytes), or {@code null} when the user ends the session. */
    byte[] readLine(String prompt);

    /** Where replies between prompts are printed, so they stay in order with the editor's own drawing. */
    OutputStream output();

    void clearScreen();

    /** Adds a line to the history (and its file); the editor adds none by itself. */
    default void addHistory(String line) {
    }

    /** The commands hints and TAB completion come from (until called: none). */
    default void commands(CommandHelp help) {
    }

    /** Turns the greyed argument hints on or off ({@code :set hints} / {@code :set nohints}); on at first. */
    default void hints(boolean on) {
    }

    @Override
    void close() throws IOException;
}
